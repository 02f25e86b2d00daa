import { escapeHtml, type EChartsOption } from './echarts';
import { fmt, frame, TOP } from './frame';
import { tipText, TOOLTIP_CSS } from './labels';
import type { LoadedMap } from './maps';

/** `aspect`: how much narrower a degree of longitude is drawn than one of latitude (aspectOf in maps.ts). */
type View = { center?: number[]; zoom?: number; boundingCoords?: [[number, number], [number, number]]; aspect: number };

/** A region's name drawn on the map: on hover, and always on the regions the filter chose. */
const REGION_LABEL = {
  show: true,
  fontSize: 12,
  fontWeight: 600,
  color: '#1d2733',
  textBorderColor: '#ffffff',
  textBorderWidth: 3,
};

function geo(map: LoadedMap, view: View, chosen: string[]): Record<string, unknown> {
  return {
    map: map.name,
    roam: true,
    clip: true,
    // The map keeps its shape whatever the box: degrees of longitude drawn cos(latitude) as wide
    // as degrees of latitude (equirectangular at the view's middle latitude), never stretched to fill.
    aspectScale: view.aspect,
    preserveAspect: 'contain',
    left: 10,
    right: 10,
    scaleLimit: { min: 1, max: 400 },
    ...(view.center
      ? { center: view.center, zoom: view.zoom }
      : view.boundingCoords
        ? { boundingCoords: view.boundingCoords }
        : {}),
    top: TOP + 4,
    bottom: 44,
    itemStyle: { areaColor: '#eef1f5', borderColor: '#9aa5b4', borderWidth: 0.5 },
    emphasis: { itemStyle: { areaColor: '#dde5ef' }, label: REGION_LABEL },
    select: { disabled: true },
    regions: chosen.map((name) => ({
      name,
      itemStyle: { borderColor: '#1f3b63', borderWidth: 2 },
      label: REGION_LABEL,
    })),
    tooltip: { show: true, formatter: (p: { name: string }) => tipText(p.name) },
  };
}

export type Point = [number, number, number, number, string | null];

/** Incidents as points (or grid cells) sized by count or fatalities over the country outlines. */
export function pointsOption(
  map: LoadedMap,
  view: View,
  points: Point[],
  by: 'count' | 'fatalities',
  title: string,
  subtitle: string,
  source: string,
  chosen: string[],
): EChartsOption {
  const dim = by === 'count' ? 2 : 3;
  const max = Math.max(1, ...points.map((p) => p[dim]));
  return {
    ...frame(title, subtitle, source),
    tooltip: { trigger: 'item', extraCssText: TOOLTIP_CSS },
    geo: geo(map, view, chosen),
    series: [
      {
        type: 'scatter',
        coordinateSystem: 'geo',
        data: points.map((p) => ({ value: [p[0], p[1], p[2], p[3]], place: p[4] })),
        symbolSize: (v: number[]) => 5 + 26 * Math.sqrt((v[dim] ?? 0) / max),
        itemStyle: { color: 'rgba(192, 57, 43, 0.72)', borderColor: '#fff', borderWidth: 0.6 },
        emphasis: { scale: 1.2 },
        tooltip: {
          formatter: (p: { data: { value: number[]; place: string | null } }) => {
            const [, , n, f] = p.data.value as [number, number, number, number];
            const where = p.data.place ? `<b>${tipText(p.data.place)}</b><br/>` : '';
            return `${where}${escapeHtml(fmt(n))} incident${n === 1 ? '' : 's'}, ${escapeHtml(fmt(f))} fatalities reported`;
          },
        },
      },
    ],
  };
}

/**
 * Countries or provinces coloured by a count. Regions too small to see at this scale get a
 * marker with the number as well, so the Maldives' plot is not a fleck of colour.
 */
export function choroplethOption(
  map: LoadedMap,
  view: View,
  values: { name: string; value: number }[],
  unit: [string, string],
  title: string,
  subtitle: string,
  source: string,
  chosen: string[],
): EChartsOption {
  const max = Math.max(1, ...values.map((v) => v.value));
  const markers = values
    .filter((v) => map.small.has(v.name) && v.value > 0)
    .map((v) => ({ name: v.name, value: [...map.small.get(v.name)!, v.value] }));
  const tip = (name: string, value: unknown) =>
    typeof value === 'number' && !Number.isNaN(value)
      ? `<b>${tipText(name)}</b><br/>${escapeHtml(fmt(value))} ${value === 1 ? unit[0] : unit[1]}`
      : `<b>${tipText(name)}</b><br/>none`;
  return {
    ...frame(title, subtitle, source),
    tooltip: { trigger: 'item', extraCssText: TOOLTIP_CSS },
    geo: geo(map, view, chosen),
    visualMap: {
      type: 'continuous',
      min: 0,
      max,
      seriesIndex: 0,
      left: 10,
      bottom: 50,
      itemHeight: 90,
      itemWidth: 12,
      text: [fmt(max), '0'],
      textStyle: { fontSize: 11 },
      inRange: { color: ['#fbe3d2', '#e8965e', '#b03a2e', '#6e1f17'] },
      calculable: false,
    },
    series: [
      {
        type: 'map',
        geoIndex: 0,
        data: values,
        tooltip: { formatter: (p: { name: string; value: unknown }) => tip(p.name, p.value) },
      },
      {
        type: 'scatter',
        coordinateSystem: 'geo',
        data: markers,
        symbol: 'pin',
        symbolSize: 30,
        itemStyle: { color: '#b03a2e', borderColor: '#fff', borderWidth: 1 },
        label: {
          show: true,
          formatter: (p: { value: number[] }) => fmt(p.value[2] ?? 0),
          color: '#fff',
          fontSize: 10,
          offset: [0, -2],
        },
        tooltip: { formatter: (p: { name: string; value: number[] }) => tip(p.name, p.value[2]) },
        z: 5,
      },
    ],
  };
}
