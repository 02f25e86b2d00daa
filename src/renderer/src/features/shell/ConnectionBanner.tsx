import type { ConnectionProblem } from '../../lib/api';

/**
 * Browser mode's connection problems, each with what fixes it: a reload cannot bring back a token
 * the address lacks, nor one from an earlier run (the server makes a new one each time it starts).
 */
export function ConnectionBanner({ problem }: { problem: ConnectionProblem }) {
  const where = (
    <>
      the address that <code>npm start</code> or <code>npm run web</code> printed in its terminal, on the line{' '}
      <code>Open: http://127.0.0.1:…/#token=…</code>
    </>
  );
  return (
    <div className="error banner" role="alert" data-testid="connection-banner" data-problem={problem}>
      {problem === 'no-token' && (
        <>
          <strong>This address lacks its access token</strong>, so Casefile refuses the connection and reloading will
          not help. Open {where} (the whole line, with everything after <code>#token=</code>).
        </>
      )}
      {problem === 'refused' && (
        <>
          <strong>Casefile refused this page's token.</strong> The token changes each time Casefile starts: open {where}
          , from the run that is going now.
        </>
      )}
      {problem === 'lost' && (
        <>
          <strong>The connection to Casefile was lost.</strong> If it is still running, reload this page. If it was
          stopped, start it again and open {where} (a new run has a new token).
        </>
      )}
    </div>
  );
}
