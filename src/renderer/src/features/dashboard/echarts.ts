import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent, DataZoomComponent } from 'echarts/components';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';

// Only what the dashboard draws is registered: echarts/core stays small.
echarts.use([BarChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, DataZoomComponent, CanvasRenderer, SVGRenderer]);

export { echarts };

/** Text from a case file is text: ECharts tooltips render HTML, so escape everything from data. */
export const escapeHtml = (s: unknown): string => echarts.format.encodeHTML(String(s ?? ''));
