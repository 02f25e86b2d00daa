import { describe, expect, it } from 'vitest';
import { dashboardHandlers } from '../../../src/core/handlers/dashboard';
import { EMPTY_FILTER } from '../../../src/shared/contract';
import { session } from '../../helpers';

/** The handlers cache answers and filtered selections until the data changes, never after. */
describe('dashboard handlers', () => {
  it('answer again after an edit, an undo, or a write from outside the case file API', async () => {
    const { s } = session();
    const h = dashboardHandlers(s);
    const byCountry = async (filter = EMPTY_FILTER) => (await h['dashboard.incidentsBy']({ dimension: 'country', filter, limit: 40 })).total;
    const iran = { columns: { admin1: { type: 'set' as const, values: ['Fars'] } }, search: '' };
    expect(await byCountry()).toBe(10);
    expect(await byCountry(iran)).toBe(2);
    const row = s.caseFile.create('incidents', { country: 'Iran', admin1: 'Fars', attribution: 'unknown' });
    expect(await byCountry()).toBe(11);
    expect(await byCountry(iran)).toBe(3);
    s.caseFile.undo();
    expect(await byCountry(iran)).toBe(2);
    s.caseFile.db.prepare("UPDATE incidents SET admin1 = 'Fars' WHERE admin1 = 'Kerman'").run();
    expect(await byCountry(iran)).toBe(3);
    void row;
  });

  it('refuse a filter on a column the table does not have', async () => {
    const { s } = session();
    const h = dashboardHandlers(s);
    await expect(async () => h['dashboard.timeline']({ filter: { columns: { 'date; DROP TABLE incidents': { type: 'set', values: ['x'] } }, search: '' }, bucket: 'month' })).rejects.toThrow(/no column/);
  });
});
