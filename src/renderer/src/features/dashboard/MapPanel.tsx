import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FilterModel, Output } from '../../../../shared/contract';
import { OWN_COLUMNS } from '../../../../shared/channels/dashboard';
import { admin1CountryOf, MAP_ATTRIBUTION, type Admin1Country } from '../../../../shared/geo/admin1';
import { useQuery } from '../../lib/use-query';
import type { ChartHandlers, ChartKeys } from './Chart';
import { ChartPanel } from './ChartPanel';
import type { echarts } from './echarts';
import { chosen, describeFilter, scoped, sourceText, spanText, toggleValues } from './filters';
import { count, fmt } from './frame';
import { choroplethOption, pointsOption, type Point } from './map-options';
import { aspectOf, fitBounds, loadMap, type LoadedMap } from './maps';

type Extent = [number, number, number, number];

/**
 * The regions a filter chose, by the names the data gives them and by the map's own spelling: a
 * region clicked on the map is chosen (outlined and named) even when no incident is counted in it.
 */
function withMapNames(map: LoadedMap, chosen: (string | null)[], fromData: string[]): string[] {
  const direct = chosen
    .map((v) => (v === null ? undefined : map.names.get(v.toLowerCase())))
    .filter((n): n is string => !!n);
  return [...new Set([...fromData, ...direct])];
}
/** The squeeze of longitudes for a fit of these extents (at their middle latitude), or null. */
const aspectFor = (extents: Extent[]) =>
  extents.length ? aspectOf(Math.min(...extents.map((e) => e[1])), Math.max(...extents.map((e) => e[3]))) : null;

type Layer = 'points' | 'provinces' | 'figures' | 'plots';
type Props = {
  incidents: FilterModel;
  plots: FilterModel;
  home: string;
  byCountry?: Output<'dashboard.incidentsBy'>;
  byAdmin1?: Output<'dashboard.incidentsBy'>;
  figures?: Output<'dashboard.figuresByAdmin1'>;
  plotsData?: Output<'dashboard.plots'>;
  onError: (m: string) => void;
};
type Query = { bbox: [number, number, number, number]; cell: number };

const WORLD: Query = { bbox: [-180, -90, 180, 90], cell: 1 };
const DEPS = ['incidents', 'citations', 'sources'] as const;
const HEIGHT = 500;

/** The part of the world the chart shows, and a grid cell of about 8 pixels there. */
function viewQuery(chart: echarts.ECharts): Query | null {
  const w = chart.getWidth();
  const h = chart.getHeight();
  const a = chart.convertFromPixel({ geoIndex: 0 }, [0, 0]) as number[] | undefined;
  const b = chart.convertFromPixel({ geoIndex: 0 }, [w, h]) as number[] | undefined;
  if (!a || !b || a.some((v) => !Number.isFinite(v)) || b.some((v) => !Number.isFinite(v))) return null;
  const clamp = (v: number, lim: number) => Math.max(-lim, Math.min(lim, v));
  const [west, east] = [clamp(Math.min(a[0]!, b[0]!), 180), clamp(Math.max(a[0]!, b[0]!), 180)];
  const [south, north] = [clamp(Math.min(a[1]!, b[1]!), 90), clamp(Math.max(a[1]!, b[1]!), 90)];
  // Powers of two, so a small pan does not ask again for a slightly different grid.
  const cell = 2 ** Math.round(Math.log2(Math.max(0.001, ((east - west) / Math.max(1, w)) * 8)));
  const r = (v: number) => Math.round(v * 10) / 10;
  return { bbox: [r(west), r(south), r(east), r(north)], cell: Math.min(8, cell) };
}

