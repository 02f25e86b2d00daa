/** Messages between the core and a task worker. */
export type TaskRequest =
  | { kind: 'vacuum-into'; source: string; target: string }
  | { kind: 'check'; path: string };
export type TaskMessage =
  | { type: 'progress'; done: number; total: number | null; message?: string }
  | { type: 'done'; result: unknown }
  | { type: 'error'; code: string; message: string };
