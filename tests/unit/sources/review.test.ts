import { describe, expect, it } from 'vitest';
import { citationView, createCitation, reviewQueue } from '../../../src/core/sources/citations';
import { saveSource } from '../../../src/core/sources/library';
import { addComment, resolveThread, reviewers, setStatus, threadOf } from '../../../src/core/sources/review';
import { PANEL_IN_WORKER, sourcingPanel, sourcingPanelFor } from '../../../src/core/sources/sourcing';
import { runTask } from '../../../src/core/tasks/run-task';
import { QueueFilter } from '../../../src/shared/channels/sources';
import { session } from '../../helpers';

const all = QueueFilter.parse({});

/**
 * A small case file whose panel numbers are known: 4 incidents (two in Kabul, one in Herat, one
 * uncited), 2 plots, 2 figures (Kabul reports 3 where the file has 2; Herat agrees), 3 sources.
 */
function fixture() {
  const { s } = session({ demo: false });
  const cf = s.caseFile;
  const src = (key: string, reliability: string | null) =>
    saveSource(cf, null, { key, title: `Source ${key}`, type: 'news', reliability }).id as string;
  const A = src('a', 'A');
  const B = src('b', 'B');
  const C = src('c', null);
  const inc = (admin1: string) =>
    cf.create('incidents', { date: '2023-05-01', admin1, actor1: 'ISKP', country: 'Afghanistan' }).id as string;
  const [i1, i2, i3] = [inc('Kabul'), inc('Kabul'), inc('Herat')];
  inc('Herat');
  const p1 = cf.create('plots', { country: 'Germany', stage: 'arrested' }).id as string;
  cf.create('plots', { country: 'Austria', stage: 'planning' });
  const fig = (admin1: string, value: number) =>
    cf.create('figures', {
      measure: 'ISKP incidents',
      metric: 'incident_count',
      actor: 'ISKP',
      admin1,
      period_start: '2023-01',
      period_end: '2023-12',
      value,
    }).id as string;
  const f1 = fig('Kabul', 3);
  fig('Herat', 2);
  const cite = (source: string, table: 'incidents' | 'plots' | 'figures', id: string, credibility: number | null = 2) =>
    createCitation(cf, { source_id: source, target_table: table, target_id: id, credibility }).id as string;
  const c = {
    i1a: cite(A, 'incidents', i1),
    i1b: cite(B, 'incidents', i1, 3),
    i2a: cite(A, 'incidents', i2),
    i2a2: cite(A, 'incidents', i2, 1),
    i3c: cite(C, 'incidents', i3, null),
    p1b: cite(B, 'plots', p1),
    f1a: cite(A, 'figures', f1),
  };
  return { s, cf, A, B, C, c };
}

describe('review states and threads', () => {
  it('keeps the latest status, its reviewer and the history', () => {
    const { s, cf, c } = fixture();
    expect(citationView(cf.db, c.i1a)!.status).toBe('unreviewed');
    setStatus(cf, c.i1a, 'verified', null);
    s.settings.update({ author: 'Second Reviewer' });
    setStatus(cf, c.i1a, 'disputed', 'The date is a week off.');
    expect(citationView(cf.db, c.i1a)).toMatchObject({
      status: 'disputed',
      reviewer: 'Second Reviewer',
      open_threads: 1,
      grade: 'A2',
    });
    const t = threadOf(cf.db, c.i1a);
    expect(t.statusChanges.map((h) => [h.status, h.author])).toEqual([
      ['verified', 'Test Analyst'],
      ['disputed', 'Second Reviewer'],
    ]);
    expect(reviewers(cf.db)).toEqual(['Second Reviewer', 'Test Analyst']);
    cf.undo();
    expect(citationView(cf.db, c.i1a)).toMatchObject({ status: 'verified', reviewer: 'Test Analyst' });
    expect(() => setStatus(cf, '01900000-0000-7000-8000-000000000000', 'verified', null)).toThrow(/no citation/);
  });

  it('threads comments with replies; resolve and reopen; a reply reopens a resolved thread', () => {
    const { cf, c } = fixture();
    const root = addComment(cf, c.i2a, 'Which page?', null);
    const reply = addComment(cf, c.i2a, 'Page 4, second paragraph.', root.id);
    const replyToReply = addComment(cf, c.i2a, 'Thanks, checked.', reply.id);
    expect(replyToReply.parent_id).toBe(root.id);
    expect(() => addComment(cf, c.i1a, 'x', root.id)).toThrow(/belongs to another citation/);

    expect(resolveThread(cf, reply.id, true)).toMatchObject({ id: root.id, resolved: 1 });
    expect(citationView(cf.db, c.i2a)!.open_threads).toBe(0);
    expect(resolveThread(cf, root.id, false).resolved).toBe(0);
    resolveThread(cf, root.id, true);
    addComment(cf, c.i2a, 'Reopening: the page number is wrong.', root.id);
    const t = threadOf(cf.db, c.i2a);
    expect(t.threads).toHaveLength(1);
    expect(t.threads[0]!.root.resolved).toBe(0);
    expect(t.threads[0]!.replies.map((r) => r.body)).toEqual([
      'Page 4, second paragraph.',
      'Thanks, checked.',
      'Reopening: the page number is wrong.',
    ]);
    expect(t.statusChanges).toEqual([]);
  });

  it('lists the queue filtered by status, source, grade, reviewer and row kind, a page at a time', () => {
    const { s, cf, A, B, c } = fixture();
    setStatus(cf, c.i1a, 'verified', null);
    setStatus(cf, c.i2a, 'disputed', 'wrong');
    s.settings.update({ author: 'Other' });
    setStatus(cf, c.i3c, 'needs_source', null);
    const ids = (f: Partial<QueueFilter>) => reviewQueue(cf.db, { ...all, ...f }, null, 100).rows.map((r) => r.id);
    expect(ids({})).toHaveLength(7);
    expect(ids({ status: ['disputed'] })).toEqual([c.i2a]);
    expect(ids({ status: ['unreviewed'] }).sort()).toEqual([c.i1b, c.i2a2, c.p1b, c.f1a].sort());
    expect(ids({ sourceId: B }).sort()).toEqual([c.i1b, c.p1b].sort());
    expect(ids({ reliability: [null] })).toEqual([c.i3c]);
    expect(ids({ reliability: ['A'], credibility: [1] })).toEqual([c.i2a2]);
    expect(ids({ credibility: [null] })).toEqual([c.i3c]);
    expect(ids({ reviewer: 'Other' })).toEqual([c.i3c]);
    expect(ids({ targetTable: 'figures' })).toEqual([c.f1a]);
    expect(ids({ sourceId: A, status: ['verified', 'disputed'] }).sort()).toEqual([c.i1a, c.i2a].sort());

    // The count is made without a status lookup per citation (queueTotal); it must agree with the rows for every filter.
    setStatus(cf, c.p1b, 'verified', null);
    setStatus(cf, c.p1b, 'unreviewed', null);
    const filters: Partial<QueueFilter>[] = [
      {},
      { status: ['unreviewed'] },
      { status: ['verified'] },
      { status: ['unreviewed', 'disputed'] },
      { status: ['needs_source', 'verified'], reliability: [null, 'A'] },
      { reviewer: 'Other' },
      { reviewer: 'Test Analyst', status: ['unreviewed'] },
      { reviewer: 'Test Analyst', status: ['disputed', 'verified'] },
      { sourceId: A, status: ['unreviewed'] },
      { credibility: [null, 1], targetTable: 'incidents' },
      { reliability: ['B'], status: ['unreviewed'] },
    ];
    for (const f of filters) {
      const r = reviewQueue(cf.db, { ...all, ...f }, null, 1000);
      expect([JSON.stringify(f), r.total]).toEqual([JSON.stringify(f), r.rows.length]);
    }
    expect(ids({ status: ['unreviewed'] })).toContain(c.p1b);
    expect(ids({ reviewer: 'Other', status: ['unreviewed'] })).toEqual([c.p1b]);

    const first = reviewQueue(cf.db, all, null, 4);
    const second = reviewQueue(cf.db, all, first.next, 4);
    expect(first.total).toBe(7);
    expect(second.next).toBeNull();
    expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(7);
    expect(first.rows[0]!.target_label).toBe('2023-05-01 · Kabul');
  });
});

