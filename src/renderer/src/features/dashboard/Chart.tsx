import { useEffect, useRef, type MutableRefObject } from 'react';
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
};

/** One ECharts instance (canvas) bound to a div; the option replaces the last one whole. */
export function Chart({ option, testId, height, on, chartRef, afterSet, label }: Props) {
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

  return <div ref={el} className="chart" role="img" aria-label={label} data-testid={testId} style={{ height }} />;
}
