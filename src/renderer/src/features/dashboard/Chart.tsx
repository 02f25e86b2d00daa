import { useEffect, useRef } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import { echarts } from './echarts';

/** One ECharts instance bound to a div; the option is replaced whenever it changes. */
export function Chart({ option, testId, height = 420, onClick }: { option: EChartsCoreOption; testId: string; height?: number; onClick?: (name: string) => void }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  useEffect(() => {
    const c = chart.current;
    if (!c || !onClick) return;
    const h = (p: { name?: string }) => {
      if (p.name) onClick(p.name);
    };
    c.on('click', h);
    return () => {
      c.off('click', h);
    };
  }, [onClick]);

  return <div ref={el} className="chart" data-testid={testId} style={{ height }} />;
}
