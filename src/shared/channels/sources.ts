import { z } from 'zod';
import { Uuid } from '../domain/common';
import { CITE_TARGETS, LOCATOR_TYPES, RELIABILITY, REVIEW_STATUS, SOURCE_TYPES } from '../domain/fields';
import { Row, TaskId, Values, ok } from '../contract-base';

/**
 * Channels of the sources area: the source library, attached files, citations and their
 * anchoring, notes, review and the sourcing panel. Views have typed outputs here so that the
 * renderer reads named fields, not `Row`'s unknowns.
 */

export const ReferenceFormat = z.enum(['bibtex', 'ris', 'csl-json']);
export type ReferenceFormat = z.infer<typeof ReferenceFormat>;
export const CitationStyle = z.enum(['chicago-author-date', 'apa']);
export type CitationStyle = z.infer<typeof CitationStyle>;
export const ReviewStatus = z.enum(REVIEW_STATUS);
export type ReviewStatus = z.infer<typeof ReviewStatus>;
export const CiteTarget = z.enum(CITE_TARGETS);
export type CiteTarget = z.infer<typeof CiteTarget>;

/** A grade filter value: a letter or digit, or null for "not graded". */
const ReliabilityOrNone = z.enum(RELIABILITY).nullable();

/**
 * Attached files cross the boundary as base64 in one message. The browser mode's WebSocket takes
 * messages up to 64 MiB, and base64 adds a third: 40 MiB of file leaves room for the envelope.
 */
export const MAX_ATTACHMENT_BYTES = 40 * 1024 * 1024;
const MAX_BASE64 = Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4;

export const SourceSummary = z.object({
  id: z.string(),
  key: z.string(),
  title: z.string(),
  authors: z.string().nullable(),
  published: z.string().nullable(),
  type: z.enum(SOURCE_TYPES),
  reliability: z.enum(RELIABILITY).nullable(),
  language: z.string().nullable(),
  url: z.string().nullable(),
  cites: z.number(),
  attachments: z.number(),
});
export type SourceSummary = z.infer<typeof SourceSummary>;

export const AttachmentMeta = z.object({
  id: z.string(),
  source_id: z.string(),
  name: z.string(),
  media_type: z.string(),
  size: z.number(),
  sha256: z.string(),
  created_at: z.string(),
  author: z.string(),
  /** Characters of text extracted; null when the file's text could not be read (a scanned PDF). */
  text_length: z.number().nullable(),
});
export type AttachmentMeta = z.infer<typeof AttachmentMeta>;
/** A file attached, and why its text could not be read if it could not (the 'attach' task's result). */
export const AttachResult = z.object({ attachment: AttachmentMeta, warning: z.string().nullable() });

/** Where a citation's quoted passage is in its source's attached text, computed on read. */
export const Anchor = z.discriminatedUnion('state', [
  /** The citation quotes nothing: there is nothing to find. */
  z.object({ state: z.literal('no-quote') }),
  /** The source has no attached text to look in. */
  z.object({ state: z.literal('no-text'), reason: z.string() }),
  z.object({
    state: z.literal('found'),
    attachmentId: z.string(),
    start: z.number(),
    end: z.number(),
    score: z.number(),
    page: z.number().nullable(),
  }),
  /** The passage is no longer in the attached text: flagged for review, never dropped. */
  z.object({ state: z.literal('not-found'), attachmentIds: z.array(z.string()) }),
]);
export type Anchor = z.infer<typeof Anchor>;

/** The passage nearest to a quote that is not found exactly: proposed, never taken without the analyst. */
export const NearestPassage = z.object({
  attachmentId: z.string(),
  attachmentName: z.string(),
  start: z.number(),
  end: z.number(),
  /** The passage as the attached text has it. */
  passage: z.string(),
  /** 1 - edits / quote length, on the folded texts. */
  similarity: z.number(),
  page: z.number().nullable(),
});
export type NearestPassage = z.infer<typeof NearestPassage>;

