import { describe, expect, it } from 'vitest';
import * as runtime from '../../../src/core/dashboard/summary-defs';
import { keyExpr as frozenKeyExpr } from '../../../src/core/db/migrations/004-dashboard-summaries';
import { ALL_SUMMARIES as FROZEN } from '../../../src/core/db/migrations/006-map-grid-figures';

// The runtime keeps its own copy of the summary definitions so that no code imports a shipped
// migration. Until a migration changes a summary table, the copy must equal what the migrations
// created, key expression by key expression, or deltas and rebuilds would write other keys.
describe('the runtime summary definitions match the tables the migrations created', () => {
  it('has the same tables, keys, grains and indexes', () => {
    expect(runtime.ALL_SUMMARIES).toEqual(FROZEN);
  });

  it('derives every key with the same SQL', () => {
    for (const def of runtime.ALL_SUMMARIES)
      for (const key of def.keys) expect(runtime.keyExpr(def, key)).toBe(frozenKeyExpr(def, key));
  });
});
