import { describe, expect, it } from 'vitest';
import { decideField, decidePresence, type LogEntry } from '../../../src/core/exchange/merge-decisions';

// A hub's copy of a laptop's history numbers the entries in the hub's order: the same entry has
// another position (seq) in each file. The merge must see it as the one common entry it is.
const entry = (
  seq: number,
  hlc: string,
  author: string,
  op: LogEntry['op'],
  field: string | null = null,
  after: string | null = null,
): LogEntry => ({ seq, hlc, author, op, field, after });
const H1 = '001a2510a0000-000000-aaaaaaaaaaaa';
const H2 = '001a2510b0000-000000-bbbbbbbbbbbb';

describe('the common entry of two logs that number it differently', () => {
  it('a row deleted on one side and untouched on the other since their common insert is deleted, not a conflict', () => {
    const mine = [entry(3, H1, 'alice', 'insert', null, '{"location":"Place 3"}'), entry(16, H2, 'bob', 'delete')];
    const hub = [entry(4, H1, 'alice', 'insert', null, '{"location":"Place 3"}')];
    expect(decidePresence(mine, hub).verdict).toBe('deleted');
  });

  it('a field changed on this side only since the common entry (its value not kept) stays as it is here, not a conflict', () => {
    const mine = [entry(3, H1, 'alice', 'insert'), entry(20, H2, 'bob', 'update', 'location', '"Kabul"')];
    const hub = [entry(9, H1, 'alice', 'insert')];
    expect(decideField('location', 'Kabul', 'Place 3', mine, hub).verdict).toBe('mine');
  });
});
