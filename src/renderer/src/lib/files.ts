import type { FilePurpose } from '../../../shared/channels/files';
import { invoke, mode } from './api';
import { base64ToBlob, download } from './download';

/** Bytes per chunk sent: small enough for a steady progress bar, large enough to be quick. */
const SEND_CHUNK = 1024 * 1024;

export type Received = { path: string; name: string; size: number };
export type UploadProgress = { name: string; done: number; total: number };

function sliceBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => {
      const s = String(r.result);
      resolve(s.slice(s.indexOf(',') + 1));
    };
    r.onerror = () => reject(new Error(`the file cannot be read (${r.error?.message ?? 'unknown error'})`));
    r.readAsDataURL(blob);
  });
}

/**
 * Sends a file chosen in the page (browser mode, or a file dropped on the window) to the core, in
 * order, chunk by chunk; the core keeps it in its private temporary folder (or, with `keep`, in the
 * folder last used: a case file to work in). An error, or `signal` aborted, abandons it there.
 */
export async function uploadFile(
  file: File,
  opts: { keep?: boolean; onProgress?: (p: UploadProgress) => void; signal?: AbortSignal } = {},
): Promise<Received> {
  const { id } = await invoke('files.upload.begin', { name: file.name, size: file.size });
  try {
    let index = 0;
    opts.onProgress?.({ name: file.name, done: 0, total: file.size });
    for (let at = 0; at < file.size; at += SEND_CHUNK) {
      if (opts.signal?.aborted) throw new Error('Cancelled');
      const data = await sliceBase64(file.slice(at, Math.min(file.size, at + SEND_CHUNK)));
      const r = await invoke('files.upload.chunk', { id, index: index++, data });
      opts.onProgress?.({ name: file.name, done: r.received, total: file.size });
    }
    return await invoke('files.upload.finish', { id, keep: opts.keep ?? false });
  } catch (e) {
    void invoke('files.upload.discard', { id }).catch(() => undefined);
    throw e;
  }
}

/** A file the core wrote to its private folder, read back and handed to the browser's download; then removed. */
export async function downloadFromCore(path: string, name: string, type = 'application/octet-stream'): Promise<void> {
  const parts: Blob[] = [];
  try {
    for (let offset = 0; ;) {
      const r = await invoke('files.download.read', { path, offset });
      const blob = base64ToBlob(r.data, type);
      parts.push(blob);
      offset += blob.size;
      if (r.done || blob.size === 0) break;
    }
    download(name, new Blob(parts, { type }));
  } finally {
    void invoke('files.discard', { path }).catch(() => undefined);
  }
}

/** Removes a received file the core no longer needs (an import read it). */
export function discardReceived(path: string): void {
  void invoke('files.discard', { path }).catch(() => undefined);
}

/** The desktop app's file dialog; null when cancelled. */
export async function pickPath(input: {
  kind: 'open' | 'save';
  purpose: FilePurpose;
  title?: string;
  defaultName?: string;
  extensions?: string[];
}): Promise<string | null> {
  return (await invoke('files.pick', input)).path;
}

/** Whether the page can ask for the system's dialog (the desktop app) or must choose in the browser. */
export const hasSystemDialog = mode === 'electron';

/** What each purpose accepts in the browser's own file chooser. */
export const ACCEPT: Record<FilePurpose, string> = {
  casefile: '.casefile',
  data: '.csv,.tsv,.txt,.xlsx',
  'table-export': '.csv,.xlsx,.json',
  attachment: '.pdf,.html,.htm,.txt',
};

export function sizeText(n: number): string {
  return n < 1024 * 1024
    ? `${Math.max(1, Math.round(n / 1024)).toLocaleString('en-US')} KB`
    : `${(n / (1024 * 1024)).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;
}