export const CitationView = z.object({
  id: z.string(),
  source_id: z.string(),
  source_key: z.string(),
  source_title: z.string(),
  source_reliability: z.enum(RELIABILITY).nullable(),
  target_table: CiteTarget,
  target_id: z.string(),
  /** A few words naming the cited row (date and place, a figure's measure, a note's title). */
  target_label: z.string(),
  field: z.string().nullable(),
  locator_type: z.enum(LOCATOR_TYPES).nullable(),
  locator: z.string().nullable(),
  quote: z.string().nullable(),
  prefix: z.string().nullable(),
  suffix: z.string().nullable(),
  translation: z.string().nullable(),
  credibility: z.number().nullable(),
  /** Reliability letter + credibility digit, '?' where ungraded: "B2", "F?". */
  grade: z.string(),
  status: ReviewStatus,
  reviewer: z.string().nullable(),
  open_threads: z.number(),
  anchor: Anchor,
  /** A note's citation whose key is no longer in the note's text (kept because it was reviewed). */
  orphaned: z.boolean(),
  author: z.string(),
  created_at: z.string(),
});
export type CitationView = z.infer<typeof CitationView>;

export const AnnotationView = z.object({
  id: z.string(),
  citation_id: z.string(),
  parent_id: z.string().nullable(),
  status: ReviewStatus.nullable(),
  body: z.string().nullable(),
  resolved: z.number(),
  author: z.string(),
  created_at: z.string(),
});
export type AnnotationView = z.infer<typeof AnnotationView>;

export const Thread = z.object({ root: AnnotationView, replies: z.array(AnnotationView) });
export type Thread = z.infer<typeof Thread>;

const Share = z.object({ total: z.number(), cited: z.number(), verified: z.number(), multiSource: z.number() });
export const SourcingPanel = z.object({
  incidents: Share,
  plots: Share,
  figures: Share,
  citations: z.object({ unreviewed: z.number(), verified: z.number(), disputed: z.number(), needsSource: z.number() }),
  sourcesByGrade: z.array(z.object({ reliability: z.string(), sources: z.number(), citations: z.number() })),
  citationsByGrade: z.array(z.object({ grade: z.string(), citations: z.number() })),
  /** Figures whose reported value differs from the case file's own count (dashboard computation). */
  disagreements: z.array(
    z.object({ label: z.string(), measure: z.string().nullable(), reported: z.number(), computed: z.number() }),
  ),
});
export type SourcingPanel = z.infer<typeof SourcingPanel>;

export const QueueFilter = z.object({
  status: z.array(ReviewStatus).max(4).default([]),
  sourceId: Uuid.nullable().default(null),
  reliability: z.array(ReliabilityOrNone).max(7).default([]),
  credibility: z.array(z.number().int().min(1).max(6).nullable()).max(7).default([]),
  reviewer: z.string().max(200).nullable().default(null),
  targetTable: CiteTarget.nullable().default(null),
});
export type QueueFilter = z.infer<typeof QueueFilter>;

export const ImportSummary = z.object({
  imported: z.number(),
  duplicates: z.number(),
  errors: z.array(z.string()),
  warnings: z.array(z.string()),
  format: ReferenceFormat,
});

const empty = z.object({}).strict();

