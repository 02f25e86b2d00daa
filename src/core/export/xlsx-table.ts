/**
 * An Excel table (Insert > Table: its own filter buttons, banded rows, a name a pivot table or
 * Power Query can use) over a sheet written by exceljs's streaming writer, which cannot add
 * tables itself. The parts a table needs are few and are added through the writer's own
 * streams: the table's XML file, a relationship from the sheet to it, a `<tableParts>` element
 * at the end of the sheet, and its content type. Where exceljs's internals do not have the shape
 * relied on (exceljs 4's, checked by a test), or the header cannot name a table's columns, no
 * table is made and the caller puts a plain autofilter on the sheet instead.
 */

type Rels = { addRelationship(rel: { Target: string; Type: string }): string };
type SheetInternals = { _sheetRelsWriter?: Rels; _writeCloseWorksheet?: () => void; _write?: (s: string) => void };
type Zip = { append(data: unknown, o: { name: string }): unknown };
/** The tables added to a workbook so far, kept on it (content types are written once, at its commit). */
type BookInternals = { zip?: Zip; _casefileTables?: { file: string; name: string }[] };

const TABLE_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/table';
const TABLE_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml';

/** A1-style column letters of a 1-based column number. */
export function columnLetters(n: number): string {
  let s = '';
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
}

/**
 * A name Excel accepts for a table: letters, digits, `_` and `.`, starting with a letter or `_`,
 * never one that reads as a cell reference (A1, R1C1), unique in the workbook.
 */
export function tableName(s: string, taken: readonly string[]): string {
  let name = s.replace(/[^\p{L}\p{N}_.]/gu, '_').slice(0, 200);
  if (!/^[\p{L}_]/u.test(name) || /^([a-z]{1,3}\d+|[rc]\d*|r\d*c\d*)$/i.test(name)) name = `T_${name}`;
  let unique = name;
  for (let i = 2; taken.some((t) => t.toLowerCase() === unique.toLowerCase()); i++) unique = `${name}_${i}`;
  return unique;
}

/** Whether the header can name a table's columns: each non-empty, one line, unique ignoring case. */
export function headerNamesColumns(header: readonly string[]): boolean {
  const seen = new Set<string>();
  for (const h of header) {
    // eslint-disable-next-line no-control-regex -- control characters are what is refused
    if (h.trim() === '' || h.length > 255 || /[\x00-\x1F]/.test(h) || seen.has(h.toLowerCase())) return false;
    seen.add(h.toLowerCase());
  }
  return true;
}

const xmlAttr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function tableXml(id: number, name: string, header: readonly string[], dataRows: number): string {
  const ref = `A1:${columnLetters(header.length)}${dataRows + 1}`;
  const columns = header.map((h, i) => `<tableColumn id="${i + 1}" name="${xmlAttr(h)}"/>`).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    `<table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="${id}" name="${xmlAttr(name)}"` +
    ` displayName="${xmlAttr(name)}" ref="${ref}" headerRowCount="1" totalsRowShown="0"><autoFilter ref="${ref}"/>` +
    `<tableColumns count="${header.length}">${columns}</tableColumns>` +
    '<tableStyleInfo name="TableStyleLight9" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/>' +
    '</table>'
  );
}

/**
 * Makes the rows written so far (a header and `dataRows` below it) an Excel table; called just
 * before the sheet is committed. False when no table could be made (see the file comment).
 */
export function addTable(
  wb: unknown,
  ws: unknown,
  sheetName: string,
  header: readonly string[],
  dataRows: number,
): boolean {
  const book = wb as BookInternals;
  const sheet = ws as SheetInternals;
  const close = sheet._writeCloseWorksheet;
  const write = sheet._write;
  const rels = sheet._sheetRelsWriter;
  const zip = book.zip;
  if (dataRows < 1 || !headerNamesColumns(header)) return false;
  if (typeof close !== 'function' || typeof write !== 'function' || typeof rels?.addRelationship !== 'function')
    return false;
  if (typeof zip?.append !== 'function') return false;
  if (!book._casefileTables) {
    // The workbook's content types are written by its commit, as a string: the tables' types go in there.
    const tables: { file: string; name: string }[] = [];
    book._casefileTables = tables;
    const append = zip.append.bind(zip);
    zip.append = (data, o) => {
      if (o.name === '[Content_Types].xml' && typeof data === 'string') {
        const overrides = tables
          .map((t) => `<Override PartName="/xl/tables/${t.file}.xml" ContentType="${TABLE_TYPE}"/>`)
          .join('');
        return append(data.replace('</Types>', `${overrides}</Types>`), o);
      }
      return append(data, o);
    };
  }
  const tables = book._casefileTables;
  const id = tables.length + 1;
  const file = `table${id}`;
  const name = tableName(
    sheetName,
    tables.map((t) => t.name),
  );
  tables.push({ file, name });
  zip.append(tableXml(id, name, header, dataRows), { name: `xl/tables/${file}.xml` });
  const rId = rels.addRelationship({ Target: `../tables/${file}.xml`, Type: TABLE_REL });
  sheet._writeCloseWorksheet = () => {
    write.call(sheet, `<tableParts count="1"><tablePart r:id="${rId}"/></tableParts>`);
    close.call(sheet);
  };
  return true;
}
