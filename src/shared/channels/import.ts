import { z } from 'zod';
import { FIELDS } from '../domain/fields';
import { TaskId } from '../contract-base';

/**
 * Channels of the import area. The path is one the core can read: in browser mode the page
 * cannot hand a local file to the server, so the analyst types or pastes a path.
 */
export const IMPORT_FORMATS = ['acled', 'gtd', 'ucdp', 'csv'] as const;
export const ImportFormat = z.enum(IMPORT_FORMATS);
export type ImportFormat = z.infer<typeof ImportFormat>;

/** What a column of a generic table can be mapped to: an incident field, or the row's sources. */
export const IMPORT_TARGETS = [...FIELDS.incidents.map((f) => f.name), 'sources'] as const;
export const ImportTarget = z.enum(IMPORT_TARGETS as unknown as [string, ...string[]]);

const Path = z.string().trim().min(1, 'a file path is required').max(4096);
export const ColumnMapping = z
  .record(z.string().max(1000), ImportTarget.nullable())
  .refine((m) => Object.keys(m).length <= 10_000, 'a mapping has at most 10,000 columns');

export const ImportProgress = z.object({
  rows: z.number(),
  bytes: z.number(),
  totalBytes: z.number().nullable(),
  rowsPerSecond: z.number(),
  percent: z.number().nullable(),
  /** Once every row is read: the step before the commit (indexes, search, statistics). */
  phase: z.string().optional(),
});

export const ImportReport = z.object({
  format: ImportFormat,
  layout: z.string().nullable(),
  imported: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  /** Rows the analyst deleted from the case file, left deleted. */
  deletedKept: z.number(),
  skipped: z.number(),
  errors: z.array(z.object({ line: z.number(), reason: z.string() })),
  conflicts: z.array(
    z.object({
      line: z.number(),
      externalId: z.string(),
      id: z.string(),
      field: z.string(),
      theirs: z.unknown(),
      yours: z.unknown(),
    }),
  ),
  sourcesCreated: z.number(),
  citationsCreated: z.number(),
  /**
   * Which order of day and month read dates such as `09/05/2021`, and why: chosen, remembered
   * with the mapping, or settled by the file (`example`: the first date that reads one way only);
   * `heldBack` rows were read again once it was settled, `unsettled` rows skipped since it never was.
   */
  dates: z
    .object({
      order: z.enum(['dmy', 'mdy']).nullable(),
      source: z.enum(['chosen', 'remembered', 'file']).nullable(),
      example: z.object({ value: z.string(), line: z.number() }).nullable(),
      heldBack: z.number(),
      unsettled: z.number(),
    })
    .nullable(),
});
export type ImportReport = z.infer<typeof ImportReport>;

/** A field the analyst edited that a later import said otherwise: the analyst's value is kept until they choose. */
export const PendingConflict = z.object({
  /** The import that reported it, its file and when it ran. */
  txn: z.string(),
  file: z.string().nullable(),
  at: z.string().nullable(),
  line: z.number(),
  externalId: z.string(),
  id: z.string(),
  field: z.string(),
  /** What the file said, and what the case file holds (the analyst's). */
  theirs: z.union([z.string(), z.number()]).nullable(),
  yours: z.union([z.string(), z.number()]).nullable(),
});
export type PendingConflict = z.infer<typeof PendingConflict>;
const ConflictKey = z
  .object({ txn: z.string().max(100), id: z.string().max(100), field: z.string().max(100) })
  .strict();

/** How a table writes `09/05/2020`: day first or month first (a generic table's mapping says). */
export const DateOrder = z.enum(['dmy', 'mdy']);
export type DateOrder = z.infer<typeof DateOrder>;

