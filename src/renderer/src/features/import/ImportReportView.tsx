import type { ImportReport } from '../../../../shared/channels/import';
import { targetLabel } from './MappingTable';

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;
const show = (v: unknown) => (v === null || v === undefined ? '(empty)' : String(v));

/** What the import did: the counts, each skipped row with its line and reason, and the conflicts kept for the analyst. */
export function ImportReportView({ report, fileName }: { report: ImportReport; fileName: string }) {
  const counts: [string, number][] = [
    ['imported', report.imported],
    ['updated', report.updated],
    ['unchanged', report.unchanged],
    ['kept deleted', report.deletedKept],
    ['skipped', report.skipped],
  ];
  return (
    <section className="panel import-report" data-testid="import-report" aria-label="Import report">
      <h2>
        Imported <span dir="auto">{fileName}</span> ({report.format.toUpperCase()}
        {report.layout ? `, ${report.layout} layout` : ''})
      </h2>
      <ul className="import-counts">
        {counts.map(([k, n]) => (
          <li key={k} data-testid={`import-${k}`}>
            <strong>{n.toLocaleString()}</strong>
            {k}
          </li>
        ))}
      </ul>
      <p className="muted">
        {plural(report.sourcesCreated, 'source')} and {plural(report.citationsCreated, 'citation')} added to the library. An import is not undone
        with Undo; the change log keeps every row it wrote.
      </p>
      {report.errors.length > 0 && (
        <>
          <h3>
            Skipped rows ({report.skipped.toLocaleString()}
            {report.errors.length < report.skipped ? `, the first ${report.errors.length.toLocaleString()} listed` : ''})
          </h3>
          <div className="import-table-wrap">
            <table className="import-table" data-testid="import-errors">
              <thead>
                <tr>
                  <th>Line</th>
                  <th>Reason</th>
                </tr>
              </thead>
              <tbody>
                {report.errors.map((e, i) => (
                  <tr key={i}>
                    <td className="line">{e.line}</td>
                    <td dir="auto">{e.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {report.conflicts.length > 0 && (
        <>
          <h3>Conflicts: your edits were kept ({report.conflicts.length.toLocaleString()})</h3>
          <div className="import-table-wrap">
            <table className="import-table" data-testid="import-conflicts">
              <thead>
                <tr>
                  <th>Line</th>
                  <th>Event</th>
                  <th>Field</th>
                  <th>The file says</th>
                  <th>The case file keeps</th>
                </tr>
              </thead>
              <tbody>
                {report.conflicts.map((c, i) => (
                  <tr key={i}>
                    <td className="line">{c.line}</td>
                    <td dir="auto">{c.externalId}</td>
                    <td>{targetLabel(c.field)}</td>
                    <td className="cell" dir="auto" title={show(c.theirs)}>
                      {show(c.theirs)}
                    </td>
                    <td className="cell" dir="auto" title={show(c.yours)}>
                      {show(c.yours)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
