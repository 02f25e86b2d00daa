import { useMemo } from 'react';
import type { FilterModel, Output } from '../../../../shared/contract';
import { OWN_COLUMNS, type PlotPeriod } from '../../../../shared/channels/dashboard';
import { setFilter } from '../../lib/filter-store';
import { barHeight, barOption } from './bar-options';
import type { ChartHandlers } from './Chart';
import { ChartPanel } from './ChartPanel';
import { chosen, describeFilter, scoped, sourceText, spanText, toggleValues } from './filters';
import { count, fmt } from './frame';
import { additive, barKeys } from './IncidentBars';

type Plots = Output<'dashboard.plots'>;
type Props = { data?: Plots; error: string | null; plots: FilterModel; onError: (m: string) => void };
const PLOT: [string, string] = ['plot', 'plots'];

/** Which period bars the plots filter chooses: a year range of one year, or "before" bounds. */
function chosenPeriods(f: FilterModel): string[] | null {
  const d = f.columns.date;
  const b = f.columns.date_before;
  const out: string[] = [];
  if (d?.type === 'date' && d.from && d.from === d.to) out.push(d.from);
  if (b?.type === 'set') out.push(...b.values.filter((v): v is string => v !== null));
  if (d?.type === 'text' && d.op === 'blank' && b?.type === 'text' && b.op === 'blank') out.push('undated');
  return out.length ? out : null;
}

/** A click on a period: its year, its "before" bound, or no date at all; again to clear. */
function choosePeriod(p: PlotPeriod, current: FilterModel): void {
  const again = chosenPeriods(current)?.length === 1 && chosenPeriods(current)?.[0] === p.key;
  setFilter('plots', (prev) => {
    const columns = { ...prev.columns };
    delete columns.date;
    delete columns.date_before;
    if (!again) {
      if (p.kind === 'year') columns.date = { type: 'date', from: p.key, to: p.key };
      else if (p.kind === 'before') columns.date_before = { type: 'set', values: [p.key] };
      else {
        columns.date = { type: 'text', op: 'blank', value: '' };
        columns.date_before = { type: 'text', op: 'blank', value: '' };
      }
    }
    return { ...prev, columns };
  });
}

/** Interdicted plots by country, by period and by stage, each a filter on the plots. */
export function PlotsPanels({ data, error, plots, onError }: Props) {
  const byCountry = useMemo(() => {
    const bars = data?.byCountry.bars ?? [];
    const subtitle = `${describeFilter('plots', scoped(plots, OWN_COLUMNS.plotsCountry))}. ${count(
      bars.reduce((s, b) => s + b.value, 0),
      'plot',
    )}, ${spanText(data?.span)}.`;
    return barOption({
      title: 'Plots by country of interdiction',
      subtitle,
      source: sourceText(data?.byCountry.sources),
      bars,
      chosen: chosen(plots, 'country'),
      color: '#b03a2e',
      unit: PLOT,
    });
  }, [data, plots]);
  const byPeriod = useMemo(() => {
    const periods = data?.byPeriod.periods ?? [];
    const before = periods.filter((p) => p.kind === 'before').reduce((s, p) => s + p.value, 0);
    const subtitle = `${describeFilter('plots', scoped(plots, OWN_COLUMNS.plotsPeriod))}. ${count(
      periods.reduce((s, p) => s + p.value, 0),
      'plot',
    )} by year of interdiction${before ? `; ${fmt(before)} known only to be before a date, shown as their own period` : ''}.`;
    const bars = periods.map((p) => ({ label: p.label, value: p.value, values: [p.key] }));
    return barOption({
      title: 'Plots by period',
      subtitle,
      source: sourceText(data?.byPeriod.sources),
      bars,
      chosen: chosenPeriods(plots),
      color: '#7b2d8b',
      unit: PLOT,
    });
  }, [data, plots]);
  const byStage = useMemo(() => {
    const stages = data?.byStage.stages ?? [];
    const subtitle = `${describeFilter('plots', scoped(plots, OWN_COLUMNS.plotsStage))}, ${spanText(data?.span)}. The stage each plot reached.`;
    const bars = stages.map((s) => ({ label: s.label, value: s.value, values: [s.stage] }));
    return barOption({
      title: 'Plots by stage reached',
      subtitle,
      source: sourceText(data?.byStage.sources),
      bars,
      chosen: chosen(plots, 'stage'),
      color: '#2e6f40',
      unit: PLOT,
    });
  }, [data, plots]);

  const index = (e: { componentType?: string; value?: unknown; dataIndex?: number }, labels: string[]) =>
    e.componentType === 'yAxis' ? labels.indexOf(String(e.value)) : (e.dataIndex ?? -1);
  const onCountry = useMemo<ChartHandlers>(
    () => ({
      click: (e) => {
        const bars = data?.byCountry.bars ?? [];
        const b =
          bars[
            index(
              e,
              bars.map((x) => x.label),
            )
          ];
        if (b) toggleValues('plots', 'country', b.values, plots, additive(e));
      },
    }),
    [data, plots],
  );
  const onPeriod = useMemo<ChartHandlers>(
    () => ({
      click: (e) => {
        const ps = data?.byPeriod.periods ?? [];
        const p =
          ps[
            index(
              e,
              ps.map((x) => x.label),
            )
          ];
        if (p) choosePeriod(p, plots);
      },
    }),
    [data, plots],
  );
  const onStage = useMemo<ChartHandlers>(
    () => ({
      click: (e) => {
        const ss = data?.byStage.stages ?? [];
        const s =
          ss[
            index(
              e,
              ss.map((x) => x.label),
            )
          ];
        if (s) toggleValues('plots', 'stage', [s.stage], plots, additive(e));
      },
    }),
    [data, plots],
  );
  const h = Math.max(
    barHeight(data?.byCountry.bars.length ?? 0),
    barHeight(data?.byPeriod.periods.length ?? 0),
    barHeight(4),
  );
  return (
    <div className="plots-row">
      <ChartPanel
        id="plots-country"
        title="Plots by country"
        option={byCountry}
        height={h}
        on={onCountry}
        keys={barKeys(data?.byCountry.bars ?? [], 'plot', (b, add) =>
          toggleValues('plots', 'country', b.values, plots, add),
        )}
        sources={data?.byCountry.sources}
        error={error}
        onError={onError}
      />
      <ChartPanel
        id="plots-period"
        title="Plots by period"
        option={byPeriod}
        height={h}
        on={onPeriod}
        keys={barKeys(data?.byPeriod.periods ?? [], 'plot', (p) => choosePeriod(p, plots))}
        sources={data?.byPeriod.sources}
        error={error}
        onError={onError}
      />
      <ChartPanel
        id="plots-stage"
        title="Plots by stage"
        option={byStage}
        height={h}
        on={onStage}
        keys={barKeys(data?.byStage.stages ?? [], 'plot', (st, add) =>
          toggleValues('plots', 'stage', [st.stage], plots, add),
        )}
        sources={data?.byStage.sources}
        error={error}
        onError={onError}
      />
    </div>
  );
}
