import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { app, BrowserWindow, dialog, session } from 'electron';
import { CasefileError } from '../core/errors';
import type { Handlers } from '../core/handlers/index';
import type { Session } from '../core/session';
import { fileBaseOf } from '../core/sources/notes';
import { APP_ORIGIN, APP_SCHEME } from './security';

/**
 * A note as PDF (notes.exportPdf, desktop only). The page printed is the standalone HTML the
 * renderer builds for Export HTML (the note and its bibliography, sanitized there). It is loaded
 * into a hidden window of its own: sandboxed, JavaScript off, in an in-memory session of its own
 * that answers only the one-time URL of the page being printed (under a CSP that allows no script
 * and no fetch) and cancels every other request. Chromium's printToPDF lays it out; the file is written beside
 * the chosen path and renamed into place, so a failure leaves no half-written PDF.
 */

/** No script, no network, nothing but the page's own inline style. */
const PRINT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; font-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";
const PARTITION = 'casefile-print';
/** Pages being printed, by their one-time URL: the print session answers these and nothing else. */
const pages = new Map<string, string>();
let ready = false;

function printSession(): Electron.Session {
  const ses = session.fromPartition(PARTITION, { cache: false });
  if (!ready) {
    ready = true;
    ses.protocol.handle(APP_SCHEME, (req) => {
      const doc = pages.get(req.url);
      return doc === undefined
        ? new Response('Not found', { status: 404 })
        : new Response(doc, {
            headers: {
              'content-type': 'text/html; charset=utf-8',
              'content-security-policy': PRINT_CSP,
              'x-content-type-options': 'nosniff',
            },
          });
    });
    ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !pages.has(details.url) }));
    ses.setPermissionRequestHandler((_wc, _p, callback) => callback(false));
    ses.setPermissionCheckHandler(() => false);
  }
  return ses;
}

export async function printNoteToPdf(document: string): Promise<Buffer> {
  printSession();
  const url = `${APP_ORIGIN}/print/${randomUUID()}.html`;
  pages.set(url, document);
  const win = new BrowserWindow({
    show: false,
    webPreferences: {
      partition: PARTITION,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  try {
    await win.loadURL(url);
    return await win.webContents.printToPDF({
      pageSize: 'A4',
      printBackground: false,
      margins: { top: 0.8, bottom: 0.8, left: 0.8, right: 0.8 },
      generateDocumentOutline: true,
      generateTaggedPDF: true,
    });
  } finally {
    pages.delete(url);
    win.destroy();
  }
}

/** Replaces the core's refusing handler: save dialog, print, write. */
export function notePdfHandler(s: Session, parent: () => BrowserWindow | undefined): Handlers['notes.exportPdf'] {
  return async ({ id, document }) => {
    const note = s.caseFile.get('notes', id);
    if (!note) throw new CasefileError('not_found', `no note ${id}`);
    const options = {
      title: 'Export note as PDF',
      defaultPath: join(app.getPath('documents'), `${fileBaseOf(String(note.title))}.pdf`),
      filters: [{ name: 'PDF', extensions: ['pdf'] }],
      properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const],
    };
    const win = parent();
    const r = await (win ? dialog.showSaveDialog(win, options) : dialog.showSaveDialog(options));
    if (r.canceled || !r.filePath) return { path: null };
    const path = r.filePath.toLowerCase().endsWith('.pdf') ? r.filePath : `${r.filePath}.pdf`;
    const pdf = await printNoteToPdf(document);
    const tmp = join(path, '..', `.${basename(path)}.${process.pid}.tmp`);
    try {
      await writeFile(tmp, pdf, { flag: 'wx' });
      await rename(tmp, path);
    } catch (e) {
      await rm(tmp, { force: true });
      throw new CasefileError('refused', `${basename(path)} was not written: ${(e as Error).message}`);
    }
    return { path };
  };
}
