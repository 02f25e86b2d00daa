import type { AbroadItem, TimelineOutput } from '../../../../shared/channels/dashboard';
import { escapeHtml, type EChartsOption } from './echarts';
import { shadeSeries, type Shade } from './chosen-period';
import { eventColor, fmt, frame, TOP } from './frame';
import { chartLabel, tipText, TOOLTIP_CSS } from './labels';

const HOW = {
  week: 'Weekly (Monday to Sunday), by the recorded day',
  month: 'Monthly: month-precision incidents are counted in their month',
  quarter: 'Quarterly: month-precision incidents are counted in their quarter',
  year: 'Yearly: every dated incident is counted in its year',
} as const;
const ADVERB = { week: 'weekly', month: 'monthly', quarter: 'quarterly', year: 'yearly' } as const;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${fmt(n)} ${n === 1 ? one : many}`;
}

function list(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/**
 * How the chart counted imprecise dates, with the numbers: "Monthly: month-precision incidents
 * are counted in their month; 3 year-precision and 1 undated incidents are not shown in monthly
 * buckets." Goes into the subtitle, and so into every export.
 */
export function precisionNote(t: Pick<TimelineOutput, 'bucket' | 'coarsened' | 'notShown'>): string {
  const { month, year, unknown } = t.notShown;
  const parts = [
    month ? `${fmt(month)} month-precision` : '',
    year ? `${fmt(year)} year-precision` : '',
    unknown ? `${fmt(unknown)} undated` : '',
  ].filter(Boolean);
  const left = month + year + unknown;
  const notShown = parts.length
    ? `; ${list(parts)} ${left === 1 ? 'incident is' : 'incidents are'} not shown in ${ADVERB[t.bucket]} buckets`
    : '';
  const coarse = t.coarsened ? ' (the dates span too long for finer buckets)' : '';
  return `${HOW[t.bucket]}${coarse}${notShown}.`;
}

/** Counts per bucket stacked by event type, fatalities as a line on a second axis, the chosen period shaded. */
export function timelineOption(
  t: TimelineOutput,
  title: string,
  subtitle: string,
  source: string,
  shade: Shade | null,
  zoom: { start: number; end: number },
): EChartsOption {
  const labels = t.buckets.map((b) => b.label);
  const series: Record<string, unknown>[] = t.series.map((s, i) => ({
    type: 'bar',
    name: s.name,
    stack: 'incidents',
    data: s.values,
    itemStyle: { color: eventColor(s.name, i) },
    barMaxWidth: 28,
    emphasis: { focus: 'series' },
  }));
  const anyFatalities = t.fatalities.some((f) => f !== null);
  if (anyFatalities)
    series.push({
      type: 'line',
      name: 'Fatalities (reported)',
      yAxisIndex: 1,
      data: t.fatalities,
      symbol: 'circle',
      symbolSize: 4,
      showSymbol: t.buckets.length <= 60,
      connectNulls: false,
      lineStyle: { color: '#1d2733', width: 1.5 },
      itemStyle: { color: '#1d2733' },
      z: 5,
    });
  const named = series.map((s) => s.name as string);
  if (shade) series.push(shadeSeries(shade));
  return {
    ...frame(title, subtitle, source),
    legend: {
      data: named,
      type: 'scroll',
      bottom: 64,
      left: 10,
      right: 10,
      itemWidth: 12,
      itemHeight: 10,
      textStyle: { fontSize: 11 },
      formatter: (name: string) => chartLabel(name, 40),
    },
    grid: { left: 10, right: 10, top: TOP + 4, bottom: 102, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      extraCssText: TOOLTIP_CSS,
      formatter: (ps: { dataIndex: number; seriesName: string; value: number; color: string }[]) => {
        const i = ps[0]?.dataIndex ?? -1;
        const b = t.buckets[i];
        if (!b) return '';
        const total = t.series.reduce((s, x) => s + (x.values[i] ?? 0), 0);
        const rows = ps
          .filter((p) => p.value)
          .map(
            (p) =>
              `<span style="display:inline-block;width:8px;height:8px;background:${escapeHtml(p.color)};margin-right:4px"></span>${tipText(p.seriesName)}: ${escapeHtml(fmt(p.value))}`,
          )
          .join('<br/>');
        const unknown = total && t.fatalities[i] === null ? '<br/>Fatalities: not reported' : '';
        return `<b>${escapeHtml(b.label)}</b> · ${escapeHtml(plural(total, 'incident'))}<br/>${rows}${unknown}`;
      },
    },
    xAxis: {
      type: 'category',
      data: labels,
      axisTick: { alignWithLabel: true },
      axisLabel: { hideOverlap: true, color: '#2b3340' },
    },
    yAxis: [
      {
        type: 'value',
        name: 'Incidents',
        minInterval: 1,
        nameTextStyle: { align: 'left' },
        splitLine: { lineStyle: { color: '#eef0f3' } },
      },
      {
        type: 'value',
        name: anyFatalities ? 'Fatalities' : '',
        show: anyFatalities,
        minInterval: 1,
        nameTextStyle: { align: 'right' },
        splitLine: { show: false },
      },
    ],
    dataZoom: [
      // weakFilter: a shade that begins before the zoomed window is still drawn in it.
      {
        type: 'slider',
        xAxisIndex: 0,
        filterMode: 'weakFilter',
        bottom: 36,
        height: 18,
        start: zoom.start,
        end: zoom.end,
        labelFormatter: (_: number, v: string) => v,
      },
      {
        type: 'inside',
        xAxisIndex: 0,
        filterMode: 'weakFilter',
        start: zoom.start,
        end: zoom.end,
        zoomOnMouseWheel: true,
        moveOnMouseMove: false,
        moveOnMouseWheel: false,
      },
    ],
    brush: {
      xAxisIndex: 0,
      brushType: 'lineX',
      brushMode: 'single',
      toolbox: [],
      throttleType: 'debounce',
      throttleDelay: 200,
      brushStyle: { color: 'rgba(31, 59, 99, 0.15)', borderColor: '#1f3b63' },
    },
    series,
  };
}

const DAY = 864e5;
const ms = (d: string) => Date.parse(`${d}T00:00:00Z`);

/**
 * Incidents abroad on a time axis, one row per country. Each mark spans the period its date
 * names: a month-precision incident a month wide, a year-precision one the whole year, so a
 * coarse date never looks like a precise one.
 */
export function abroadOption(
  items: AbroadItem[],
  title: string,
  subtitle: string,
  source: string,
  brushed: { from: string; to: string } | null,
): EChartsOption {
  const countries = [...new Set(items.map((i) => i.country))].sort((a, b) => a.localeCompare(b));
  const data = items.map((it) => ({
    value: [ms(it.start), ms(it.end) + DAY, countries.indexOf(it.country), it.value, it.precision === 'year' ? 1 : 0],
    item: it,
    itemStyle: { color: it.precision === 'year' ? 'rgba(192, 57, 43, 0.35)' : '#c0392b' },
  }));
  const band: Record<string, unknown> | undefined = brushed
    ? {
        silent: true,
        itemStyle: { color: 'rgba(31, 59, 99, 0.10)' },
        data: [[{ xAxis: ms(brushed.from) }, { xAxis: ms(brushed.to) }]],
      }
    : undefined;
  return {
    ...frame(title, subtitle, source),
    grid: { left: 10, right: 24, top: TOP, bottom: 46, containLabel: true },
    tooltip: {
      trigger: 'item',
      extraCssText: TOOLTIP_CSS,
      formatter: (p: { data: { item: AbroadItem } }) => {
        const it = p.data.item;
        const what =
          it.precision === 'year'
            ? `${it.period} (only the year is known)`
            : `${it.period} (month${it.value > 1 ? '' : ' or day'})`;
        const place = it.label ? `<br/>${tipText(it.label)}` : '';
        return `<b>${tipText(it.country)}</b> · ${escapeHtml(what)}<br/>${escapeHtml(plural(it.value, 'incident'))}${it.fatalities ? `, ${escapeHtml(fmt(it.fatalities))} fatalities` : ''}${place}`;
      },
    },
    // A month of margin either side, so the first and last marks are not on the frame.
    xAxis: {
      type: 'time',
      min: (v: { min: number }) => v.min - 31 * DAY,
      max: (v: { max: number }) => v.max + 31 * DAY,
      splitLine: { show: true, lineStyle: { color: '#eef0f3' } },
      axisLabel: { hideOverlap: true },
    },
    yAxis: {
      type: 'category',
      data: countries,
      inverse: true,
      axisTick: { show: false },
      axisLabel: { width: 160, overflow: 'truncate', formatter: (v: string) => chartLabel(v) },
    },
    series: [
      {
        type: 'custom',
        encode: { x: [0, 1], y: 2 },
        data,
        markArea: band,
        renderItem: (
          _params: unknown,
          api: {
            value: (i: number) => number;
            coord: (v: number[]) => number[];
            size: (v: number[]) => number[];
            style: () => Record<string, unknown>;
          },
        ) => {
          const start = api.coord([api.value(0), api.value(2)]);
          const end = api.coord([api.value(1), api.value(2)]);
          const h = api.size([0, 1])[1]! * 0.55;
          const x = start[0]!;
          const w = Math.max(4, end[0]! - x);
          const n = api.value(3);
          // A count is written inside its mark when it fits: beside it, it would lie over the next
          // month's mark on a busy row. The tooltip always has it.
          const label = String(n);
          const fits = n > 1 && w >= label.length * 6 + 4;
          return {
            type: 'group',
            children: [
              { type: 'rect', shape: { x, y: start[1]! - h / 2, width: w, height: h, r: 2 }, style: api.style() },
              ...(fits
                ? [
                    {
                      type: 'text',
                      style: {
                        text: label,
                        x: x + w / 2,
                        y: start[1]!,
                        align: 'center',
                        verticalAlign: 'middle',
                        fontSize: 10,
                        fill: api.value(4) ? '#1d2733' : '#ffffff',
                      },
                    },
                  ]
                : []),
            ],
          };
        },
      },
    ],
  };
}
