import { CasefileError } from '../errors';
import type { TaskMessage } from '../tasks/protocol';
import { extractText, type Extracted } from './extract';

/**
 * Reading an attached file's text in a task worker (tasks/worker.ts): pdf.js parses page by
 * page on the thread it runs on, and a 300-page report takes seconds that the windows' event
 * loop must not lose. Progress is per page; cancelling terminates the worker.
 */
export type ExtractJob = { name: string; mediaType: string; data: Uint8Array };

/** Worker side: posts progress, then the extracted text or the error. */
export function runExtractTask(job: ExtractJob, post: (m: TaskMessage) => void): void {
  extractText(job.data, job.name, job.mediaType, undefined, (done, total) =>
    post({ type: 'progress', done, total, message: `Reading ${job.name}: page ${done} of ${total}` }),
  ).then(
    (result: Extracted) => post({ type: 'done', result }),
    (e: unknown) =>
      post({
        type: 'error',
        code: e instanceof CasefileError ? e.code : 'internal',
        message: e instanceof Error ? e.message : String(e),
      }),
  );
}
