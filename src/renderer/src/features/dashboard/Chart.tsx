import { useEffect, useRef, useState, type KeyboardEvent, type MutableRefObject } from 'react';
import { echarts, type EChartsOption } from './echarts';
import { fitTitles } from './frame';
import { setThemedOption } from '../settings/chart-theme';
import { useScreenTheme } from '../settings/theme';

// ECharts event parameters vary by event and component; handlers narrow what they read.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ChartEvent = any;
export type ChartHandlers = Record<string, (e: ChartEvent, chart: echarts.ECharts) => void>;

/**
 * The chart's element carries its instance, so that a test (or the devtools) reads what is drawn
 * from the option ECharts holds rather than from pixels.
 */
export type ChartElement = HTMLDivElement & { echarts?: echarts.ECharts };

/**
 * The keyboard's way to what a click on the chart does: the bars or regions in order (arrow keys
 * move over them, Home and End jump), and what Enter does with one (Shift or Ctrl+Enter adds it
 * to the choice, as Shift or Ctrl+click does).
 */
export type ChartKeys = {
  items: { label: string; detail: string; dataIndex?: number; name?: string }[];
  pick: (index: number, additive: boolean) => void;
  seriesIndex?: number;
};

type Props = {
  option: EChartsOption;
  testId: string;
  height: number;
  on?: ChartHandlers;
  /** Receives the instance (for export and for coordinates), null when it goes. */
  chartRef?: MutableRefObject<echarts.ECharts | null>;
  /** Runs after each setOption (brush cursors and the like must be set again). */
  afterSet?: (chart: echarts.ECharts) => void;
  label: string;
  keys?: ChartKeys;
};

/** One ECharts instance (canvas) bound to a div; the option replaces the last one whole. */
export function Chart({ option, testId, height, on, chartRef, afterSet, label, keys }: Props) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  // ECharts takes its theme at init: a new theme is a new instance (the effects below run again).
  const theme = useScreenTheme();

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, theme === 'dark' ? 'dark' : undefined, { renderer: 'canvas' });
    chart.current = c;
    (el.current as ChartElement).echarts = c;
    if (chartRef) chartRef.current = c;
    const ro = new ResizeObserver(() => {
      c.resize();
      const t = fitTitles({ title: c.getOption().title }, c.getWidth());
      c.setOption({ title: t.title });
    });
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
      if (chartRef) chartRef.current = null;
    };
  }, [chartRef, theme]);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    setThemedOption(c, fitTitles(option, c.getWidth()), theme === 'dark');
    afterSet?.(c);
  }, [option, afterSet, theme]);

  useEffect(() => {
    const c = chart.current;
    if (!c || !on) return;
    const bound = Object.entries(on).map(([name, fn]) => [name, (e: ChartEvent) => fn(e, c)] as const);
    for (const [name, fn] of bound) c.on(name, fn);
    return () => {
      for (const [name, fn] of bound) c.off(name, fn);
    };
  }, [on, theme]);

  const [at, setAt] = useState(-1);
  const items = keys?.items ?? [];
  const current = at >= 0 && at < items.length ? items[at]! : null;
  const show = (i: number) => {
    const c = chart.current;
    const item = items[i];
    setAt(i);
    if (!c || !item) return;
    const target = item.name !== undefined ? { name: item.name } : { dataIndex: item.dataIndex ?? i };
    c.dispatchAction({ type: 'downplay', seriesIndex: keys?.seriesIndex ?? 0 });
    c.dispatchAction({ type: 'highlight', seriesIndex: keys?.seriesIndex ?? 0, ...target });
    c.dispatchAction({ type: 'showTip', seriesIndex: keys?.seriesIndex ?? 0, ...target });
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (!keys || items.length === 0) return;
    const last = items.length - 1;
    if (e.key === 'ArrowDown' || e.key === 'ArrowRight') show(at < 0 ? 0 : Math.min(last, at + 1));
    else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') show(at < 0 ? 0 : Math.max(0, at - 1));
    else if (e.key === 'Home') show(0);
    else if (e.key === 'End') show(last);
    else if ((e.key === 'Enter' || e.key === ' ') && current) keys.pick(at, e.shiftKey || e.ctrlKey || e.metaKey);
    else return;
    e.preventDefault();
  };
  const hint = keys
    ? 'Arrow keys move over its bars or regions, Enter filters on one, Shift+Enter adds it to the choice.'
    : '';
  return (
    <div className="chart-wrap">
      <div
        ref={el}
        className="chart"
        tabIndex={0}
        role={keys ? 'group' : 'img'}
        aria-roledescription="chart"
        aria-label={`${label}. ${hint}`}
        data-testid={testId}
        style={{ height }}
        onKeyDown={onKeyDown}
        onBlur={() => chart.current?.dispatchAction({ type: 'hideTip' })}
      />
      {keys && (
        // Read out as the keys move; shown too, for whoever uses the keyboard without a screen reader.
        <div
          className={current ? 'chart-key-status' : 'chart-key-status idle'}
          aria-live="polite"
          data-testid={`${testId}-current`}
        >
          {current ? `${current.label}: ${current.detail} (${at + 1} of ${items.length}). Enter filters on it.` : ''}
        </div>
      )}
    </div>
  );
}
