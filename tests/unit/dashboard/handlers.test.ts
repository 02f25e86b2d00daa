import { describe, expect, it } from 'vitest';
import { CaseFile } from '../../../src/core/write/case-file';
import { dashboardHandlers } from '../../../src/core/handlers/dashboard';
import { openForWork } from '../../../src/core/write/open-for-work';
import { EMPTY_FILTER } from '../../../src/shared/contract';
import { session } from '../../helpers';

/** The handlers cache answers and filtered selections until the data changes, never after. */
describe('dashboard handlers', () => {
  it('answer again after an edit, an undo, or a write from outside the case file API', async () => {
    const { s, file } = session();
    const h = dashboardHandlers(s);
    const byCountry = async (filter = EMPTY_FILTER) =>
      (await h['dashboard.incidentsBy']({ dimension: 'country', filter, limit: 40 })).total;
    const iran = { columns: { admin1: { type: 'set' as const, values: ['Fars'] } }, search: '' };
    expect(await byCountry()).toBe(10);
    expect(await byCountry(iran)).toBe(2);
    const row = s.caseFile.create('incidents', { country: 'Iran', admin1: 'Fars', attribution: 'unknown' });
    expect(await byCountry()).toBe(11);
    expect(await byCountry(iran)).toBe(3);
    s.caseFile.undo();
    expect(await byCountry(iran)).toBe(2);
    // Another connection to the same file (the CLI, another window) edits through its own API.
    const other = new CaseFile(openForWork(file), file, () => 'Other', 'other-node');
    const kerman = other.db.prepare("SELECT id FROM incidents WHERE admin1 = 'Kerman'").pluck().all() as string[];
    other.action('Move', (tx) => kerman.forEach((id) => tx.update('incidents', id, { admin1: 'Fars' })));
    other.db.close();
    expect(await byCountry(iran)).toBe(3);
    void row;
  });

  it('refuse a filter on a column the table does not have', async () => {
    const { s } = session();
    const h = dashboardHandlers(s);
    await expect(async () =>
      h['dashboard.timeline']({
        filter: { columns: { 'date; DROP TABLE incidents': { type: 'set', values: ['x'] } }, search: '' },
        bucket: 'month',
      }),
    ).rejects.toThrow(/no column/);
  });
});
