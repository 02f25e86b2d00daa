import { useCallback, useMemo, useRef } from 'react';
import type { FilterModel } from '../../../../shared/contract';
import { OWN_COLUMNS, TIME_BUCKETS, type TimeBucket } from '../../../../shared/channels/dashboard';
import { useQuery } from '../../lib/use-query';
import type { ChartHandlers, ChartKeys } from './Chart';
import { ChartPanel } from './ChartPanel';
import type { echarts } from './echarts';
import { describeColumn, describeFilter, scoped, setColumn, sourceText } from './filters';
import { shadeOf } from './chosen-period';
import { count, withEmptyNote } from './frame';
import { precisionNote, timelineOption } from './time-options';

const DEPS = ['incidents', 'citations', 'sources'] as const;

/**
 * Incidents over time, stacked by event type, with fatalities. Dragging across the chart brushes
 * a period, and a click on a bar chooses its bucket: either sets the date filter every other
 * chart and the grid follow. The chart itself keeps its whole span and shades the period.
 */
export function TimelinePanel({
  incidents,
  bucket,
  setBucket,
  onError,
}: {
  incidents: FilterModel;
  bucket: TimeBucket;
  setBucket: (b: TimeBucket) => void;
  onError: (m: string) => void;
}) {
  const filter = useMemo(() => scoped(incidents, OWN_COLUMNS.timeline), [incidents]);
  const q = useQuery('dashboard.timeline', { filter, bucket }, DEPS);
  const zoom = useRef({ start: 0, end: 100 });
  const date = incidents.columns.date;
  const t = q.data;

  const brushed = useMemo(() => {
    if (!t || date?.type !== 'date' || (!date.from && !date.to)) return null;
    const inside = t.buckets
      .map((b, i) => [b, i] as const)
      .filter(([b]) => (!date.from || b.from >= date.from) && (!date.to || b.to <= date.to));
    return inside.length ? { from: inside[0]![1], to: inside.at(-1)![1] } : null;
  }, [t, date]);
  const shade = useMemo(
    () => (t && date?.type === 'date' && (date.from || date.to) ? shadeOf(t.buckets, date.from, date.to) : null),
    [t, date],
  );

  const option = useMemo(() => {
    if (!t) return {};
    const period =
      date?.type === 'date'
        ? ` Chosen period (shaded): ${describeColumn('incidents', 'date', date).replace(/^Date: /, '')}.`
        : '';
    const noDeaths = t.fatalities.every((f) => f === null) ? ' No fatalities reported.' : '';
    const subtitle = `${describeFilter('incidents', filter)}. ${count(t.counted, 'incident')} shown. ${precisionNote(t)}${period}${noDeaths}`;
    const option = timelineOption(
      t,
      `Incidents over time, by event type (${t.bucket}ly)`,
      subtitle,
      sourceText(t.sources),
      shade,
      zoom.current,
    );
    const coarse = t.notShown.month + t.notShown.year;
    const note = coarse
      ? `No incident has a date precise enough for ${t.bucket}ly buckets: choose a coarser bucket.`
      : 'No dated incident matches the filter.';
    return withEmptyNote(option, t.counted === 0, note);
  }, [t, filter, date, shade]);

  const choose = useCallback(
    (from: number, to: number) => {
      const a = t?.buckets[Math.max(0, Math.min(from, to))];
      const b = t?.buckets[Math.max(from, to)];
      if (a && b) setColumn('incidents', 'date', { type: 'date', from: a.from, to: b.to });
    },
    [t],
  );

  // A click picks one bucket, a second click on it clears the period. In brush mode ECharts
  // sends no click events to the series, so the click is read from the chart's element; a
  // press that moved is a brush, not a click.
  const clickRef = useRef<(i: number) => void>(() => undefined);
  clickRef.current = (i: number) => {
    if (brushed && brushed.from === i && brushed.to === i) setColumn('incidents', 'date', null);
    else choose(i, i);
  };

  const on = useMemo<ChartHandlers>(
    () => ({
      brushEnd: (e, chart) => {
        const range = e.areas?.[0]?.coordRange as [number, number] | undefined;
        chart.dispatchAction({ type: 'brush', areas: [] });
        if (range && range[1] > range[0]) choose(range[0], range[1]);
      },
      datazoom: (_e, chart) => {
        const dz = (chart.getOption().dataZoom as { start: number; end: number }[] | undefined)?.[0];
        if (dz) zoom.current = { start: dz.start, end: dz.end };
      },
    }),
    [choose],
  );

  // Dragging brushes a period (the zoom slider and the wheel move and zoom).
  const bound = useRef<echarts.ECharts | null>(null);
  const afterSet = useCallback((chart: echarts.ECharts) => {
    chart.dispatchAction({
      type: 'takeGlobalCursor',
      key: 'brush',
      brushOption: { brushType: 'lineX', brushMode: 'single' },
    });
    if (bound.current === chart) return;
    bound.current = chart;
    // DOM events on the chart's element: the brush controller keeps zrender's to itself.
    const dom = chart.getDom();
    let down: [number, number] | null = null;
    const at = (e: MouseEvent): [number, number] => {
      const r = dom.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top];
    };
    dom.addEventListener('pointerdown', (e) => (down = at(e)), true);
    dom.addEventListener(
      'click',
      (e) => {
        const p = at(e);
        const moved = down ? Math.hypot(p[0] - down[0], p[1] - down[1]) : 0;
        if (chart.isDisposed() || moved > 4 || !chart.containPixel({ gridIndex: 0 }, p)) return;
        const xy = chart.convertFromPixel({ gridIndex: 0 }, p) as number[] | null;
        const i = xy?.[0];
        if (typeof i === 'number' && Number.isFinite(i)) clickRef.current(Math.round(i));
      },
      true,
    );
  }, []);

  const tools = (
    <>
      <span className="segmented" role="group" aria-label="Bucket">
        {TIME_BUCKETS.map((b) => (
          <button
            key={b}
            type="button"
            aria-pressed={b === bucket}
            className={b === bucket ? 'on' : ''}
            data-testid={`bucket-${b}`}
            onClick={() => setBucket(b)}
          >
            {b[0]!.toUpperCase() + b.slice(1)}
          </button>
        ))}
      </span>
      <span className="muted small">
        Drag across the chart to choose a period; click a bar for one {t?.bucket ?? bucket}.
      </span>
      {date && (
        <button type="button" onClick={() => setColumn('incidents', 'date', null)} data-testid="timeline-clear">
          Clear period
        </button>
      )}
    </>
  );

  // The keyboard goes over the buckets; Enter chooses one as a click does (again on it clears the period).
  const keys = useMemo<ChartKeys>(
    () => ({
      items: (t?.buckets ?? []).map((b, i) => ({
        label: b.label,
        detail: count(
          t!.series.reduce((n, x) => n + (x.values[i] ?? 0), 0),
          'incident',
        ),
      })),
      pick: (i) => clickRef.current(i),
    }),
    [t],
  );
  return (
    <ChartPanel
      id="timeline"
      title="Incidents over time"
      option={option}
      height={430}
      on={on}
      keys={keys}
      sources={t?.sources}
      afterSet={afterSet}
      tools={tools}
      error={q.error}
      onError={onError}
      wide
    />
  );
}