describe('sourcing panel', () => {
  it('counts cited, verified and multi-source rows, citations by status, sources by grade, and disagreeing figures', () => {
    const { cf, c } = fixture();
    setStatus(cf, c.i1a, 'verified', null);
    setStatus(cf, c.f1a, 'verified', null);
    setStatus(cf, c.i2a, 'verified', null);
    setStatus(cf, c.i2a, 'disputed', null);
    setStatus(cf, c.i3c, 'needs_source', null);
    const p = sourcingPanel(cf.db);
    expect(p.incidents).toEqual({ total: 4, cited: 3, verified: 1, multiSource: 1 });
    expect(p.plots).toEqual({ total: 2, cited: 1, verified: 0, multiSource: 0 });
    expect(p.figures).toEqual({ total: 2, cited: 1, verified: 1, multiSource: 0 });
    expect(p.citations).toEqual({ unreviewed: 3, verified: 2, disputed: 1, needsSource: 1 });
    expect(p.sourcesByGrade.filter((g) => g.sources > 0)).toEqual([
      { reliability: 'A', sources: 1, citations: 4 },
      { reliability: 'B', sources: 1, citations: 2 },
      { reliability: '?', sources: 1, citations: 1 },
    ]);
    expect(p.citationsByGrade).toEqual([
      { grade: '??', citations: 1 },
      { grade: 'A1', citations: 1 },
      { grade: 'A2', citations: 3 },
      { grade: 'B2', citations: 1 },
      { grade: 'B3', citations: 1 },
    ]);
    expect(p.disagreements).toEqual([{ label: 'Kabul', measure: 'ISKP incidents', reported: 3, computed: 2 }]);
  });

  it('says that every record of the demo cites its source', () => {
    const { s } = session();
    const p = sourcingPanel(s.caseFile.db);
    for (const t of ['incidents', 'plots', 'figures'] as const) {
      expect(p[t].total).toBeGreaterThan(0);
      expect(p[t].cited).toBe(p[t].total);
    }
    expect(p.citations.unreviewed).toBe(
      (s.caseFile.db.prepare('SELECT count(*) n FROM citations').get() as { n: number }).n,
    );
  });

  it("is read in a task worker for a large file, with the same numbers as on the app's connection", async () => {
    const { s, cf, c } = fixture();
    setStatus(cf, c.i1a, 'verified', null);
    s.settings.update({ author: 'Other' });
    setStatus(cf, c.i2a, 'disputed', 'page 4 says otherwise');
    const here = sourcingPanel(cf.db);
    expect(here.citations.verified).toBe(1);
    expect(await runTask({ kind: 'review-panel', path: cf.path })).toEqual(here);
    // A small file is read here; the threshold is the citations' count, read from their last rowid.
    expect(await sourcingPanelFor(cf.db, cf.path)).toEqual(here);
    expect(PANEL_IN_WORKER).toBeGreaterThan(7);
  });
});
