import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch, makeHandlers } from '../../../src/core/handlers/index';
import { session } from '../../helpers';
import { writeAcledCsv } from './acled-gen';
import { fixture } from './helpers';

type Ev = { event: string; payload: Record<string, unknown> };

describe('the import channels', () => {
  it('preview shows the header, the first rows and the recognised format, and writes nothing', async () => {
    const { s } = session({ demo: false });
    const h = makeHandlers(s, 't');
    const r = await dispatch(h, 'import.preview', { path: fixture('acled-current.csv') });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const v = r.value as Record<string, unknown> & { header: string[]; rows: { line: number; cells: string[] }[] };
    expect(v).toMatchObject({
      fileName: 'acled-current.csv',
      format: 'acled',
      layout: 'current',
      kind: 'csv',
      mapping: null,
      estimatedRows: 5,
    });
    expect(v.header[0]).toBe('event_id_cnty');
    expect(v.rows.map((x) => x.line)).toEqual([2, 5, 6, 7, 9]);
    expect(v.rows[0]!.cells[27]).toContain('\nIS-K claimed');
    const gtd = await dispatch(h, 'import.preview', { path: fixture('gtd.xlsx') });
    expect(gtd).toMatchObject({ ok: true, value: { format: 'gtd', kind: 'xlsx', estimatedRows: null } });
    const bad = await dispatch(h, 'import.preview', { path: fixture('unclosed-quote.csv') });
    expect(bad).toEqual({
      ok: false,
      error: {
        code: 'validation',
        message: 'unclosed-quote.csv: line 4: a quoted field starts here and is never closed',
      },
    });
    expect(s.caseFile.info().counts.incidents).toBe(0);
    s.close();
  });

  it('run imports in a worker, reports progress and the change, and remembers a confirmed mapping', async () => {
    const { s, dir } = session({ demo: false });
    const h = makeHandlers(s, 't');
    const events: Ev[] = [];
    s.subscribe((event, payload) => events.push({ event, payload: payload as Record<string, unknown> }));
    const data = join(dir, 'sheet.csv');
    writeFileSync(data, 'Date;Place;Dead;Who;Cited\n2022-03-04;Herat;2;IS;Tolo News\n2022-03;Kabul;;IS;\n');

    const p1 = await dispatch(h, 'import.preview', { path: data });
    expect(p1).toMatchObject({
      ok: true,
      value: {
        format: 'csv',
        mappingSource: 'suggested',
        mapping: { Date: 'date', Place: 'location', Dead: 'fatalities', Who: null, Cited: null },
      },
    });
    const mapping = { Date: 'date', Place: 'location', Dead: 'fatalities', Who: 'actor1', Cited: 'sources' };
    const r = await dispatch(h, 'import.run', { path: data, mapping });
    expect(r).toMatchObject({
      ok: true,
      value: { format: 'csv', imported: 2, skipped: 0, sourcesCreated: 2, citationsCreated: 3 },
    });
    expect(
      s.caseFile.db.prepare('SELECT date, date_precision, location, fatalities FROM incidents ORDER BY date').all(),
    ).toEqual([
      { date: '2022-03', date_precision: 'month', location: 'Kabul', fatalities: null },
      { date: '2022-03-04', date_precision: 'day', location: 'Herat', fatalities: 2 },
    ]);
    const progress = events.filter((e) => e.event === 'task.progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.payload).toMatchObject({ kind: 'import', done: 2, total: 2 });
    // Every row read ("2 rows, 100%, …"), then the steps before the commit, the last one "saving".
    const messages = progress.map((p) => String(p.payload.message));
    expect(messages).toContainEqual(expect.stringMatching(/^2 rows, 100%, [\d,]+ rows\/s$/));
    expect(messages.at(-1)).toBe('2 rows read; saving');
    expect(events.find((e) => e.event === 'data.changed')!.payload).toEqual({
      tables: ['incidents', 'sources', 'citations'],
      origin: 'import',
      counts: {
        incidents: s.caseFile.db.prepare('SELECT count(*) FROM incidents').pluck().get(),
        sources: s.caseFile.db.prepare('SELECT count(*) FROM sources').pluck().get(),
        citations: s.caseFile.db.prepare('SELECT count(*) FROM citations').pluck().get(),
      },
    });
    // The app's clock has seen the import's changes: its next edit comes after them.
    const maxHlc = (s.caseFile.db.prepare('SELECT max(hlc) h FROM change_log').get() as { h: string }).h;
    const edited = s.caseFile.create('incidents', { location: 'x' });
    expect(String(edited.hlc) > maxHlc).toBe(true);

    // Same header again (columns in another order): the confirmed mapping comes back.
    const again = join(dir, 'sheet2.csv');
    writeFileSync(again, 'Who;Date;Place;Dead;Cited\nIS;2022-05-01;Kunar;1;\n');
    expect(await dispatch(h, 'import.preview', { path: again })).toMatchObject({
      ok: true,
      value: { mappingSource: 'remembered', mapping },
    });
    expect(await dispatch(h, 'import.run', { path: again })).toMatchObject({ ok: true, value: { imported: 1 } });
    expect(s.caseFile.db.prepare("SELECT location FROM incidents WHERE date = '2022-05-01'").get()).toEqual({
      location: 'Kunar',
    });
    s.close();
  });

  it('reads 09/05/2021 in the order the file shows, the analyst chooses, or was confirmed before', async () => {
    const { s, dir } = session({ demo: false });
    const h = makeHandlers(s, 't');
    const dates = (ref: string) =>
      s.caseFile.db.prepare('SELECT date FROM incidents WHERE external_id = ?').pluck().get(ref);
    const mapping = { Ref: 'external_id', When: 'date', Where: 'location' };
    // A British table: line 5 cannot be month first, so the whole file is day first.
    const uk = join(dir, 'uk.csv');
    const rows = [
      'Ref,When,Where',
      'U1,09/05/2021,Kabul',
      'U2,2021-06-01,Herat',
      ...Array.from({ length: 30 }, (_, i) => `X${i},01/02/2020,Kunduz`),
    ];
    rows.splice(4, 0, 'U3,25/08/2021,Kabul');
    writeFileSync(uk, `${rows.join('\n')}\n`);
    const p = await dispatch(h, 'import.preview', { path: uk });
    expect(p).toMatchObject({
      ok: true,
      value: {
        dates: { order: 'dmy', source: 'detected', either: 31, sampled: 33, example: { value: '25/08/2021', line: 5 } },
      },
    });

    // Without a choice, the file settles it: 25/08/2021 on line 5 is day first, so the rows held
    // back before it (09/05/2021 on line 2, 01/02/2020 on line 4) are read day first too.
    const none = await dispatch(h, 'import.run', { path: uk, mapping, dateOrder: null });
    expect(none).toMatchObject({
      ok: true,
      value: {
        imported: 33,
        skipped: 0,
        dates: { order: 'dmy', source: 'file', example: { value: '25/08/2021', line: 5 }, heldBack: 2, unsettled: 0 },
      },
    });
    expect(dates('U1')).toBe('2021-05-09');
    expect(dates('X0')).toBe('2020-02-01');
    expect(await dispatch(h, 'import.preview', { path: uk })).toMatchObject({
      ok: true,
      value: { dates: { order: null, source: 'remembered', example: null } },
    });
    // Only a file that never settles it skips rows, and the reason names the choice.
    const never = join(dir, 'never.csv');
    writeFileSync(never, 'Ref,When,Where\nN1,01/02/2020,Kabul\nN2,2020-03-04,Herat\n');
    const n = await dispatch(h, 'import.run', { path: never, mapping, dateOrder: null });
    expect(n).toMatchObject({
      ok: true,
      value: { imported: 1, skipped: 1, dates: { order: null, source: null, unsettled: 1 } },
    });
    expect((n as { value: { errors: { line: number; reason: string }[] } }).value.errors).toEqual([
      {
        line: 2,
        reason:
          '"When": ambiguous date "01/02/2020": it could be day/month or month/day; no date in the file settles the order: choose it (--date-order dmy or mdy, or beside the mapping in the Import tab)',
      },
    ]);

    // Day first, chosen: confirmed with the mapping, so a run without one reads the same way.
    expect(await dispatch(h, 'import.run', { path: uk, mapping, dateOrder: 'dmy' })).toMatchObject({
      ok: true,
      value: { imported: 0, unchanged: 33, skipped: 0, dates: { order: 'dmy', source: 'chosen' } },
    });
    expect(await dispatch(h, 'import.preview', { path: uk })).toMatchObject({
      ok: true,
      value: { dates: { order: 'dmy', source: 'remembered' } },
    });
    const later = join(dir, 'uk-later.csv');
    writeFileSync(later, 'Ref,When,Where\nU9,03/04/2022,Kabul\n');
    expect(await dispatch(h, 'import.run', { path: later })).toMatchObject({ ok: true, value: { imported: 1 } });
    expect(dates('U9')).toBe('2022-04-03');

    // An American table shows month first; a file with no such date suggests nothing.
    const us = join(dir, 'us.csv');
    writeFileSync(us, 'Id,Day,Town\nA1,08/25/2021,Kabul\nA2,09/05/2021,Kabul\n');
    expect(await dispatch(h, 'import.preview', { path: us })).toMatchObject({
      ok: true,
      value: { dates: { order: 'mdy', source: 'detected', either: 1, example: { value: '08/25/2021', line: 2 } } },
    });
    const iso = join(dir, 'iso.csv');
    writeFileSync(iso, 'Id,Day\nB1,2021-08-25\n');
    expect(await dispatch(h, 'import.preview', { path: iso })).toMatchObject({
      ok: true,
      value: { dates: { order: null, source: null, either: 0, example: null } },
    });
    expect(await dispatch(h, 'import.preview', { path: fixture('acled-current.csv') })).toMatchObject({
      ok: true,
      value: { dates: null },
    });
    expect(await dispatch(h, 'import.run', { path: us, dateOrder: 'ymd' })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
    s.close();
  });

  it('one import at a time; cancel stops it and changes nothing', async () => {
    const { s, dir } = session();
    const h = makeHandlers(s, 't');
    const data = join(dir, 'big.csv');
    writeAcledCsv(data, { rows: 60_000 });
    const counts = s.caseFile.info().counts;
    let cancelled: Promise<unknown> | null = null;
    // The window chooses the task's id, so that its Stop names it.
    const taskId = randomUUID();
    s.subscribe((event, payload) => {
      if (event === 'task.progress' && (payload as { done: number }).done > 0 && !cancelled)
        cancelled = dispatch(h, 'tasks.cancel', { id: taskId });
    });
    const running = dispatch(h, 'import.run', { path: data, taskId });
    const second = await dispatch(h, 'import.run', { path: fixture('acled-2015.csv') });
    expect(second).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'an import is already running; wait for it to finish or cancel it' },
    });
    expect(await running).toEqual({ ok: false, error: { code: 'refused', message: 'Cancelled' } });
    expect(await cancelled).toEqual({ ok: true, value: { cancelled: true } });
    expect(s.caseFile.info().counts).toEqual(counts);
    // Stopped again once it has ended: nothing to stop, and said so.
    expect(await dispatch(h, 'tasks.cancel', { id: taskId })).toEqual({ ok: true, value: { cancelled: false } });
    expect(await dispatch(h, 'import.run', { path: data, format: 'xml' })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
    expect(await dispatch(h, 'import.run', { path: data, mapping: { a: 'password' } })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
    s.close();
  });
});
