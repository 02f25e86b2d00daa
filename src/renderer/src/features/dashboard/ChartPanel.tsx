import { useRef, type ReactNode } from 'react';
import { Chart, type ChartHandlers, type ChartKeys } from './Chart';
import type { echarts, EChartsOption } from './echarts';
import { download } from '../../lib/download';
import { fileName, pngOf, svgOf } from './export';
import { SourceTitlesNote } from './SourceTitlesNote';

type Props = {
  id: string;
  title: string;
  option: EChartsOption;
  height: number;
  on?: ChartHandlers;
  afterSet?: (chart: echarts.ECharts) => void;
  tools?: ReactNode;
  children?: ReactNode;
  error?: string | null;
  onError: (m: string) => void;
  wide?: boolean;
  /** Children beside the chart rather than under it. */
  side?: boolean;
  /** The sources its footer names: any it had to cut or flag are listed under the chart. */
  sources?: { titles: string[] };
  /** The keyboard's path to what a click does (Chart.tsx). */
  keys?: ChartKeys;
};

/** A dashboard section: the chart, its controls, and its PNG and SVG exports. */
export function ChartPanel({
  id,
  title,
  option,
  height,
  on,
  afterSet,
  tools,
  children,
  error,
  onError,
  wide,
  side,
  sources,
  keys,
}: Props) {
  const ref = useRef<echarts.ECharts | null>(null);
  const save = (ext: 'png' | 'svg') => {
    const c = ref.current;
    if (!c) return;
    try {
      download(fileName(id, ext), ext === 'png' ? pngOf(c) : svgOf(c));
    } catch (e) {
      onError(`Could not export “${title}”: ${(e as Error).message}`);
    }
  };
  return (
    <section className={`panel chart-panel${wide ? ' wide' : ''}`} aria-label={title} data-testid={`panel-${id}`}>
      <div className="panel-tools">
        {tools}
        <span className="spacer" />
        <button
          type="button"
          title="Save as PNG (for documents)"
          data-testid={`export-png-${id}`}
          onClick={() => save('png')}
        >
          PNG
        </button>
        <button
          type="button"
          title="Save as SVG (scalable, for print)"
          data-testid={`export-svg-${id}`}
          onClick={() => save('svg')}
        >
          SVG
        </button>
      </div>
      {error && <p className="error">{error}</p>}
      <div className={side ? 'panel-body side' : 'panel-body'}>
        <Chart
          option={option}
          testId={`chart-${id}`}
          height={height}
          on={on}
          chartRef={ref}
          afterSet={afterSet}
          label={title}
          keys={keys}
        />
        {children}
      </div>
      <SourceTitlesNote titles={sources?.titles} />
    </section>
  );
}
