import demo from '../../resources/demo/demo.json';
import type { CaseFile } from './write/case-file';
import { insertStarter } from './aliases/store';

const ISKP = 'Islamic State Khorasan Province (ISKP)';

/**
 * Fills an empty case file with the demo case, from resources/demo/demo.json. One action, so a
 * failure leaves the file empty rather than half-built; not undoable (it is the starting point).
 */
export function buildDemo(cf: CaseFile): void {
  cf.action(
    'Build demo case file',
    (tx) => {
      cf.setMeta('title', demo.title);
      const sources = new Map<string, string>();
      for (const s of demo.sources) {
        const row = tx.insert('sources', { ...s, published_precision: undefined });
        sources.set(s.key, row.id as string);
      }
      const cite = (
        sourceKey: string,
        table: 'incidents' | 'plots' | 'figures' | 'notes',
        id: string,
        extra: Record<string, unknown> = {},
      ) => {
        const source_id = sources.get(sourceKey);
        if (!source_id) throw new Error(`demo: unknown source ${sourceKey}`);
        tx.insert('citations', { source_id, target_table: table, target_id: id, credibility: 2, ...extra });
      };

      const f = demo.figures;
      const figure = (values: Record<string, unknown>) => {
        const row = tx.insert('figures', values);
        cite(f.source, 'figures', row.id as string, {
          locator_type: 'section',
          locator: 'ACLED data on ISKP, July 2022 to January 2024',
        });
      };
      figure({
        measure: f.measure,
        metric: 'incident_count',
        actor: f.actor,
        country: f.country,
        admin1: null,
        period_start: f.period_start,
        period_end: f.period_end,
        value: f.total,
        notes: 'All of Afghanistan.',
      });
      for (const [admin1, value] of f.byAdmin1) {
        figure({
          measure: f.measure,
          metric: 'incident_count',
          actor: f.actor,
          country: f.country,
          admin1,
          period_start: f.period_start,
          period_end: f.period_end,
          value,
        });
      }
      for (const o of f.other) figure({ ...o });

      const p = demo.plots;
      for (const item of p.items) {
        const before = item.period.startsWith('before-') ? item.period.slice('before-'.length) : null;
        const row = tx.insert('plots', {
          date: before ? null : item.period,
          date_before: before,
          country: item.country,
          group_link: 'unknown',
          stage: 'arrested',
          outcome: 'Interdicted before an attack',
          description: before
            ? 'Interdicted before the Taliban takeover of August 2021; the analysis gives no exact date.'
            : `Interdicted in ${item.period}. The analysis gives plots by country and by period separately; this pairing of country and year is the demo's assumption.`,
        });
        cite(p.source, 'plots', row.id as string, { locator_type: 'section', locator: 'external operations' });
      }

      for (const i of demo.incidents) {
        const { source, ...values } = i;
        const abroad = values.country !== 'Afghanistan';
        const row = tx.insert('incidents', {
          actor1: ISKP,
          tags: abroad ? 'abroad' : null,
          ...values,
          ...(i.sub_event_type === 'Arrests' ? { actor1: 'Police forces of Austria and Germany', target: ISKP } : {}),
        });
        cite(source, 'incidents', row.id as string, { credibility: i.attribution === 'attributed' ? 3 : 2 });
      }

      // The demo's group and provinces under the names other datasets and scripts use.
      insertStarter(tx, cf.db);

      const note = tx.insert('notes', { title: demo.noteTitle, body: demo.note_body });
      for (const key of ['ime2024', 'centcom2022', 'gdi2022', 'ghag', 'isleaks2020'])
        cite(key, 'notes', note.id as string, { credibility: key === 'gdi2022' ? 4 : 3 });
    },
    { undoable: false },
  );
}
