/**
 * Text copied from a spreadsheet (Excel, LibreOffice, Google Sheets) as rows of cells: tab-separated,
 * one line per row, a cell holding a tab, a line break or a quote written in double quotes with
 * quotes doubled. The line break at the very end that spreadsheets add is not an empty row.
 */
export function parseTsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  const s = text.replace(/\r\n?/g, '\n');
  let atCellStart = true;
  while (i < s.length) {
    const ch = s[i]!;
    if (atCellStart && ch === '"') {
      // A quoted cell: up to the closing quote that is not doubled.
      let j = i + 1;
      let out = '';
      let closed = false;
      while (j < s.length) {
        if (s[j] === '"') {
          if (s[j + 1] === '"') {
            out += '"';
            j += 2;
            continue;
          }
          closed = true;
          j++;
          break;
        }
        out += s[j];
        j++;
      }
      // Only a cell that ends right after its closing quote was quoted; otherwise the quote is text.
      if (closed && (j === s.length || s[j] === '\t' || s[j] === '\n')) {
        cell = out;
        i = j;
        atCellStart = false;
        continue;
      }
    }
    atCellStart = false;
    if (ch === '\t') {
      row.push(cell);
      cell = '';
      atCellStart = true;
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      atCellStart = true;
    } else cell += ch;
    i++;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/**
 * Rows of cells as a spreadsheet puts them on the clipboard (what parseTsv reads back): a cell
 * holding a tab, a line break or a quote, or starting with a quote, is written in double quotes
 * with its quotes doubled; every row ends with a line break, as Excel's copy does.
 */
export function toTsv(rows: readonly (readonly string[])[]): string {
  const cell = (c: string) => (/[\t\n\r"]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  return rows.map((r) => `${r.map(cell).join('\t')}\n`).join('');
}
