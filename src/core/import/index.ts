export * from './types';
export { openCsv, readCsv, type CsvOptions } from './csv-stream';
export { openXlsx, readXlsx, cellText, type XlsxOptions } from './xlsx-stream';
export { detectAcledLayout, createAcledMapper, mapAcledRow, type AcledLayout, type AcledMapper } from './acled';
export { isGtdHeader, createGtdMapper, mapGtdRow, type GtdMapper } from './gtd';
export {
  createGenericMapper,
  mapGenericRow,
  headerSignature,
  suggestMapping,
  GENERIC_TARGETS,
  type ColumnMapping,
  type GenericMapper,
  type GenericOptions,
  type GenericTarget,
  type IncidentField,
} from './generic';
export { detectTableFormat, type DetectedFormat } from './detect';
export { checkIncident } from './check';
export { parseDate, type DateOptions, type DateResult } from './values';
