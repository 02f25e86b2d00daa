import { migration001 } from './001-initial';
import { migration002 } from './002-search-attachments';
import { migration003 } from './003-aggregate-indexes';
import { migration004 } from './004-dashboard-summaries';
import { migration005 } from './005-search-folding';
import { migration006 } from './006-map-grid-figures';
import { migration007 } from './007-shallow-search-views';
import { migration008 } from './008-aliases';
import { migration009 } from './009-attachments-on-hub';

/** Ordered list of migrations: index + 1 is the user_version it produces. Append only. */
export const MIGRATIONS: readonly string[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
];
export const SCHEMA_VERSION = MIGRATIONS.length;
/** PRAGMA application_id of a case file: "CSF1". */
export const APPLICATION_ID = 0x43534631;
export { FTS_TABLES } from './002-search-attachments';