export const ImportPreview = z.object({
  path: z.string(),
  fileName: z.string(),
  kind: z.enum(['csv', 'xlsx']),
  encoding: z.enum(['utf8', 'windows-1252']),
  format: ImportFormat,
  layout: z.string().nullable(),
  header: z.array(z.string()),
  rows: z.array(z.object({ line: z.number(), cells: z.array(z.string()) })),
  signature: z.string(),
  mapping: z.record(z.string(), z.string().nullable()).nullable(),
  mappingSource: z.enum(['remembered', 'suggested']).nullable(),
  /**
   * A generic table's dates such as `09/05/2020`: the order remembered with its mapping, or the
   * one its first rows show (a day above 12 in either place), else null; `either`: how many of
   * those rows' dates read both ways, `sampled` how many rows were looked at; `example`, a date
   * that shows the order detected, and its line.
   */
  dates: z
    .object({
      order: DateOrder.nullable(),
      source: z.enum(['remembered', 'detected']).nullable(),
      either: z.number(),
      sampled: z.number(),
      example: z.object({ value: z.string(), line: z.number() }).nullable(),
    })
    .nullable(),
  totalBytes: z.number().nullable(),
  estimatedRows: z.number().nullable(),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

/** An import recorded in the case file: its file, when and by whom, and what it did then. */
export const ImportRecordView = z.object({
  txn: z.string(),
  file: z.string(),
  format: z.string(),
  at: z.string().nullable(),
  author: z.string().nullable(),
  imported: z.number(),
  updated: z.number(),
  /** Whether import.remove can take its rows as an undo step (it holds at most 250,000); else only for good. */
  removable: z.boolean(),
  /** When its rows were removed for good, and by whom (an undoable removal leaves no mark: Undo may bring them back). */
  removed: z.object({ at: z.string().nullable(), by: z.string().nullable() }).nullable(),
});
export type ImportRecordView = z.infer<typeof ImportRecordView>;

/** What a removal of an import's rows did (the 'import-remove' task's result). */
export const RemoveImportResult = z.object({ removed: z.number() });

export const importChannels = {
  /** Header, first rows, recognised format and (generic tables) the mapping to confirm. Writes nothing. */
  'import.preview': {
    kind: 'query',
    input: z.object({ path: Path }).strict(),
    output: ImportPreview,
  },
  /**
   * Imports the file into the open case file, in a worker, as one transaction; progress comes as
   * `task.progress` events of kind 'import' (tasks.cancel stops it). Not on the undo stack: the change log keeps it.
   */
  'import.run': {
    kind: 'mutation',
    input: z
      .object({
        path: Path,
        format: ImportFormat.optional(),
        mapping: ColumnMapping.optional(),
        dateOrder: DateOrder.nullable().optional(),
        taskId: TaskId.optional(),
      })
      .strict(),
    output: ImportReport,
  },
  /**
   * The conflicts of earlier imports still waiting for the analyst's choice: the first `limit`
   * and how many in all; `kept`, how many the last "keep mine" settled while it can still be
   * taken back (import.conflicts.unkeep), else 0.
   */
  'import.conflicts': {
    kind: 'query',
    input: z.object({ limit: z.number().int().min(1).max(10_000).default(500) }).strict(),
    output: z.object({ total: z.number(), items: z.array(PendingConflict), kept: z.number() }),
  },
  /**
   * Settles conflicts: 'file' writes the file's values (one undo step), 'mine' keeps the
   * analyst's and drops them from the list. `all` settles every pending one.
   */
  'import.conflicts.resolve': {
    kind: 'mutation',
    input: z.union([
      z.object({ take: z.enum(['file', 'mine']), items: z.array(ConflictKey).min(1).max(10_000) }).strict(),
      z.object({ take: z.enum(['file', 'mine']), all: z.literal(true) }).strict(),
    ]),
    output: z.object({ resolved: z.number() }),
  },
  /** Takes the last "keep mine" back: those conflicts are listed again (it is no edit, so Undo does not). */
  'import.conflicts.unkeep': {
    kind: 'mutation',
    input: z.object({}).strict(),
    output: z.object({ restored: z.number() }),
  },
  /** The imports recorded in the case file, newest first. */
  'import.past': {
    kind: 'query',
    input: z.object({}).strict(),
    output: z.object({ items: z.array(ImportRecordView) }),
  },
  /**
   * Removes the incidents an import added that are still in the case file, with their citations,
   * as one undoable step (at most 250,000), or for good (`permanent`: no Undo, no bound, and the
   * Undo history is cleared); progress as `task.progress` events of kind 'import-remove'.
   */
  'import.remove': {
    kind: 'mutation',
    input: z
      .object({ txn: z.string().min(1).max(100), permanent: z.boolean().optional(), taskId: TaskId.optional() })
      .strict(),
    output: RemoveImportResult,
  },
} as const;
