import type { ErrorCode } from '../shared/contract';

/** An error meant for the user: its message says what and where, and nothing was changed. */
export class CasefileError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'CasefileError';
  }
}

export const refuse = (message: string) => new CasefileError('refused', message);
