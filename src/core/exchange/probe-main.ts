import { CasefileError } from '../errors';
import { runExchangeTask, type ExchangeTaskRequest } from './tasks';

/**
 * A child process that runs one exchange task on a file nobody has vouched for yet (checking a
 * received file, copying rows out of a refused one). Unlike a worker thread, a process can be
 * killed while SQLite is inside a statement: Worker.terminate() waits for the statement to
 * return, and a statement that never returns would keep its thread (and the app's exit) forever.
 */
const binding = (process.env.CASEFILE_SQLITE_BINDING || undefined) as string | undefined;

process.once('message', (req: ExchangeTaskRequest) => {
  const send = (m: unknown, then?: () => void) => process.send!(m, undefined, {}, then);
  try {
    const result = runExchangeTask(req, (m) => send(m), binding);
    send({ type: 'done', result }, () => process.exit(0));
  } catch (e) {
    send(
      {
        type: 'error',
        code: e instanceof CasefileError ? e.code : 'internal',
        message: e instanceof Error ? e.message : String(e),
      },
      () => process.exit(1),
    );
  }
});
