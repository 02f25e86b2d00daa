import type { echarts, EChartsOption } from '../dashboard/echarts';
import { exportsDark } from './theme';

/**
 * Charts on a dark screen use ECharts' own dark theme. The dashboard's options name a few colours
 * for light paper (text, grid lines, the map's land): on a dark screen those are swapped for their
 * dark counterparts here, so the option builders stay as they are. An exported chart is drawn
 * from the light option unless Settings asks for dark exports: a report is printed on paper.
 */
const DARK: Record<string, string> = {
  '#2b3340': '#d5dbe3',
  '#1d2733': '#e6eaf0',
  '#4a5260': '#b5bfcc',
  '#6b7380': '#9aa5b4',
  '#eef0f3': '#2f3742',
  '#eef1f5': '#2a3340',
  '#dde5ef': '#3a4656',
  '#9aa5b4': '#5b6676',
  // The case file's own counts beside a source's (light blue): navy on paper, amber on a dark screen.
  '#1f3b63': '#e8a33d',
};
export const DARK_BACKGROUND = '#1b2129';

function swap(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return DARK[v.toLowerCase()] ?? v;
  if (depth > 12 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => swap(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = swap(x, depth + 1);
  return out;
}

export function darkOption(option: EChartsOption): EChartsOption {
  return { ...(swap(option, 0) as EChartsOption), backgroundColor: 'transparent' };
}

/** The option each chart was given (light), kept for exports. */
const lightOptions = new WeakMap<echarts.ECharts, EChartsOption>();
const darkCharts = new WeakSet<echarts.ECharts>();

/** Sets a chart's option for the screen's theme, remembering the light one. */
export function setThemedOption(chart: echarts.ECharts, option: EChartsOption, dark: boolean): void {
  lightOptions.set(chart, option);
  if (dark) darkCharts.add(chart);
  else darkCharts.delete(chart);
  chart.setOption(dark ? darkOption(option) : option, { notMerge: true });
}

/** A chart shown dark whose export is to be light: drawn again off screen from its light option. */
export function needsLightCopy(chart: echarts.ECharts): boolean {
  return darkCharts.has(chart) && !exportsDark() && lightOptions.has(chart);
}

/** The theme an export of this chart is drawn in. */
export function exportTheme(chart: echarts.ECharts): 'light' | 'dark' {
  return darkCharts.has(chart) && exportsDark() ? 'dark' : 'light';
}

/**
 * What to draw an export from: the chart as shown when its theme is the export's, else its light
 * option with the zoom the analyst set on screen.
 */
export function exportOption(chart: echarts.ECharts): Record<string, unknown> {
  const shown = chart.getOption() as Record<string, unknown>;
  const light = lightOptions.get(chart);
  if (!darkCharts.has(chart) || exportsDark() || !light) return shown;
  const zoom = shown.dataZoom;
  return { ...(light as Record<string, unknown>), ...(zoom ? { dataZoom: zoom } : {}) };
}
