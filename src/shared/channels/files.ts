import { z } from 'zod';
import { ok } from '../contract-base';

/** What a file dialog is for: it decides the file types offered and the words shown. */
export const FilePurpose = z.enum(['casefile', 'data', 'table-export', 'attachment']);
export type FilePurpose = z.infer<typeof FilePurpose>;

/** Decoded, a chunk is at most 4 MiB (core/files/upload-receiver.ts); in base64 that is under 5.6 M characters. */
const Base64 = z
  .string()
  .max(5_600_000)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'a chunk must be base64');
const TempPath = z.string().min(1).max(4096);

/**
 * Files by dialog and by upload. `files.pick` is the platform's file dialog: the desktop app's
 * main process answers it; browser mode has none (the page chooses a file with the browser's own
 * dialog and sends its bytes with `files.upload.*`). Exports meant for the browser are written to
 * `files.download.target` and read back with `files.download.read`.
 */
export const filesChannels = {
  'files.pick': {
    kind: 'query',
    input: z
      .object({
        kind: z.enum(['open', 'save']),
        purpose: FilePurpose,
        title: z.string().max(200).optional(),
        /** For a save: the name offered, placed in the folder last used (or Documents). */
        defaultName: z.string().max(255).optional(),
        /** For a table export: the one extension offered, from the format chosen. */
        extensions: z
          .array(z.string().regex(/^[a-z0-9]{1,8}$/))
          .max(8)
          .optional(),
      })
      .strict(),
    output: z.object({ path: z.string().nullable() }),
  },
  'files.upload.begin': {
    kind: 'mutation',
    input: z.object({ name: z.string().max(1000), size: z.number().int().min(0) }).strict(),
    output: z.object({ id: z.string(), limit: z.number(), chunk: z.number() }),
  },
  'files.upload.chunk': {
    kind: 'mutation',
    input: z.object({ id: z.string().max(64), index: z.number().int().min(0), data: Base64 }).strict(),
    output: z.object({ received: z.number(), size: z.number() }),
  },
  /** `keep`: a case file to work in is moved out of the temporary folder (to the folder last used, or Documents). */
  'files.upload.finish': {
    kind: 'mutation',
    input: z.object({ id: z.string().max(64), keep: z.boolean().default(false) }).strict(),
    output: z.object({ path: z.string(), name: z.string(), size: z.number() }),
  },
  /** Removes what an unfinished upload wrote (the browser stopped sending): no core work runs to be stopped. */
  'files.upload.discard': { kind: 'mutation', input: z.object({ id: z.string().max(64) }).strict(), output: ok },
  'files.download.target': {
    kind: 'mutation',
    input: z.object({ name: z.string().min(1).max(255) }).strict(),
    output: z.object({ path: z.string() }),
  },
  'files.download.read': {
    kind: 'query',
    input: z.object({ path: TempPath, offset: z.number().int().min(0) }).strict(),
    output: z.object({ data: z.string(), size: z.number(), done: z.boolean() }),
  },
  'files.discard': { kind: 'mutation', input: z.object({ path: TempPath }).strict(), output: ok },
} as const;
