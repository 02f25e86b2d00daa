import { resolve } from 'node:path';
import { GridTable } from '../../shared/domain/common';
import { ExportFormat, ExportLayout } from '../../shared/channels/grid';
import type { SortModel } from '../../shared/contract';
import { CasefileError } from '../../core/errors';
import { openCaseFileReadOnly } from '../../core/db/open';
import { exportAtomically, writeExport } from '../../core/export/export-table';
import { whereToFilter } from '../../core/export/where';
import { flags, needArgs, terminalProgress, unknownFlags, type Command } from '../command';

const USAGE = `usage: casefile export FILE --table incidents|plots|sources|figures --format csv|xlsx|json --out PATH
         [--where COND]... [--search TEXT] [--sort COLUMN[:desc]] [--layout acled] [--force] [--json]
       casefile export FILE --table incidents|plots --format geojson|kml|edges --out PATH [--where COND]... [--aliases]
       casefile export FILE --format casefile --out PATH [--where COND]... [--force]
  COND: column=value, column=a|b, column~text, column>=x, column<=x (see docs/user-guide.md)`;

type ExportCaseFile = (
  caseFilePath: string,
  outPath: string,
  opts: { where?: readonly string[]; overwrite?: boolean },
) => Promise<{ path: string; counts: Record<string, number> }>;

/** The case-file export lives in the exchange area; loaded only when asked for. */
async function loadExportCaseFile(): Promise<ExportCaseFile> {
  try {
    const mod = (await import(new URL('../../core/exchange/export.ts', import.meta.url).href)) as {
      exportCaseFile?: ExportCaseFile;
    };
    if (typeof mod.exportCaseFile !== 'function') throw new Error('no exportCaseFile');
    return mod.exportCaseFile;
  } catch {
    throw new CasefileError(
      'refused',
      '--format casefile is not available in this build of Casefile (the exchange module is missing)',
    );
  }
}

/** --where may be given many times; flags() keeps one value per option, so they are taken out first. */
function takeRepeated(args: string[], name: string): { values: string[]; rest: string[] } {
  const values: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === `--${name}`) {
      const v = args[++i];
      if (v === undefined) throw new CasefileError('validation', `--${name} needs a value`);
      values.push(v);
    } else if (a.startsWith(`--${name}=`)) values.push(a.slice(name.length + 3));
    else rest.push(a);
  }
  return { values, rest };
}

function parseSort(s: string | undefined): SortModel {
  if (!s) return [];
  const m = /^([a-z][a-z0-9_]*)(?::(asc|desc))?$/.exec(s);
  if (!m) throw new CasefileError('validation', `--sort "${s}": expected COLUMN or COLUMN:desc`);
  return [{ colId: m[1]!, sort: (m[2] as 'asc' | 'desc' | undefined) ?? 'asc' }];
}

/** `casefile export`: a table (or the rows a filter selects) to CSV, XLSX or JSON; or a case file. */
export const exportCommands: Record<string, Command> = {
  async export(args, out) {
    const { values: where, rest } = takeRepeated(args, 'where');
    const { positional, flags: f, values } = flags(rest, ['table', 'format', 'out', 'layout', 'search', 'sort']);
    unknownFlags(f, ['force', 'json', 'aliases']);
    needArgs(positional, 1, 'FILE', USAGE);
    if (positional.length > 1)
      throw new CasefileError('validation', `unexpected argument "${positional[1]}"\n${USAGE}`);
    const file = resolve(positional[0]!);
    const outPath = values.get('out');
    if (!outPath) throw new CasefileError('validation', `missing --out PATH\n${USAGE}`);
    const formatName = values.get('format');
    if (!formatName) throw new CasefileError('validation', `missing --format\n${USAGE}`);

    if (formatName === 'casefile') {
      for (const o of ['table', 'layout', 'search', 'sort'])
        if (values.has(o)) throw new CasefileError('validation', `--${o} does not apply to --format casefile`);
      const exportCaseFile = await loadExportCaseFile();
      const shown = terminalProgress();
      const r = await exportCaseFile(file, resolve(outPath), {
        where,
        overwrite: f.has('force'),
        ...(shown.onProgress ? { onProgress: shown.onProgress } : {}),
      }).finally(shown.done);
      if (f.has('json')) out(JSON.stringify(r));
      else {
        const { attachments_on_hub: onHub = 0, ...tables } = r.counts;
        out(
          `exported to ${r.path}: ${Object.entries(tables)
            .map(([t, n]) => `${n} ${t}`)
            .join(', ')}`,
        );
        if (onHub > 0)
          out(
            `not in the exported file: the bytes of ${onHub} attached file${onHub === 1 ? '' : 's'} held on the team hub (never opened here); their rows and text are in it. Open them in the app while connected to the hub, or export the case with casefile hub export`,
          );
      }
      return;
    }

    const format = ExportFormat.safeParse(formatName);
    if (!format.success)
      throw new CasefileError(
        'validation',
        `--format must be csv, xlsx, json, geojson, kml, edges or casefile, not "${formatName}"`,
      );
    if (f.has('aliases') && format.data !== 'edges')
      throw new CasefileError('validation', '--aliases applies to --format edges');
    const table = GridTable.safeParse(values.get('table'));
    if (!table.success)
      throw new CasefileError(
        'validation',
        `--table must be one of ${GridTable.options.join(', ')}${values.has('table') ? `, not "${values.get('table')}"` : ''}`,
      );
    const layout = ExportLayout.safeParse(values.get('layout') ?? 'casefile');
    if (!layout.success)
      throw new CasefileError('validation', `--layout must be acled (or left out), not "${values.get('layout')}"`);
    const filter = whereToFilter(table.data, where, values.get('search') ?? '');
    const sort = parseSort(values.get('sort'));

    const { db } = openCaseFileReadOnly(file);
    try {
      // One read transaction: one consistent snapshot even if the app writes meanwhile.
      db.exec('BEGIN');
      const spec = {
        table: table.data,
        scope: 'view' as const,
        format: format.data,
        layout: layout.data,
        sort,
        filter,
        aliases: f.has('aliases'),
      };
      const r = await exportAtomically(
        resolve(outPath),
        f.has('force'),
        (tmp) => writeExport(db, spec, tmp),
        format.data,
      );
      if (f.has('json')) out(JSON.stringify(r));
      else {
        out(
          `exported ${r.rows} ${table.data} row${r.rows === 1 ? '' : 's'} to ${r.path}${format.data === 'edges' ? ' (as an edge list)' : ''}`,
        );
        if (r.truncatedCells)
          out(`  ${r.truncatedCells} cells were cut to Excel's 32,767 characters (CSV and JSON keep them whole)`);
      }
    } finally {
      db.close();
    }
  },
};
