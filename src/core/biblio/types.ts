import type { DatePrecision } from '../../shared/domain/common';
import type { RELIABILITY, SOURCE_TYPES } from '../../shared/domain/fields';

export type SourceType = (typeof SOURCE_TYPES)[number];
export type Reliability = (typeof RELIABILITY)[number];

/**
 * One row of the source library as the importers hand it over and the exporters take it: every
 * field of the `sources` registry present, null where the reference says nothing. `authors` is
 * text, several joined with '; ', each 'Family, Given' or an institution's name.
 */
export type SourceInput = {
  key: string;
  title: string;
  authors: string | null;
  published: string | null;
  published_precision: DatePrecision;
  url: string | null;
  language: string | null;
  type: SourceType;
  reliability: Reliability | null;
  accessed: string | null;
  notes: string | null;
};

/**
 * What an exporter accepts: a row, optionally with the CSL type it was imported as. The row has
 * no column for that type, so it is only there when a caller kept it (see `ParseResult.csl`).
 */
export type SourceForExport = SourceInput & { csl_type?: string | null };

/** A CSL-JSON name: a person split in parts, or an institution as one `literal`. */
export type CslName = {
  family?: string;
  given?: string;
  literal?: string;
  'non-dropping-particle'?: string;
  'dropping-particle'?: string;
  suffix?: string;
};

export type CslDate = {
  'date-parts'?: (number | string)[][];
  raw?: string;
  literal?: string;
};

/**
 * The CSL-JSON item fields Casefile reads or writes; others are kept as they come (the index
 * signature), since CSL-JSON files from Zotero carry many more.
 */
export type CslItem = {
  id: string;
  type: string;
  'citation-key'?: string;
  title?: string;
  author?: CslName[];
  editor?: CslName[];
  reporter?: CslName[];
  publisher?: string;
  'container-title'?: string;
  issued?: CslDate;
  accessed?: CslDate;
  URL?: string;
  language?: string;
  note?: string;
  abstract?: string;
  keyword?: string;
  genre?: string;
  [field: string]: unknown;
};

export type ReferenceFormat = 'bibtex' | 'ris' | 'csl-json';
