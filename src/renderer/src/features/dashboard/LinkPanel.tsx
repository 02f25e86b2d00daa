import { useMemo } from 'react';
import type { FilterModel } from '../../../../shared/contract';
import type { LinkNode } from '../../../../shared/channels/links';
import { setFilter } from '../../lib/filter-store';
import { useQuery } from '../../lib/use-query';
import type { ChartHandlers } from './Chart';
import { ChartPanel } from './ChartPanel';
import { additive } from './IncidentBars';
import { chosen, describeFilter, setColumn, toggleValues } from './filters';
import { count, fmt } from './frame';
import { linkOption } from './link-options';
import type { echarts } from './echarts';

const DEPS = ['incidents', 'citations', 'sources', 'aliases'] as const;
/** A new network after a click: the hover emphasis of the node clicked would fade the new one. */
const calm = (c: echarts.ECharts) => c.dispatchAction({ type: 'downplay', seriesIndex: 0 });

/**
 * The link chart: who acts with whom, where, and which sources report on them, for the incidents
 * the dashboard's filters select (the same selection as every chart and the grid). A click on a
 * node filters on it: an actor or a place as a bar click does, a source by searching for it.
 */
export function LinkPanel({ incidents, onError }: { incidents: FilterModel; onError: (m: string) => void }) {
  const q = useQuery('dashboard.links', { filter: incidents, expandBelow: 150 }, DEPS);
  const g = q.data;
  const picked = useMemo(() => {
    const s = new Set<string>();
    for (const v of chosen(incidents, 'actor1') ?? []) s.add(`a:${v}`);
    for (const v of chosen(incidents, 'admin1') ?? []) s.add(`p:${v}`);
    return s;
  }, [incidents]);
  const option = useMemo(() => {
    const graph = g ?? { nodes: [], links: [], total: 0, expanded: false, omitted: 0 };
    const how = graph.expanded
      ? 'each incident a grey dot'
      : `aggregated: ${fmt(graph.nodes.length)} nodes${graph.omitted ? `, ${fmt(graph.omitted)} less linked ones left out` : ''}; filter to 150 incidents or fewer to see each one`;
    return linkOption(
      graph,
      `${describeFilter('incidents', incidents)}. ${count(graph.total, 'incident')}, ${how}.`,
      picked,
    );
  }, [g, incidents, picked]);
  const on = useMemo<ChartHandlers>(
    () => ({
      click: (e) => {
        if (e.dataType !== 'node') return;
        const n = g?.nodes.find((x) => x.id === e.data?.id) as LinkNode | undefined;
        const f = n?.filter;
        if (!f) return;
        if (f.column === 'search')
          setFilter('incidents', (prev) => ({ ...prev, search: prev.search === f.value ? '' : f.value }));
        else if (f.column === 'assoc_actors')
          setColumn('incidents', 'assoc_actors', { type: 'text', op: 'contains', value: f.value });
        else toggleValues('incidents', f.column, [f.value], incidents, additive(e));
      },
    }),
    [g, incidents],
  );
  return (
    <ChartPanel
      id="links"
      title="Links"
      option={option}
      height={520}
      on={on}
      afterSet={calm}
      error={q.error}
      onError={onError}
      wide
    />
  );
}
