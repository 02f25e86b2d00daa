import { z } from 'zod';
import { CaseInfo, HistoryState, TaskId, UndoResult, ok } from '../contract-base';

/** The foundation's channels: app, settings, files, the Undo history. */
export const coreChannels = {
  'app.info': {
    kind: 'query',
    input: z.object({}).strict(),
    output: z.object({
      mode: z.enum(['electron', 'browser']),
      author: z.string().nullable(),
      caseFile: CaseInfo.nullable(),
      version: z.string(),
    }),
  },
  'settings.setAuthor': {
    kind: 'mutation',
    input: z.object({ author: z.string().trim().min(1, 'a name is required').max(200) }).strict(),
    output: ok,
  },
  'file.new': {
    kind: 'mutation',
    input: z.object({ path: z.string().min(1).max(4096), demo: z.boolean().default(false) }).strict(),
    output: CaseInfo,
  },
  'file.open': {
    kind: 'mutation',
    input: z.object({ path: z.string().min(1).max(4096), taskId: TaskId.optional() }).strict(),
    output: CaseInfo,
  },
  'file.saveAs': {
    kind: 'mutation',
    input: z.object({ path: z.string().min(1).max(4096), taskId: TaskId.optional() }).strict(),
    output: CaseInfo,
  },
  /** The recently opened files, newest first (the in-page File menu's Open Recent). */
  'file.recent': {
    kind: 'query',
    input: z.object({}).strict(),
    output: z.array(z.string()),
  },
  /** The calling window's Undo and Redo: each window undoes the steps made in it. */
  'history.state': { kind: 'query', input: z.object({}).strict(), output: HistoryState },
  /** `overwrite`: undo even what another window changed since (after asking the analyst). */
  'history.undo': {
    kind: 'mutation',
    input: z.object({ overwrite: z.boolean().default(false) }).strict(),
    output: UndoResult,
  },
  'history.redo': {
    kind: 'mutation',
    input: z.object({ overwrite: z.boolean().default(false) }).strict(),
    output: UndoResult,
  },
} as const;
