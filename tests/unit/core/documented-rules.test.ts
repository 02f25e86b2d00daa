import { describe, expect, it } from 'vitest';
import { decideField, type LogEntry } from '../../../src/core/exchange/merge-decisions';
import { Session } from '../../../src/core/session';
import { session } from '../../helpers';
import { join } from 'node:path';

// Two rules the code documents that nothing held in place before.
describe('documented rules', () => {
  it('a field that differs with no history on either side is a merge conflict, never a silent pick', () => {
    const v = decideField('fatalities', 3, 4, [], []);
    expect(v.verdict).toBe('conflict');
    // With history on one side only, that side changed it.
    const theirs: LogEntry[] = [
      { seq: 1, hlc: '0001', author: 'Colleague', op: 'update', field: 'fatalities', after: '4' },
    ];
    expect(decideField('fatalities', 3, 4, [], theirs).verdict).toBe('theirs');
  });

  it('an update stamps the editing author and time, not the row creator', () => {
    const { s: first, dir, file } = session({ demo: false });
    const row = first.caseFile.create('incidents', {
      country: 'Afghanistan',
      description: 'Checkpoint attack, Spin Boldak',
    });
    expect(row.author).toBe('Test Analyst');
    const createdAt = row.updated_at as string;
    first.close();

    const second = new Session(join(dir, 'config-second'), 'browser');
    second.settings.update({ author: 'Second Analyst' });
    second.open(file);
    const updated = second.caseFile.update('incidents', row.id as string, { fatalities: 4 });
    expect(updated.author).toBe('Second Analyst');
    expect(updated.created_at).toBe(row.created_at);
    expect(String(updated.updated_at) >= createdAt).toBe(true);
    const logged = second.caseFile.db
      .prepare("SELECT author FROM change_log WHERE row_id = ? AND op = 'update'")
      .all(row.id) as { author: string }[];
    expect(logged.map((l) => l.author)).toEqual(['Second Analyst']);
    second.close();
  });
});
