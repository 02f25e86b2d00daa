import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { CaseFile } from '../../core/write/case-file';
import { CasefileError } from '../../core/errors';
import { listConflicts, MAX_CONFLICTS, resolveConflicts } from '../../core/import/conflicts';
import { importFile, progressEvent, type ImportProgress, type ImportReport } from '../../core/import/pipeline';
import { suggestMapping } from '../../core/import/generic';
import { previewImport } from '../../core/import/preview';
import { openForWork } from '../../core/write/open-for-work';
import { ColumnMapping, DateOrder, ImportFormat } from '../../shared/channels/import';
import { flags, needArgs, terminalProgress, unknownFlags, type Command } from '../command';
import { terminalField } from '../../shared/text/terminal-text';

const USAGE =
  'usage: casefile import FILE DATA [--format acled|gtd|ucdp|csv] [--mapping M.json] [--date-order dmy|mdy] [--json]';
const CONFLICTS_USAGE = 'usage: casefile conflicts FILE [--take file|mine] [--json]';
// The CLI's own author and clock node, as in main.ts: rows it writes say they came from the command line.
const CLI_AUTHOR = process.env.CASEFILE_AUTHOR ?? 'casefile CLI';
const CLI_NODE = 'c11c11c11c11';

/** A mapping file: `{ "column name": "field" | null, ... }`, the same object the Import area confirms. */
function readMapping(path: string): Record<string, string | null> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const why =
      (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid JSON (${(e as Error).message})`;
    throw new CasefileError('validation', `${basename(path)}: ${why}`);
  }
  const parsed = ColumnMapping.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` (column "${issue.path.join('.')}")` : '';
    throw new CasefileError(
      'validation',
      `${basename(path)}: ${issue?.message ?? 'not a column mapping'}${where}; expected { "column": "field" or null }`,
    );
  }
  return parsed.data;
}

/**
 * Said before a table is imported whose mapping has no column for the row's id: its rows cannot
 * be found again, so importing the same file again adds them again. null when there is one (or
 * the file is ACLED or GTD, which have their own ids); a file that cannot be read is left to the
 * import to report.
 */
async function reimportWarning(
  db: ReturnType<typeof openForWork>,
  data: string,
  format: ImportFormat | undefined,
  mapping: Record<string, string | null> | undefined,
): Promise<string | null> {
  let preview: Awaited<ReturnType<typeof previewImport>>;
  try {
    preview = await previewImport(db, data);
  } catch {
    return null;
  }
  if ((format ?? preview.format) !== 'csv') return null;
  const effective = mapping ?? preview.mapping ?? suggestMapping(preview.header);
  if (Object.values(effective).includes('external_id')) return null;
  return `${basename(data)}: no column is mapped to external_id, so importing this file again will add its rows again`;
}

function summary(r: ImportReport, name: string): string[] {
  const lines = [
    `${terminalField(name)}: ${r.format}${r.layout ? ` (${r.layout} layout)` : ''}: ${r.imported} imported, ${r.updated} updated, ${r.unchanged} unchanged, ${r.deletedKept ? `${r.deletedKept} kept deleted, ` : ''}${r.skipped} skipped`,
    `  ${r.sourcesCreated} sources and ${r.citationsCreated} citations created`,
  ];
  const d = r.dates;
  if (d !== null) {
    const order = d.order === 'dmy' ? 'day first (09/05/2021 is 9 May)' : 'month first (09/05/2021 is 5 September)';
    if (d.source === 'chosen') lines.push(`  dates read ${order}, as chosen`);
    else if (d.source === 'remembered') lines.push(`  dates read ${order}, as confirmed with this mapping before`);
    else if (d.source === 'file' && d.example)
      lines.push(
        `  dates read ${order}, as ${d.example.value} on line ${d.example.line} shows${d.heldBack ? ` (${d.heldBack} earlier rows read again then)` : ''}`,
      );
    if (d.unsettled > 0)
      lines.push(
        `  ${d.unsettled} rows skipped: their dates read both ways and no date in the file settles it; choose with --date-order dmy or mdy`,
      );
  }
  for (const e of r.errors.slice(0, 20)) lines.push(`  skipped line ${e.line}: ${terminalField(e.reason)}`);
  if (r.errors.length > 20) lines.push(`  ... and ${r.skipped - 20} more skipped rows (--json lists them)`);
  for (const c of r.conflicts.slice(0, 20)) {
    lines.push(
      `  conflict line ${c.line} (${terminalField(String(c.externalId))}) ${terminalField(c.field)}: the file says ${JSON.stringify(c.theirs)}, the case file keeps ${JSON.stringify(c.yours)}`,
    );
  }
  if (r.conflicts.length > 20) lines.push(`  ... and ${r.conflicts.length - 20} more conflicts (--json lists them)`);
  return lines;
}

const shown = (v: unknown) => (v === null ? '(empty)' : JSON.stringify(v));

/** Commands of this area (`export` is in export.ts). */
export const importExportCommands: Record<string, Command> = {
  async import(args, out) {
    const { positional, flags: f, values } = flags(args, ['format', 'mapping', 'date-order']);
    unknownFlags(f, ['json']);
    needArgs(positional, 2, 'FILE and DATA', USAGE);
    const order = values.get('date-order');
    const dateOrder = order === undefined ? undefined : DateOrder.safeParse(order);
    if (dateOrder && !dateOrder.success)
      throw new CasefileError(
        'validation',
        `--date-order must be dmy (09/05/2021 is 9 May 2021) or mdy (5 September 2021), not "${order}"`,
      );
    const file = resolve(positional[0]!);
    const data = resolve(positional[1]!);
    const fmt = values.get('format');
    const format = fmt === undefined ? undefined : ImportFormat.safeParse(fmt);
    if (format && !format.success)
      throw new CasefileError('validation', `--format must be acled, gtd, ucdp or csv, not "${fmt}"`);
    const mappingPath = values.get('mapping');
    const mapping = mappingPath === undefined ? undefined : readMapping(resolve(mappingPath));
    // The open path's checks (and the upgrade of an older file) before a worker writes to it.
    const db = openForWork(file);
    try {
      const warning = await reimportWarning(db, data, format?.success ? format.data : undefined, mapping);
      if (warning) process.stderr.write(`casefile: warning: ${warning}\n`);
    } finally {
      db.close();
    }
    // On a terminal, the progress line the app shows (a million rows take minutes).
    const shown = terminalProgress();
    let report: ImportReport;
    try {
      report = await importFile(file, data, {
        author: CLI_AUTHOR,
        node: CLI_NODE,
        ...(format?.success ? { format: format.data } : {}),
        ...(mapping ? { mapping } : {}),
        ...(dateOrder?.success ? { dateOrder: dateOrder.data } : {}),
        ...(shown.onProgress ? { onProgress: (p: ImportProgress) => shown.onProgress!(progressEvent(p)) } : {}),
      });
    } finally {
      shown.done();
    }
    if (f.has('json')) {
      const { imported, updated, unchanged, skipped, errors, ...rest } = report;
      out(JSON.stringify({ imported, updated, unchanged, skipped, errors, ...rest }));
    } else for (const l of summary(report, basename(data))) out(l);
    if (report.skipped > 0 && report.imported + report.updated + report.unchanged + report.deletedKept === 0) {
      const first = report.errors[0];
      throw new CasefileError(
        'validation',
        `${basename(data)}: every row was skipped (${report.skipped}), nothing was imported${first ? `; the first: line ${first.line}: ${first.reason}` : ''}`,
      );
    }
  },

  /**
   * The conflicts of re-imports still waiting (core/import/conflicts.ts): listed, or all settled
   * with --take file (the files' values, as one edit) or --take mine (the analyst's stay, the list
   * empties).
   */
  conflicts(args, out) {
    const { positional, flags: f, values } = flags(args, ['take']);
    unknownFlags(f, ['json']);
    needArgs(positional, 1, 'FILE', CONFLICTS_USAGE);
    const file = resolve(positional[0]!);
    const take = values.get('take');
    if (take !== undefined && take !== 'file' && take !== 'mine')
      throw new CasefileError('validation', `--take must be file or mine, not "${take}"`);
    const db = openForWork(file);
    try {
      if (take !== undefined) {
        const r = resolveConflicts(new CaseFile(db, file, () => CLI_AUTHOR, CLI_NODE), take, 'all');
        out(
          f.has('json')
            ? JSON.stringify({ resolved: r.resolved })
            : `${r.resolved} ${r.resolved === 1 ? 'field' : 'fields'} settled: ${take === 'file' ? 'the imported values taken' : 'your values kept'}`,
        );
        return;
      }
      const list = listConflicts(db, MAX_CONFLICTS);
      if (f.has('json')) return out(JSON.stringify(list));
      out(`${list.total} conflict${list.total === 1 ? '' : 's'} waiting for a choice`);
      for (const c of list.items) {
        out(
          `  ${c.file === null || c.file === undefined ? 'an import' : terminalField(c.file)} line ${c.line} (${terminalField(String(c.externalId))}) ${terminalField(c.field)}: the file says ${shown(c.theirs)}, the case file keeps ${shown(c.yours)}`,
        );
      }
    } finally {
      db.close();
    }
  },
};