export const sourcesChannels = {
  // ---- library ------------------------------------------------------------------------
  'sources.list': {
    kind: 'query',
    input: z
      .object({
        search: z.string().max(1000).default(''),
        reliability: z.array(ReliabilityOrNone).max(7).default([]),
        limit: z.number().int().min(1).max(5000).default(1000),
      })
      .strict(),
    output: z.object({ rows: z.array(SourceSummary), total: z.number() }),
  },
  'sources.get': { kind: 'query', input: z.object({ id: Uuid }).strict(), output: Row.nullable() },
  /** Creates (no id) or edits a source; a new key must be valid and unused, a renamed key is renamed in notes too. */
  'sources.save': {
    kind: 'mutation',
    input: z.object({ id: Uuid.nullable().default(null), values: Values }).strict(),
    output: Row,
  },
  /** Keys and short labels of every source, for completing `[@key` in the note editor. */
  'sources.keys': {
    kind: 'query',
    input: empty,
    output: z.array(
      z.object({
        key: z.string(),
        title: z.string(),
        authors: z.string().nullable(),
        published: z.string().nullable(),
      }),
    ),
  },
  'sources.duplicates': {
    kind: 'query',
    input: empty,
    output: z.array(z.object({ match: z.string(), ids: z.array(z.string()) })),
  },
  'sources.merge': {
    kind: 'mutation',
    input: z.object({ keep: Uuid, merge: z.array(Uuid).min(1).max(100) }).strict(),
    output: z.object({ citations: z.number(), attachments: z.number() }),
  },
  'sources.delete': {
    kind: 'mutation',
    input: z
      .object({ id: Uuid, reassignTo: Uuid.nullable().default(null), deleteAttachments: z.boolean().default(false) })
      .strict(),
    output: z.object({ reassigned: z.number(), attachments: z.number() }),
  },
  'sources.import': {
    kind: 'mutation',
    input: z.object({ text: z.string().max(50_000_000), format: ReferenceFormat.nullable().default(null) }).strict(),
    output: ImportSummary,
  },
  'sources.export': {
    kind: 'query',
    input: z.object({ format: ReferenceFormat, ids: z.array(Uuid).max(100_000).nullable().default(null) }).strict(),
    output: z.object({ text: z.string(), count: z.number() }),
  },

  // ---- attached files -------------------------------------------------------------------
  'attachments.add': {
    kind: 'mutation',
    input: z
      .object({
        sourceId: Uuid,
        name: z.string().min(1).max(500),
        mediaType: z.string().max(200).default(''),
        dataBase64: z.string().max(MAX_BASE64, `the file is larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`),
        taskId: TaskId.optional(),
      })
      .strict(),
    output: AttachResult,
  },
  'attachments.list': { kind: 'query', input: z.object({ sourceId: Uuid }).strict(), output: z.array(AttachmentMeta) },
  'attachments.text': {
    kind: 'query',
    input: z.object({ id: Uuid }).strict(),
    output: z.object({ attachment: AttachmentMeta, text: z.string().nullable() }),
  },
  'attachments.data': {
    kind: 'query',
    input: z.object({ id: Uuid }).strict(),
    output: z.object({ name: z.string(), mediaType: z.string(), dataBase64: z.string() }),
  },
  'attachments.remove': { kind: 'mutation', input: z.object({ id: Uuid }).strict(), output: ok },

  // ---- citations ------------------------------------------------------------------------
  'citations.list': {
    kind: 'query',
    input: z.object({ table: z.union([CiteTarget, z.literal('sources')]), id: Uuid }).strict(),
    output: z.array(CitationView),
  },
  'citations.get': { kind: 'query', input: z.object({ id: Uuid }).strict(), output: CitationView.nullable() },
  /** Cites a source; a quote without context gets its prefix and suffix from the attached text. */
  'citations.create': { kind: 'mutation', input: z.object({ values: Values }).strict(), output: Row },
  'citations.update': { kind: 'mutation', input: z.object({ id: Uuid, values: Values }).strict(), output: Row },
  /** For a citation whose passage is not found exactly: the nearest passage, or null. */
  'citations.nearest': { kind: 'query', input: z.object({ id: Uuid }).strict(), output: NearestPassage.nullable() },
  /** Re-anchors the citation on a proposed passage (one undoable edit); refused if the text changed since. */
  'citations.acceptNearest': {
    kind: 'mutation',
    input: z
      .object({
        id: Uuid,
        attachmentId: Uuid,
        start: z.number().int().min(0),
        end: z.number().int().min(1),
        passage: z.string().min(1).max(100_000),
      })
      .strict(),
    output: ok,
  },
  'citations.delete': {
    kind: 'mutation',
    input: z.object({ ids: z.array(Uuid).min(1).max(10_000) }).strict(),
    output: z.object({ deleted: z.number() }),
  },

  // ---- notes ----------------------------------------------------------------------------
  'notes.list': {
    kind: 'query',
    input: empty,
    output: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        updated_at: z.string(),
        author: z.string(),
        citations: z.number(),
      }),
    ),
  },
  /** Creates (no id) or saves a note, and brings its `citations` rows in line with its [@key]s. */
  'notes.save': {
    kind: 'mutation',
    input: z
      .object({
        id: Uuid.nullable().default(null),
        title: z.string().trim().min(1, 'a title is required').max(10_000),
        body: z.string().max(1_000_000),
      })
      .strict(),
    output: Row,
  },
  /** The note as HTML (raw HTML shown as text) with formatted citations and a bibliography; sanitize before inserting. */
  'notes.render': {
    kind: 'query',
    input: z
      .object({ markdown: z.string().max(2_000_000), style: CitationStyle.default('chicago-author-date') })
      .strict(),
    output: z.object({
      html: z.string(),
      bibliography: z.array(z.string()),
      missing: z.array(z.string()),
      bidi: z.array(z.object({ index: z.number(), name: z.string() })),
    }),
  },
  /**
   * Desktop app only: the note as a PDF, printed from `document` (the standalone HTML the Export
   * HTML button writes: sanitized note and bibliography) in a hidden window that runs no script
   * and loads nothing, written where the user chooses. `path` null: the save dialog was cancelled.
   * The browser mode refuses it (its note view prints instead).
   */
  'notes.exportPdf': {
    kind: 'mutation',
    input: z.object({ id: Uuid, document: z.string().max(8_000_000) }).strict(),
    output: z.object({ path: z.string().nullable() }),
  },
  /** Markdown with a CSL-JSON bibliography of what it cites, for Pandoc. */
  'notes.exportBundle': {
    kind: 'query',
    input: z.object({ id: Uuid, style: CitationStyle.default('chicago-author-date') }).strict(),
    output: z.object({ fileBase: z.string(), markdown: z.string(), cslJson: z.string() }),
  },

  // ---- review ---------------------------------------------------------------------------
  'review.queue': {
    kind: 'query',
    input: z
      .object({
        filter: QueueFilter.default(QueueFilter.parse({})),
        after: z.string().max(64).nullable().default(null),
        limit: z.number().int().min(1).max(500).default(200),
      })
      .strict(),
    output: z.object({ rows: z.array(CitationView), next: z.string().nullable(), total: z.number() }),
  },
  'review.reviewers': { kind: 'query', input: empty, output: z.array(z.string()) },
  'review.setStatus': {
    kind: 'mutation',
    input: z
      .object({
        citationId: Uuid,
        status: ReviewStatus,
        comment: z.string().trim().max(100_000).nullable().default(null),
      })
      .strict(),
    output: AnnotationView,
  },
  'review.comment': {
    kind: 'mutation',
    input: z
      .object({
        citationId: Uuid,
        parentId: Uuid.nullable().default(null),
        body: z.string().trim().min(1, 'the comment is empty').max(100_000),
      })
      .strict(),
    output: AnnotationView,
  },
  'review.resolve': {
    kind: 'mutation',
    input: z.object({ annotationId: Uuid, resolved: z.boolean() }).strict(),
    output: AnnotationView,
  },
  'review.thread': {
    kind: 'query',
    input: z.object({ citationId: Uuid }).strict(),
    output: z.object({ statusChanges: z.array(AnnotationView), threads: z.array(Thread) }),
  },
  'review.panel': { kind: 'query', input: empty, output: SourcingPanel },
} as const;