/** The map: incidents as points, or provinces, reported figures or plots as a choropleth. */
export function MapPanel({ incidents, plots, home, byCountry, byAdmin1, figures, plotsData, onError }: Props) {
  const [layer, setLayer] = useState<Layer>('points');
  const [by, setBy] = useState<'count' | 'fatalities'>('count');
  const [maps, setMaps] = useState<Record<string, LoadedMap>>({});
  const [view, setView] = useState<{ center: number[]; zoom: number } | null>(null);
  const [query, setQuery] = useState<Query>(WORLD);
  // The geo box's size, for a fitted view that fills it (geo's top and bottom in map-options).
  const [box, setBox] = useState({ width: 1300, height: HEIGHT - 126 });
  const wrap = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setBox({ width: Math.max(200, el.clientWidth - 40), height: HEIGHT - 126 }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const filter = useMemo(() => scoped(incidents, OWN_COLUMNS.map), [incidents]);
  const points = useQuery('dashboard.mapPoints', { filter, bbox: query.bbox, cell: query.cell }, DEPS);

  const homeAdmin1 = admin1CountryOf(home);
  const figuresAdmin1 = admin1CountryOf(figures?.country ?? null);
  const mapKey: 'world' | Admin1Country =
    layer === 'provinces' ? (homeAdmin1 ?? 'world') : layer === 'figures' ? (figuresAdmin1 ?? 'world') : 'world';
  const map = maps[mapKey === 'world' ? 'world' : `admin1-${mapKey}`];

  useEffect(() => {
    let live = true;
    loadMap(mapKey)
      .then((m) => live && setMaps((prev) => ({ ...prev, [m.name]: m })))
      .catch((e: Error) => onError(`Could not load the map: ${e.message}`));
    return () => {
      live = false;
    };
  }, [mapKey, onError]);

  // A new layer starts from its own fitted view.
  useEffect(() => {
    setView(null);
    setQuery(WORLD);
  }, [layer]);

  // The squeeze of the last fitted view: panning and zooming keep the map's shape.
  const lastAspect = useRef<number | null>(null);

  const regionSpellings = useCallback(
    (bars: { key?: string | null; values: (string | null)[] }[] | undefined, name: string) =>
      bars?.find((b) => b.key === name)?.values ?? [name],
    [],
  );

  const built = useMemo(() => {
    if (!map) return null;
    const pts = (points.data?.points ?? []) as Point[];
    let subtitle = '';
    let source = '';
    const unmatched: string[] = [];
    let fit: [[number, number], [number, number]] | null = null;
    // A country's own map is shown at its own latitude; the world at that of what is fitted.
    const own = mapKey === 'world' ? null : aspectOf(map.bounds[1][1], map.bounds[0][1]);
    let aspect = own ?? lastAspect.current ?? aspectOf(map.bounds[1][1], map.bounds[0][1]);
    const viewOf = () => (fit ? { boundingCoords: fit, aspect } : view ? { ...view, aspect } : { aspect });
    if (layer === 'points') {
      const d = points.data;
      const cell = d ? (d.cell >= 1 ? `${d.cell}°` : `${Number(d.cell.toPrecision(2))}°`) : '';
      const counts = d
        ? `${count(d.total - d.withoutCoords - d.outside, 'incident')} in view${d.outside ? `, ${fmt(d.outside)} outside it` : ''}${d.withoutCoords ? `; ${fmt(d.withoutCoords)} without coordinates not shown` : ''}`
        : '';
      const how = d?.merged
        ? `Nearby places are merged into cells of ${cell}, each drawn at the mean position of its incidents`
        : 'Each point is one place';
      subtitle = `${describeFilter('incidents', filter)}, ${spanText(d?.span)}. ${counts}. ${how}; size: ${by === 'count' ? 'number of incidents' : 'fatalities reported'}.`;
      source = sourceText(d?.sources, MAP_ATTRIBUTION);
      if (!view && pts.length) {
        const ex = pts.map((p): Extent => [p[0], p[1], p[0], p[1]]);
        aspect = lastAspect.current = aspectFor(ex) ?? aspect;
        fit = fitBounds(ex, box, aspect);
      }
      const sel = chosen(incidents, 'country') ?? [];
      const chosenNames = withMapNames(
        map,
        sel,
        (byCountry?.bars ?? []).filter((b) => b.key && b.values.some((v) => sel.includes(v))).map((b) => b.key!),
      );
      return {
        option: pointsOption(map, viewOf(), pts, by, 'Incidents on the map', subtitle, source, chosenNames),
        unmatched,
        regions: [] as { name: string; value: number }[],
        unit: ['incident', 'incidents'] as [string, string],
      };
    }
    const values: { name: string; value: number }[] = [];
    let title = '';
    let unit: [string, string] = ['incident', 'incidents'];
    let chosenNames: string[] = [];
    if (layer === 'plots') {
      title = 'Plots by country of interdiction';
      unit = ['plot', 'plots'];
      const bars = plotsData?.byCountry.bars ?? [];
      for (const b of bars) {
        const name = b.key ?? map.names.get(b.label.toLowerCase()) ?? null;
        if (name) values.push({ name, value: b.value });
        else unmatched.push(`${b.label} (${fmt(b.value)})`);
      }
      subtitle = `${describeFilter('plots', scoped(plots, OWN_COLUMNS.plotsCountry))}. ${count(plotsData?.total ?? 0, 'plot')}, ${spanText(plotsData?.span)}.`;
      source = sourceText(plotsData?.byCountry.sources, MAP_ATTRIBUTION);
      const sel = chosen(plots, 'country') ?? [];
      chosenNames = withMapNames(
        map,
        sel,
        bars.filter((b) => b.key && b.values.some((v) => sel.includes(v))).map((b) => b.key!),
      );
    } else if (layer === 'provinces') {
      title = homeAdmin1 ? `Incidents by province, ${home}` : `No province map for ${home}`;
      const mine = (byAdmin1?.bars ?? []).filter((b) => admin1CountryOf(b.country ?? null) === homeAdmin1);
      for (const b of mine) {
        if (b.key && map.names.has(b.key.toLowerCase())) values.push({ name: b.key, value: b.value });
        else unmatched.push(`${b.label} (${fmt(b.value)})`);
      }
      subtitle = `${describeFilter('incidents', scoped(incidents, OWN_COLUMNS.admin1))}. ${fmt(values.reduce((s, v) => s + v.value, 0))} incidents in ${home}'s provinces.`;
      source = sourceText(byAdmin1?.sources, MAP_ATTRIBUTION);
      const sel = chosen(incidents, 'admin1') ?? [];
      chosenNames = withMapNames(
        map,
        sel,
        mine.filter((b) => b.key && b.values.some((v) => sel.includes(v))).map((b) => b.key!),
      );
    } else {
      title = figures?.measure ? `${figures.measure}: reported, by province` : 'Reported figures by province';
      for (const b of figures?.bars ?? []) {
        if (b.matchedAs && map.names.has(b.matchedAs.toLowerCase())) values.push({ name: b.matchedAs, value: b.value });
        else unmatched.push(`${b.label} (${fmt(b.value)})`);
      }
      subtitle = `As the source reports them${figures?.periodStart ? `, ${figures.periodStart} to ${figures.periodEnd ?? '…'}` : ''}; not filtered.`;
      source = sourceText(figures?.sources, MAP_ATTRIBUTION);
    }
    if (!view && layer === 'plots') {
      const ex = values.map((v) => map.extents.get(v.name)).filter((x): x is Extent => !!x);
      aspect = lastAspect.current = aspectFor(ex) ?? aspect;
      fit = fitBounds(ex, box, aspect);
    }
    if (unmatched.length) subtitle += ` Not on the map: ${unmatched.join(', ')}.`;
    return {
      option: choroplethOption(map, viewOf(), values, unit, title, subtitle, source, chosenNames),
      unmatched,
      regions: values,
      unit,
    };
  }, [
    map,
    mapKey,
    layer,
    points.data,
    view,
    by,
    filter,
    incidents,
    plots,
    byCountry,
    byAdmin1,
    figures,
    plotsData,
    home,
    homeAdmin1,
    box,
  ]);

  // A region chosen, by a click or by Enter on the keyboard: the filter its layer sets.
  const pickRegion = useCallback(
    (name: string, additive: boolean) => {
      if (layer === 'plots')
        toggleValues('plots', 'country', regionSpellings(plotsData?.byCountry.bars, name), plots, additive);
      else if (layer === 'points')
        toggleValues('incidents', 'country', regionSpellings(byCountry?.bars, name), incidents, additive);
      else if (layer === 'provinces')
        toggleValues('incidents', 'admin1', regionSpellings(byAdmin1?.bars, name), incidents, additive);
      else {
        const bar = figures?.bars.find((b) => b.matchedAs === name);
        if (bar) toggleValues('incidents', 'admin1', bar.values.length ? bar.values : [bar.label], incidents, additive);
      }
    },
    [layer, plots, incidents, byCountry, byAdmin1, figures, plotsData, regionSpellings],
  );

  const roamTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const on = useMemo<ChartHandlers>(
    () => ({
      georoam: (_e, chart) => {
        if (roamTimer.current) clearTimeout(roamTimer.current);
        roamTimer.current = setTimeout(() => {
          const g = (chart.getOption().geo as { center?: number[]; zoom?: number }[] | undefined)?.[0];
          if (g?.center && g.zoom) setView({ center: g.center, zoom: g.zoom });
          if (layer === 'points') {
            const q = viewQuery(chart);
            if (q) setQuery(q);
          }
        }, 300);
      },
      click: (e) => {
        const name = typeof e.name === 'string' ? e.name : '';
        const region =
          e.componentType === 'geo' || e.seriesType === 'map' || (e.seriesType === 'scatter' && layer !== 'points');
        if (!region || !name) return;
        pickRegion(name, !!(e.event?.event?.ctrlKey || e.event?.event?.metaKey || e.event?.event?.shiftKey));
      },
    }),
    [layer, pickRegion],
  );
  // The keyboard goes over the regions that have a value, largest first (a region chosen by Enter is what a click chooses).
  const keys = useMemo<ChartKeys | undefined>(() => {
    const regions = [...(built?.regions ?? [])].sort((a, b) => b.value - a.value);
    if (regions.length === 0) return undefined;
    const unit = built?.unit ?? ['incident', 'incidents'];
    return {
      items: regions.map((r) => ({
        label: r.name,
        name: r.name,
        detail: `${fmt(r.value)} ${r.value === 1 ? unit[0] : unit[1]}`,
      })),
      pick: (i, add) => {
        const r = regions[i];
        if (r) pickRegion(r.name, add);
      },
    };
  }, [built, pickRegion]);

  // Once the fitted view is drawn, ask for points at the grid that view needs.
  const afterSet = useCallback(
    (chart: echarts.ECharts) => {
      if (layer !== 'points' || view) return;
      const q = viewQuery(chart);
      if (q && (q.cell !== query.cell || q.bbox.some((v, i) => Math.abs(v - query.bbox[i]!) > 1))) setQuery(q);
    },
    [layer, view, query],
  );

  const tools = (
    <>
      <label>
        Show{' '}
        <select value={layer} onChange={(e) => setLayer(e.target.value as Layer)} data-testid="map-layer">
          <option value="points">Incidents (points)</option>
          <option value="provinces" disabled={!homeAdmin1}>
            Incidents by province ({home})
          </option>
          <option value="figures" disabled={!figuresAdmin1}>
            Reported figures by province
          </option>
          <option value="plots">Plots by country</option>
        </select>
      </label>
      {layer === 'points' && (
        <label>
          Size by{' '}
          <select value={by} onChange={(e) => setBy(e.target.value as 'count' | 'fatalities')} data-testid="map-size">
            <option value="count">incidents</option>
            <option value="fatalities">fatalities</option>
          </select>
        </label>
      )}
      {view && (
        <button type="button" onClick={() => (setView(null), setQuery(WORLD))} data-testid="map-reset">
          Fit
        </button>
      )}
    </>
  );

  return (
    <div ref={wrap} className="wide">
      <ChartPanel
        id="map"
        title="Map"
        option={built?.option ?? {}}
        height={HEIGHT}
        on={on}
        keys={keys}
        afterSet={afterSet}
        tools={tools}
        error={points.error}
        onError={onError}
        wide
      >
        {built && built.unmatched.length > 0 && (
          <p className="muted small" data-testid="map-unmatched" dir="auto">
            Not on the map (names not recognised): {built.unmatched.join(', ')}
          </p>
        )}
      </ChartPanel>
    </div>
  );
}
