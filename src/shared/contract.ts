import { z } from 'zod';
import { CaseInfo } from './contract-base';
import { coreChannels } from './channels/core';
import { gridChannels } from './channels/grid';
import { importChannels } from './channels/import';
import { dashboardChannels } from './channels/dashboard';
import { sourcesChannels } from './channels/sources';
import { exchangeChannels } from './channels/exchange';
import { settingsBackupChannels } from './channels/settings-backups';
import { filesChannels } from './channels/files';
import { hubChannels } from './channels/hub';
import { TaskProgress, tasksChannels } from './channels/tasks';
import { aliasesChannels } from './channels/aliases';
import { linksChannels } from './channels/links';
import { TableName } from './domain/common';

export * from './contract-base';

/**
 * Every IPC channel and event, with its kind and zod schemas. Types come from `z.infer` here and
 * nowhere else; the Electron main process, the browser-mode server and the renderer's client all
 * read this. Each area declares its channels in channels/<area>.ts.
 */
export const contract = {
  ...coreChannels,
  ...gridChannels,
  ...importChannels,
  ...dashboardChannels,
  ...sourcesChannels,
  ...exchangeChannels,
  ...settingsBackupChannels,
  ...filesChannels,
  ...tasksChannels,
  ...aliasesChannels,
  ...linksChannels,
  ...hubChannels,
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type Input<C extends Channel> = z.input<Contract[C]['input']>;
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type Output<C extends Channel> = z.infer<Contract[C]['output']>;

/** Events pushed from the core to every connected view. */
export const events = {
  /**
   * A mutation changed these rows (ids omitted when many changed at once). `counts`: the row count
   * after the change of each table it added rows to or removed rows from (the tabs' badges);
   * `fields`: when it only updated rows, the fields it changed (a view neither sorted nor filtered
   * by them rereads only the rows named, and only those it holds).
   */
  'data.changed': z.object({
    tables: z.array(TableName),
    ids: z.array(z.string()).optional(),
    origin: z.string().optional(),
    counts: z.partialRecord(TableName, z.number()).optional(),
    fields: z.array(z.string()).optional(),
  }),
  /** Some window's Undo or Redo changed: each window asks history.state for its own. */
  'history.changed': z.object({}),
  /** Another case file was opened: every view starts over. */
  'file.opened': CaseInfo,
  /**
   * The check of the open case file that ran after it opened (the analyst's own file, unchanged
   * since this app closed it) has finished: `ok` false names the damage found, and every write
   * is refused until the analyst restores a backup or opens another file.
   */
  'file.checked': z.object({ path: z.string(), ok: z.boolean(), message: z.string().optional() }),
  /** The list of import conflicts changed without a row changing (the analyst kept their values). */
  'import.conflicts.changed': z.object({}),
  /** The preferences changed (theme, defaults): every window applies them. */
  'settings.changed': z.object({}),
  /** A long task's progress, by kind (channels/tasks.ts). */
  'task.progress': TaskProgress,
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;

export type ErrorCode = 'validation' | 'not_found' | 'conflict' | 'refused' | 'no_case_file' | 'internal';
export type Envelope<T> =
  { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string; field?: string } };

export const CHANNELS = Object.keys(contract) as Channel[];
export function isChannel(s: unknown): s is Channel {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(contract, s);
}
export const EVENT_NAMES = Object.keys(events) as EventName[];
