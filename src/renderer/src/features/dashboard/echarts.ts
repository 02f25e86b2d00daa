import * as echarts from 'echarts/core';
import { BarChart, CustomChart, GraphChart, LineChart, MapChart, ScatterChart } from 'echarts/charts';
import {
  BrushComponent,
  DataZoomInsideComponent,
  DataZoomSliderComponent,
  GeoComponent,
  GridComponent,
  LegendScrollComponent,
  MarkAreaComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapContinuousComponent,
} from 'echarts/components';
import { LabelLayout } from 'echarts/features';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';

// Only what the dashboard draws is registered: echarts/core stays small. The SVG renderer is for
// exports (renderToSVGString), the canvas one for the screen.
echarts.use([
  BarChart,
  CustomChart,
  GraphChart,
  LineChart,
  MapChart,
  ScatterChart,
  BrushComponent,
  DataZoomInsideComponent,
  DataZoomSliderComponent,
  GeoComponent,
  GridComponent,
  LegendScrollComponent,
  MarkAreaComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapContinuousComponent,
  LabelLayout,
  CanvasRenderer,
  SVGRenderer,
]);

export { echarts };
export type EChartsOption = echarts.EChartsCoreOption;

/** Text from a case file is text: ECharts tooltips render HTML, so escape everything from data. */
export const escapeHtml = (s: unknown): string => echarts.format.encodeHTML(String(s ?? ''));
