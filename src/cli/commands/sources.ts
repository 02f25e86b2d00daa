import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CaseFile } from '../../core/write/case-file';
import { CasefileError } from '../../core/errors';
import { openCaseFileReadOnly } from '../../core/db/open';
import { openForWork } from '../../core/write/open-for-work';
import { exportSources, importReferences } from '../../core/sources/references';
import { reviewSummary, sourcingPanel } from '../../core/sources/sourcing';
import type { ReferenceFormat } from '../../core/biblio/formats';
import { flags, needArgs, unknownFlags, type Command } from '../command';
import { terminalField } from '../../shared/text/terminal-text';

const USAGE = `usage:
  casefile sources import FILE REFS [--format bibtex|ris|csl-json] [--json]
  casefile sources export FILE --format bibtex|ris|csl-json --out PATH
  casefile review FILE [--json]`;

const AUTHOR = process.env.CASEFILE_AUTHOR ?? 'casefile CLI';
const NODE = 'c11c11c11c11';
const FORMATS: readonly ReferenceFormat[] = ['bibtex', 'ris', 'csl-json'];

function formatOf(v: string | undefined, required: boolean): ReferenceFormat | null {
  if (v === undefined) {
    if (required) throw new CasefileError('validation', `--format is required (${FORMATS.join(', ')})`);
    return null;
  }
  if (!(FORMATS as readonly string[]).includes(v))
    throw new CasefileError('validation', `--format must be one of ${FORMATS.join(', ')}, not "${v}"`);
  return v as ReferenceFormat;
}

function readRefs(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new CasefileError(
      'validation',
      `${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
}

function sourcesImport(args: string[], out: (s: string) => void): void {
  const { positional, flags: f, values } = flags(args, ['format']);
  unknownFlags(f, ['json']);
  needArgs(positional, 2, 'FILE and REFS', USAGE);
  const file = resolve(positional[0]!);
  const refs = resolve(positional[1]!);
  const format = formatOf(values.get('format'), false);
  const text = readRefs(refs);
  const db = openForWork(file);
  try {
    const cf = new CaseFile(db, file, () => AUTHOR, NODE);
    let r: ReturnType<typeof importReferences>;
    try {
      r = importReferences(cf, text, format);
    } catch (e) {
      if (e instanceof CasefileError) throw new CasefileError(e.code, `${refs}: ${e.message}`);
      throw e;
    }
    if (f.has('json')) {
      out(JSON.stringify({ imported: r.imported, duplicates: r.duplicates, errors: r.errors, warnings: r.warnings }));
      return;
    }
    out(
      `${terminalField(basename(refs))} (${r.format}): imported ${r.imported}, skipped ${r.duplicates} duplicate${r.duplicates === 1 ? '' : 's'}, ${r.errors.length} error${r.errors.length === 1 ? '' : 's'}`,
    );
    for (const e of r.errors) out(`  error: ${terminalField(e)}`);
    for (const w of r.warnings) out(`  warning: ${terminalField(w)}`);
  } finally {
    db.close();
  }
}

function sourcesExport(args: string[], out: (s: string) => void): void {
  const { positional, flags: f, values } = flags(args, ['format', 'out']);
  unknownFlags(f, []);
  needArgs(positional, 1, 'FILE', USAGE);
  const format = formatOf(values.get('format'), true)!;
  const target = values.get('out');
  if (!target) throw new CasefileError('validation', `--out PATH is required\n${USAGE}`);
  const { db } = openCaseFileReadOnly(resolve(positional[0]!));
  try {
    const r = exportSources(db, format, null);
    // Written beside the target and renamed: an interrupted export leaves no half-written file.
    const path = resolve(target);
    const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    try {
      writeFileSync(tmp, r.text, 'utf8');
      renameSync(tmp, path);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw new CasefileError(
        'validation',
        `${path}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
    }
    out(`wrote ${r.count} source${r.count === 1 ? '' : 's'} to ${path} (${format})`);
  } finally {
    db.close();
  }
}

const pct = (n: number, d: number) => (d === 0 ? '-' : `${Math.round((100 * n) / d)}%`);

function review(args: string[], out: (s: string) => void): void {
  const { positional, flags: f } = flags(args);
  unknownFlags(f, ['json']);
  needArgs(positional, 1, 'FILE', USAGE);
  const { db } = openCaseFileReadOnly(resolve(positional[0]!));
  try {
    const p = sourcingPanel(db);
    if (f.has('json')) {
      out(JSON.stringify(reviewSummary(p)));
      return;
    }
    out('              total  cited  verified  2+ sources');
    for (const t of ['incidents', 'plots', 'figures'] as const) {
      const s = p[t];
      out(
        `  ${t.padEnd(10)} ${String(s.total).padStart(6)}  ${pct(s.cited, s.total).padStart(5)}  ${pct(s.verified, s.total).padStart(8)}  ${pct(s.multiSource, s.total).padStart(10)}`,
      );
    }
    const c = p.citations;
    out(
      `  citations: ${c.unreviewed} unreviewed, ${c.verified} verified, ${c.disputed} disputed, ${c.needsSource} need a better source`,
    );
    out(
      `  sources by reliability: ${
        p.sourcesByGrade
          .filter((g) => g.sources > 0)
          .map((g) => `${g.reliability} ${g.sources}`)
          .join(', ') || 'none'
      }`,
    );
    for (const d of p.disagreements)
      out(`  figure disagrees: ${terminalField(d.label)} reported ${d.reported}, case file counts ${d.computed}`);
  } finally {
    db.close();
  }
}

/** Commands of this area: `sources import|export` and `review`. */
export const sourcesCommands: Record<string, Command> = {
  sources(args, out) {
    const [sub, ...rest] = args;
    if (sub === 'import') return sourcesImport(rest, out);
    if (sub === 'export') return sourcesExport(rest, out);
    throw new CasefileError('validation', `unknown sources command "${sub ?? ''}"\n${USAGE}`);
  },
  review,
};
