import type { LinkGraph } from '../../../../shared/channels/links';
import type { EChartsOption } from './echarts';
import { escapeHtml } from './echarts';
import { frame } from './frame';
import { chartLabel } from './labels';

const CATEGORIES = [
  { name: 'Actor', color: '#5b4a8b' },
  { name: 'Place', color: '#1f6f8b' },
  { name: 'Source', color: '#a0522d' },
  { name: 'Incident', color: '#8a8f98' },
] as const;
const INDEX = { actor: 0, place: 1, source: 2, incident: 3 } as const;
const KIND_WORDS: Record<string, string> = {
  active_in: 'active in',
  associated_with: 'acted with',
  reports_on: 'reports on',
  acted_in: 'acted in',
  took_place_in: 'took place in',
  supports: 'supports',
};

/**
 * The link chart's option: ECharts' graph, force layout, node size by the incidents behind it,
 * edge width by weight; names cut for the label (whole in the tooltip, escaped: it is data).
 */
export function linkOption(g: LinkGraph, subtitle: string, chosen: ReadonlySet<string>): EChartsOption {
  const max = Math.max(1, ...g.nodes.map((n) => n.value));
  const maxW = Math.max(1, ...g.links.map((l) => l.weight));
  const names = new Map(g.nodes.map((n) => [n.id, n.name]));
  return {
    ...frame(
      'Links: actors, places and sources',
      subtitle,
      'Each link counts the incidents that make it. Click an actor, a place or a source to filter the dashboard and the grid on it.',
    ),
    tooltip: {
      confine: true,
      formatter: (p: {
        dataType: string;
        data: {
          name?: string;
          value?: number;
          kindLabel?: string;
          source?: string;
          target?: string;
          weight?: number;
          kind?: string;
        };
      }) =>
        p.dataType === 'edge'
          ? `${escapeHtml(names.get(p.data.source ?? ''))} ${escapeHtml(KIND_WORDS[p.data.kind ?? ''] ?? p.data.kind)} ${escapeHtml(names.get(p.data.target ?? ''))}: ${p.data.weight} incident${p.data.weight === 1 ? '' : 's'}`
          : `${escapeHtml(p.data.kindLabel)}: ${escapeHtml(p.data.name)}<br/>${p.data.value} incident${p.data.value === 1 ? '' : 's'}`,
    },
    legend: {
      data: CATEGORIES.map((c) => c.name),
      bottom: 24,
      left: 10,
      itemWidth: 12,
      itemHeight: 10,
      textStyle: { fontSize: 12 },
    },
    color: CATEGORIES.map((c) => c.color),
    series: [
      {
        type: 'graph',
        layout: 'force',
        top: 70,
        bottom: 50,
        roam: true,
        draggable: true,
        categories: CATEGORIES.map((c) => ({ name: c.name, itemStyle: { color: c.color } })),
        // Laid out at once (no animation): the picture a PNG export or a click gets is the settled one.
        force: { repulsion: 200, edgeLength: [50, 130], gravity: 0.15, friction: 0.2, layoutAnimation: false },
        // No fading of the rest on hover: after a click the new network would come up faded.
        emphasis: { lineStyle: { width: 4 } },
        label: { show: true, position: 'right', fontSize: 11, color: '#1d2733' },
        labelLayout: { hideOverlap: true },
        data: g.nodes.map((n) => ({
          id: n.id,
          name: n.name,
          value: n.value,
          kindLabel: CATEGORIES[INDEX[n.kind]].name,
          category: INDEX[n.kind],
          symbolSize: n.kind === 'incident' ? 7 : 10 + 26 * Math.sqrt(n.value / max),
          label: { formatter: chartLabel(n.name, 28), show: n.kind !== 'incident' },
          itemStyle: chosen.has(n.id) ? { borderColor: '#111', borderWidth: 3 } : undefined,
        })),
        links: g.links.map((l) => ({
          source: l.source,
          target: l.target,
          kind: l.kind,
          weight: l.weight,
          lineStyle: { width: 1 + 5 * (l.weight / maxW), opacity: 0.55, curveness: 0.08 },
        })),
      },
    ],
  };
}
