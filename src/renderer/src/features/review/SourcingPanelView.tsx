import { useQuery } from '../../lib/use-query';
import { UserText } from '../../components/UserText';

const TABLES = ['citations', 'annotations', 'sources', 'incidents', 'plots', 'figures'] as const;
const pct = (n: number, d: number) => (d === 0 ? 0 : Math.round((100 * n) / d));

function Share({ label, n, d, testId }: { label: string; n: number; d: number; testId: string }) {
  return (
    <div className="share-row" data-testid={testId}>
      <span>{label}</span>
      <span className="bar" aria-hidden="true">
        <span style={{ width: `${pct(n, d)}%` }} />
      </span>
      <span className="num">
        {n}/{d}
      </span>
    </div>
  );
}

/** How well the case file is sourced: citations, verification, independent sources, grades, disagreements. */
export function SourcingPanelView() {
  const { data, error } = useQuery('review.panel', {}, TABLES);
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p className="muted">Loading…</p>;
  const kinds = [
    ['incidents', 'Incidents'],
    ['plots', 'Plots'],
    ['figures', 'Figures'],
  ] as const;
  const allCited = kinds.every(([k]) => data[k].cited === data[k].total);
  const c = data.citations;
  return (
    <div className="panel-grid" data-testid="sourcing-panel">
      <section className="panel">
        <h3>Sourcing</h3>
        <p className={allCited ? 'all-cited' : 'warn'} data-testid="sourcing-verdict">
          {allCited ? 'Every incident, plot and figure cites at least one source.' : 'Some records cite no source.'}
        </p>
        {kinds.map(([k, label]) => (
          <div key={k} style={{ marginBottom: 8 }}>
            <strong>{label}</strong> <span className="muted">({data[k].total.toLocaleString()})</span>
            <Share label="cited" n={data[k].cited} d={data[k].total} testId={`share-${k}-cited`} />
            <Share label="verified" n={data[k].verified} d={data[k].total} testId={`share-${k}-verified`} />
            <Share label="2+ sources" n={data[k].multiSource} d={data[k].total} testId={`share-${k}-multi`} />
          </div>
        ))}
      </section>
      <section className="panel">
        <h3>Citations by review status</h3>
        <table className="figures-table" data-testid="status-counts">
          <tbody>
            <tr>
              <td>unreviewed</td>
              <td className="num">{c.unreviewed}</td>
            </tr>
            <tr>
              <td>verified</td>
              <td className="num">{c.verified}</td>
            </tr>
            <tr>
              <td>disputed</td>
              <td className="num">{c.disputed}</td>
            </tr>
            <tr>
              <td>needs a better source</td>
              <td className="num">{c.needsSource}</td>
            </tr>
          </tbody>
        </table>
        <h3>Sources by reliability</h3>
        <table className="figures-table">
          <thead>
            <tr>
              <th>Grade</th>
              <th className="num">Sources</th>
              <th className="num">Citations</th>
            </tr>
          </thead>
          <tbody>
            {data.sourcesByGrade.map((g) => (
              <tr key={g.reliability}>
                <td>
                  <span className="grade">{g.reliability}</span>
                </td>
                <td className="num">{g.sources}</td>
                <td className="num">{g.citations}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>Citations by grade</h3>
        <p className="small">
          {data.citationsByGrade.map((g) => (
            <span key={g.grade} style={{ marginInlineEnd: 10 }}>
              <span className="grade">{g.grade}</span> {g.citations}
            </span>
          ))}
        </p>
      </section>
      <section className="panel">
        <h3>Figures the case file does not bear out</h3>
        {data.disagreements.length === 0 ? (
          <p className="muted">Every reported figure matches the case file&apos;s own count.</p>
        ) : (
          <table className="figures-table" data-testid="disagreements">
            <thead>
              <tr>
                <th>Province</th>
                <th className="num">Reported</th>
                <th className="num">Case file</th>
              </tr>
            </thead>
            <tbody>
              {data.disagreements.map((d, i) => (
                <tr key={`${d.label}-${i}`}>
                  <td>
                    <UserText text={d.label} />
                  </td>
                  <td className="num">{d.reported}</td>
                  <td className="num">{d.computed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {data.disagreements[0]?.measure && (
          <p className="muted small" dir="auto">
            {data.disagreements[0].measure}
          </p>
        )}
      </section>
    </div>
  );
}
