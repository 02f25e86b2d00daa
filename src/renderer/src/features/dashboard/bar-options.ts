import { escapeHtml, type EChartsOption } from './echarts';
import { BOTTOM, eventColor, fmt, frame, shade, TOP, withEmptyNote } from './frame';
import { chartLabel, tipText, TOOLTIP_CSS } from './labels';

export type BarSpec = {
  title: string;
  subtitle: string;
  source: string;
  bars: { label: string; value: number; values: (string | null)[]; fatalities?: number; known?: number }[];
  /** Values of the filter on this chart's column: chosen bars are strong, the rest faded. */
  chosen: (string | null)[] | null;
  color: string;
  unit: [string, string];
  showFatalities?: boolean;
};

export const BAR_ROW = 24;
export const barHeight = (n: number) => TOP + BOTTOM + 30 + Math.max(3, n) * BAR_ROW;

/** Horizontal bars, largest first, with the value at the end of each bar. */
export function barOption(s: BarSpec): EChartsOption {
  return withEmptyNote(
    bars(s),
    s.bars.every((b) => b.value === 0),
    `No ${s.unit[1]} match the filter.`,
  );
}

function bars(s: BarSpec): EChartsOption {
  const isChosen = (b: { values: (string | null)[] }) =>
    s.chosen === null || b.values.some((v) => s.chosen!.includes(v));
  return {
    ...frame(s.title, s.subtitle, s.source),
    grid: { left: 10, right: 56, top: TOP, bottom: BOTTOM + 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      extraCssText: TOOLTIP_CSS,
      formatter: (ps: { dataIndex: number }[]) => {
        const b = s.bars[ps[0]?.dataIndex ?? -1];
        if (!b) return '';
        const f = !s.showFatalities
          ? ''
          : b.known
            ? `<br/>${escapeHtml(fmt(b.fatalities ?? 0))} fatalities reported${b.known < b.value ? ` (for ${escapeHtml(fmt(b.known))} of them)` : ''}`
            : '<br/>fatalities not reported';
        const spellings = b.values.filter((v) => v !== null && v !== b.label);
        const also = spellings.length
          ? `<br/><span style="color:#6b7380">spelt ${spellings.map((v) => tipText(v ?? '')).join(', ')} in the data</span>`
          : '';
        return `<b>${tipText(b.label)}</b><br/>${escapeHtml(fmt(b.value))} ${b.value === 1 ? s.unit[0] : s.unit[1]}${f}${also}`;
      },
    },
    xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#eef0f3' } } },
    yAxis: {
      type: 'category',
      inverse: true,
      triggerEvent: true,
      data: s.bars.map((b) => b.label),
      // The data keep the raw value (a click on a label filters on it); the label is drawn clipped, flagged and isolated.
      axisLabel: { width: 230, overflow: 'truncate', color: '#2b3340', formatter: (v: string) => chartLabel(v) },
      axisTick: { show: false },
    },
    series: [
      {
        type: 'bar',
        barMaxWidth: 18,
        data: s.bars.map((b) => ({ value: b.value, itemStyle: { color: s.color, opacity: isChosen(b) ? 1 : 0.3 } })),
        label: { show: true, position: 'right', color: '#2b3340', formatter: (p: { value: number }) => fmt(p.value) },
      },
    ],
  };
}

export type EventTypes = {
  types: {
    type: string | null;
    label: string;
    value: number;
    subs: { sub: string | null; label: string; value: number }[];
  }[];
};

/** One bar per event type, stacked by its sub-event types (each a shade of the type's colour). */
export function eventOption(
  title: string,
  subtitle: string,
  source: string,
  d: EventTypes,
  chosenTypes: (string | null)[] | null,
  chosenSubs: (string | null)[] | null,
): EChartsOption {
  return withEmptyNote(
    events(title, subtitle, source, d, chosenTypes, chosenSubs),
    d.types.length === 0,
    'No incidents match the filter.',
  );
}

function events(
  title: string,
  subtitle: string,
  source: string,
  d: EventTypes,
  chosenTypes: (string | null)[] | null,
  chosenSubs: (string | null)[] | null,
): EChartsOption {
  const types = d.types;
  const largest = Math.max(1, ...types.map((t) => t.value));
  const series = types.flatMap((t, ti) =>
    t.subs.map((sub, si) => ({
      type: 'bar',
      stack: 'all',
      name: `${t.label} › ${sub.label}`,
      barMaxWidth: 22,
      data: types.map((_, i) => (i === ti ? { value: sub.value, sub: sub.sub, type: t.type } : null)),
      itemStyle: {
        color: shade(eventColor(t.label, ti), si, t.subs.length),
        opacity:
          (chosenTypes === null || chosenTypes.includes(t.type)) &&
          (chosenSubs === null || chosenSubs.includes(sub.sub))
            ? 1
            : 0.3,
        borderColor: '#fff',
        borderWidth: 1,
      },
      label: {
        show: true,
        position: 'inside',
        color: si / Math.max(1, t.subs.length - 1) > 0.5 ? '#1d2733' : '#fff',
        fontSize: 11,
        formatter: (p: { value: number }) => (p.value / largest > 0.12 ? chartLabel(sub.label) : ''),
        overflow: 'truncate',
      },
      // A segment's name is cut to the segment's width, so names never run into each other.
      labelLayout: (p: { rect: { width: number } }) => ({ width: Math.max(0, p.rect.width - 8) }),
    })),
  );
  return {
    ...frame(title, subtitle, source),
    grid: { left: 10, right: 56, top: TOP, bottom: BOTTOM + 8, containLabel: true },
    tooltip: {
      trigger: 'item',
      extraCssText: TOOLTIP_CSS,
      formatter: (p: { seriesName: string; value: number }) =>
        `${tipText(p.seriesName)}<br/>${escapeHtml(fmt(p.value))} incidents`,
    },
    xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#eef0f3' } } },
    yAxis: {
      type: 'category',
      inverse: true,
      triggerEvent: true,
      data: types.map((t) => t.label),
      axisLabel: { width: 190, overflow: 'truncate', color: '#2b3340', formatter: (v: string) => chartLabel(v) },
      axisTick: { show: false },
    },
    series: [
      ...series,
      // Totals at the end of each stacked bar.
      {
        type: 'bar',
        stack: 'all',
        silent: true,
        data: types.map(() => 0),
        label: {
          show: true,
          position: 'right',
          color: '#2b3340',
          formatter: (p: { dataIndex: number }) => fmt(types[p.dataIndex]?.value ?? 0),
        },
        itemStyle: { color: 'transparent' },
        tooltip: { show: false },
      },
    ],
  };
}
