import type { sourcesChannels } from '../../shared/channels/sources';
import { CasefileError } from '../errors';
import { fetchAttachment } from '../hub/attachment-fetch';
import type { Session } from '../session';
import {
  addAttachment,
  attachmentData,
  attachmentText,
  listAttachments,
  removeAttachment,
} from '../sources/attachments';
import { citationView, citationsFor, createCitation, reviewQueue, updateCitation } from '../sources/citations';
import { deleteSource, findDuplicates, listSources, mergeSources, saveSource, sourceKeys } from '../sources/library';
import { acceptPassage, nearestPassage } from '../sources/nearest-passage';
import { listNotes, noteExportBundle, renderNoteHtml, saveNote } from '../sources/notes';
import { exportSources, importReferences } from '../sources/references';
import { addComment, resolveThread, reviewers, setStatus, threadOf } from '../sources/review';
import { sourcingPanelFor } from '../sources/sourcing';
import type { AreaHandlers } from './types';

/** Handlers of the sources area's channels: the library, attached files, citations, notes and review. */
export function sourcesHandlers(s: Session): AreaHandlers<typeof sourcesChannels> {
  const db = () => s.caseFile.db;
  return {
    'sources.list': (o) => listSources(db(), o),
    'sources.get': ({ id }) => s.caseFile.get('sources', id),
    'sources.save': ({ id, values }) => saveSource(s.caseFile, id, values),
    'sources.keys': () => sourceKeys(db()),
    'sources.duplicates': () => findDuplicates(db()),
    'sources.merge': ({ keep, merge }) => mergeSources(s.caseFile, keep, merge),
    'sources.delete': ({ id, reassignTo, deleteAttachments }) =>
      deleteSource(s.caseFile, id, { reassignTo, deleteAttachments }),
    'sources.import': ({ text, format }) => importReferences(s.caseFile, text, format),
    'sources.export': ({ format, ids }) => exportSources(db(), format, ids),

    // Files are read for their text (a PDF page by page) as 'attach' tasks, each stopped by its id.
    'attachments.add': ({ sourceId, name, mediaType, dataBase64, taskId }) =>
      s.tasks.run('attach', { id: taskId }, ({ signal, progress }) =>
        addAttachment(
          s.caseFile,
          { sourceId, name, mediaType, data: Buffer.from(dataBase64, 'base64') },
          { signal, onProgress: progress },
        ),
      ),
    'attachments.list': ({ sourceId }) => listAttachments(db(), sourceId),
    'attachments.text': ({ id }) => attachmentText(db(), id),
    'attachments.data': async ({ id }) => {
      // A file pulled from the team hub comes as a row: its bytes are fetched (and kept) when first opened.
      await fetchAttachment(s.caseFile, s.settings.get().hubUrl, id);
      const d = attachmentData(db(), id);
      return { name: d.name, mediaType: d.mediaType, dataBase64: d.data.toString('base64') };
    },
    'attachments.remove': ({ id }) => {
      removeAttachment(s.caseFile, id);
      return { ok: true as const };
    },

    'citations.list': ({ table, id }) => citationsFor(db(), table, id),
    'citations.get': ({ id }) => citationView(db(), id),
    'citations.create': ({ values }) => createCitation(s.caseFile, values),
    'citations.update': ({ id, values }) => updateCitation(s.caseFile, id, values),
    'citations.nearest': ({ id }) => nearestPassage(db(), id),
    'citations.acceptNearest': ({ id, ...p }) => {
      acceptPassage(s.caseFile, id, p);
      return { ok: true as const };
    },
    'citations.delete': ({ ids }) => ({ deleted: s.caseFile.delete('citations', ids) }),

    'notes.list': () => listNotes(db()),
    'notes.save': ({ id, title, body }) => saveNote(s.caseFile, id, title, body),
    'notes.render': ({ markdown, style }) => renderNoteHtml(db(), markdown, style),
    'notes.exportBundle': ({ id, style }) => noteExportBundle(db(), id, style),
    // Printing needs a browser engine: the Electron main process replaces this (src/main/note-pdf.ts).
    'notes.exportPdf': () => {
      throw new CasefileError('refused', 'PDF export is in the desktop app; here, use Print / Save as PDF');
    },

    'review.queue': ({ filter, after, limit }) => reviewQueue(db(), filter, after, limit),
    'review.reviewers': () => reviewers(db()),
    'review.setStatus': ({ citationId, status, comment }) => setStatus(s.caseFile, citationId, status, comment),
    'review.comment': ({ citationId, parentId, body }) => addComment(s.caseFile, citationId, body, parentId),
    'review.resolve': ({ annotationId, resolved }) => resolveThread(s.caseFile, annotationId, resolved),
    'review.thread': ({ citationId }) => threadOf(db(), citationId),
    // At a million rows the panel takes seconds: read in a worker then, so the windows stay served.
    'review.panel': () => sourcingPanelFor(db(), s.caseFile.path),
  };
}
