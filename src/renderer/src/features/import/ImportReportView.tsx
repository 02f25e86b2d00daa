import type { ImportReport } from '../../../../shared/channels/import';

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

/** What the import did: the counts, each skipped row with its line and reason, and how many of the analyst's edits it kept (listed by ImportConflicts). */
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
        {plural(report.sourcesCreated, 'source')} and {plural(report.citationsCreated, 'citation')} added to the
        library. An import is not undone with Undo: Earlier imports, at the foot of this tab, removes the rows it added
        (and that can be undone).
      </p>
      {report.dates && (
        <p className={report.dates.unsettled > 0 ? 'warn' : 'muted'} data-testid="import-dates-report">
          {datesLine(report.dates)}
        </p>
      )}
      {report.errors.length > 0 && (
        <>
          <h3>
            Skipped rows ({report.skipped.toLocaleString()}
            {report.errors.length < report.skipped ? `, the first ${report.errors.length.toLocaleString()} listed` : ''}
            )
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
        <p data-testid="import-conflict-count">
          <strong>
            {plural(report.conflicts.length, 'field')} you edited {report.conflicts.length === 1 ? 'was' : 'were'} kept
          </strong>{' '}
          where this file says otherwise. Conflicts waiting for your choice are listed below.
        </p>
      )}
    </section>
  );
}

/** Which order of day and month read dates such as 09/05/2021, and why. */
function datesLine(d: NonNullable<ImportReport['dates']>): string {
  const order = d.order === 'dmy' ? 'day first (09/05/2021 is 9 May)' : 'month first (09/05/2021 is 5 September)';
  const parts: string[] = [];
  if (d.source === 'chosen') parts.push(`Dates were read ${order}, as chosen.`);
  else if (d.source === 'remembered') parts.push(`Dates were read ${order}, as confirmed with this mapping before.`);
  else if (d.source === 'file' && d.example) {
    parts.push(
      `Dates were read ${order}, as ${d.example.value} on line ${d.example.line.toLocaleString()} shows${d.heldBack ? ` (${plural(d.heldBack, 'earlier row')} read again then)` : ''}.`,
    );
  }
  if (d.unsettled > 0)
    parts.push(
      `${plural(d.unsettled, 'row')} skipped: their dates read both ways and no date in the file settles it. Choose the order of dates and import again.`,
    );
  return parts.join(' ');
}
