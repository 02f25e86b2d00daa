import { fieldOf, fieldSchema, type Field } from '../../shared/domain/fields';
import { typedNumber } from '../../shared/domain/typed';
import type { GridTable } from '../../shared/domain/common';
import type { CaseFile } from '../write/case-file';
import { CasefileError } from '../errors';
import { parseDate } from '../import/values';

/**
 * A block pasted from a spreadsheet, applied as ONE user action: every cell is converted and
 * checked first, then all rows are updated in one transaction, so the block is saved whole or
 * not at all, and one Ctrl+Z takes it back. The first bad cell is named "row N, column X" (N is
 * the row's number in the grid when the caller gives it, else in the block).
 */
export type PasteBlock = { columns: string[]; rows: { id: string; cells: string[] }[]; firstRow?: number };

function convert(f: Field, raw: string): unknown {
  const s = raw.trim();
  if (s === '') return null;
  switch (f.kind) {
    // As typed in the grid: 1e3 or 12.5 in a whole-number field is refused, never read as 1000 or 12.
    case 'int':
    case 'real': {
      const n = typedNumber(f.kind, s);
      if (!n.ok) throw new Error(n.message);
      return n.value;
    }
    case 'enum': {
      const v = f.values?.find((x) => x.toLowerCase() === s.toLowerCase());
      if (v === undefined) throw new Error(`"${s.slice(0, 40)}" is not one of: ${(f.values ?? []).join(', ')}`);
      return v;
    }
    case 'date': {
      // Spreadsheets show dates in many ways; a date typed at month or year precision stays so.
      const d = parseDate(s, { partial: true });
      if (!d.ok) throw new Error(d.reason);
      return d.date;
    }
    case 'text':
      return s;
    default:
      return raw === '' ? null : raw;
  }
}

export function pasteBlock(cf: CaseFile, table: GridTable, block: PasteBlock): { updated: number } {
  const where = (i: number, f: Field) => `row ${(block.firstRow ?? 1) + i}, column ${f.label}`;
  const fields = block.columns.map((c) => {
    const f = fieldOf(table, c);
    if (!f) throw new CasefileError('validation', `${table} has no column "${c.slice(0, 64)}"`);
    return f;
  });
  const width = fields.length;
  const updates: { id: string; values: Record<string, unknown> }[] = [];
  block.rows.forEach((r, i) => {
    if (r.cells.length !== width)
      throw new CasefileError(
        'validation',
        `row ${(block.firstRow ?? 1) + i}: the block is not rectangular (${r.cells.length} cells, ${width} expected)`,
      );
    const values: Record<string, unknown> = {};
    fields.forEach((f, j) => {
      if (f.readonly)
        throw new CasefileError(
          'validation',
          `${where(i, f)}: ${f.label} is set by the importer and cannot be edited`,
          f.name,
        );
      let v: unknown;
      try {
        v = convert(f, r.cells[j]!);
      } catch (e) {
        throw new CasefileError('validation', `${where(i, f)}: ${(e as Error).message}`, f.name);
      }
      const ok = fieldSchema(f).safeParse(v);
      if (!ok.success) {
        const msg = v === null && f.required ? `${f.label} is required` : (ok.error.issues[0]?.message ?? 'invalid');
        throw new CasefileError('validation', `${where(i, f)}: ${msg}`, f.name);
      }
      values[f.name] = v;
    });
    updates.push({ id: r.id, values });
  });
  const label = `Paste ${block.rows.length} × ${width} cell${block.rows.length * width === 1 ? '' : 's'}`;
  return cf.action(label, (tx) => {
    let updated = 0;
    updates.forEach((u, i) => {
      try {
        tx.update(table, u.id, u.values);
        updated++;
      } catch (e) {
        if (!(e instanceof CasefileError)) throw e;
        // Rules across fields (a date against its precision) are checked on the whole row.
        const f = e.field ? fieldOf(table, e.field) : undefined;
        const at = f ? where(i, f) : `row ${(block.firstRow ?? 1) + i}`;
        throw new CasefileError(
          e.code,
          e.code === 'not_found' ? `${at}: the row no longer exists` : `${at}: ${e.message}`,
          e.field,
        );
      }
    });
    return { updated };
  });
}
