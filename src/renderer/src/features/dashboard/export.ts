import { echarts, type EChartsOption } from './echarts';
import { DARK_BACKGROUND, exportOption, exportTheme, needsLightCopy } from '../settings/chart-theme';

/**
 * A chart as a file for a report: PNG from the screen's canvas at twice its resolution, SVG by
 * drawing the same option again with the SVG renderer, off screen. Controls that only make sense
 * on screen (zoom slider, brush) are left out; the zoom they set is kept.
 */
const SCREEN_ONLY = ['dataZoom', 'brush', 'toolbox'];

export function pngOf(shown: echarts.ECharts): Blob {
  // A chart on a dark screen is drawn again, light, off screen, unless dark exports were asked for.
  const theme = exportTheme(shown);
  const light = needsLightCopy(shown);
  const chart = light
    ? echarts.init(document.createElement('div'), undefined, {
        renderer: 'canvas',
        width: shown.getWidth(),
        height: shown.getHeight(),
      })
    : shown;
  if (light) chart.setOption({ ...exportOption(shown), animation: false } as EChartsOption);
  const url = chart.getDataURL({
    type: 'png',
    pixelRatio: 2,
    backgroundColor: theme === 'dark' ? DARK_BACKGROUND : '#ffffff',
    excludeComponents: SCREEN_ONLY,
  });
  if (light) chart.dispose();
  // A data: URL decoded here: fetch(data:) would need connect-src data: in the CSP.
  const bytes = Uint8Array.from(atob(url.slice(url.indexOf(',') + 1)), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type: 'image/png' });
}

export function svgOf(chart: echarts.ECharts): Blob {
  const option = exportOption(chart);
  const copy: Record<string, unknown> = { ...option, animation: false };
  delete copy.brush;
  delete copy.toolbox;
  if (Array.isArray(copy.dataZoom))
    copy.dataZoom = (copy.dataZoom as Record<string, unknown>[]).map((d) => ({ ...d, show: false }));
  const off = echarts.init(null, exportTheme(chart) === 'dark' ? 'dark' : undefined, {
    renderer: 'svg',
    ssr: true,
    width: chart.getWidth(),
    height: chart.getHeight(),
  });
  try {
    off.setOption(copy as EChartsOption);
    const svg = off.renderToSVGString();
    return new Blob([svg], { type: 'image/svg+xml' });
  } finally {
    off.dispose();
  }
}

export function fileName(chartId: string, ext: 'png' | 'svg'): string {
  const d = new Date();
  const stamp = `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}`;
  return `casefile-${chartId}-${stamp}.${ext}`;
}
