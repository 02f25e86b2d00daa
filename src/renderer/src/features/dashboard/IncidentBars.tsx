import { useMemo } from 'react';
import type { FilterModel, Output } from '../../../../shared/contract';
import type { IncidentDimension } from '../../../../shared/channels/dashboard';
import { barHeight, barOption, eventOption } from './bar-options';
import type { ChartHandlers, ChartEvent, ChartKeys } from './Chart';
import { ChartPanel } from './ChartPanel';
import { chosen, describeFilter, scoped, sourceText, spanText, toggleValues } from './filters';
import { count, fmt } from './frame';
import { OWN_COLUMNS } from '../../../../shared/channels/dashboard';

const TITLES: Record<IncidentDimension, [string, string]> = {
  admin1: ['Incidents by province (admin1)', '#1f6f8b'],
  country: ['Incidents by country', '#a0522d'],
  actor1: ['Incidents by actor', '#5b4a8b'],
};
const OTHERS: Record<IncidentDimension, string> = { admin1: 'provinces', country: 'countries', actor1: 'actors' };

export const additive = (e: ChartEvent) =>
  !!(e.event?.event?.ctrlKey || e.event?.event?.metaKey || e.event?.event?.shiftKey);

/**
 * Incidents by province, country or actor: a click on a bar (or its label) filters on it, with
 * Ctrl or Shift it adds to the choice; the chart keeps every bar and fades the others.
 */
export function DimensionPanel({
  dimension,
  data,
  error,
  incidents,
  onError,
}: {
  dimension: IncidentDimension;
  data?: Output<'dashboard.incidentsBy'>;
  error: string | null;
  incidents: FilterModel;
  onError: (m: string) => void;
}) {
  const sel = chosen(incidents, dimension);
  const option = useMemo(() => {
    const [title, color] = TITLES[dimension];
    const bars = data?.bars ?? [];
    const rest = data?.others.groups
      ? ` Not shown: ${fmt(data.others.groups)} more ${OTHERS[dimension]} with ${count(data.others.value, 'incident')}.`
      : '';
    const picked = sel
      ? ` Chosen (strong): ${sel.map((v) => v ?? '(blank)').join(', ')}; the other charts show only these.`
      : '';
    const subtitle = `${describeFilter('incidents', scoped(incidents, OWN_COLUMNS[dimension]))}. ${count(data?.total ?? 0, 'incident')}, ${spanText(data?.span)}.${rest}${picked}`;
    return barOption({
      title,
      subtitle,
      source: sourceText(data?.sources),
      bars,
      chosen: sel,
      color,
      unit: ['incident', 'incidents'],
      showFatalities: true,
    });
  }, [data, dimension, incidents, sel]);

  const on = useMemo<ChartHandlers>(
    () => ({
      click: (e) => {
        const i =
          e.componentType === 'yAxis' ? (data?.bars.findIndex((b) => b.label === e.value) ?? -1) : (e.dataIndex ?? -1);
        const b = data?.bars[i];
        if (b) toggleValues('incidents', dimension, b.values, incidents, additive(e));
      },
    }),
    [data, dimension, incidents],
  );
  const keys = useMemo(
    () =>
      barKeys(data?.bars ?? [], 'incident', (b, add) => toggleValues('incidents', dimension, b.values, incidents, add)),
    [data, dimension, incidents],
  );
  return (
    <ChartPanel
      id={`by-${dimension}`}
      title={TITLES[dimension][0]}
      option={option}
      height={barHeight(data?.bars.length ?? 0)}
      on={on}
      keys={keys}
      sources={data?.sources}
      error={error}
      onError={onError}
    />
  );
}

/** Incidents by event type, stacked by sub-event type: a segment filters on its sub-type, a type's label on the type. */
export function EventTypesPanel({
  data,
  error,
  incidents,
  onError,
}: {
  data?: Output<'dashboard.eventTypes'>;
  error: string | null;
  incidents: FilterModel;
  onError: (m: string) => void;
}) {
  const selTypes = chosen(incidents, 'event_type');
  const selSubs = chosen(incidents, 'sub_event_type');
  const option = useMemo(() => {
    const subtitle = `${describeFilter('incidents', scoped(incidents, OWN_COLUMNS.eventTypes))}. ${count(data?.total ?? 0, 'incident')}, ${spanText(data?.span)}. Click a type's name to filter on the type, a segment for its sub-type.`;
    return eventOption(
      'Incidents by event type and sub-event type',
      subtitle,
      sourceText(data?.sources),
      data ?? { types: [] },
      selTypes,
      selSubs,
    );
  }, [data, incidents, selTypes, selSubs]);
  const on = useMemo<ChartHandlers>(
    () => ({
      click: (e) => {
        if (e.componentType === 'yAxis') {
          const t = data?.types.find((x) => x.label === e.value);
          if (t) toggleValues('incidents', 'event_type', [t.type], incidents, additive(e));
        } else if (e.data && 'sub' in e.data)
          toggleValues('incidents', 'sub_event_type', [e.data.sub as string | null], incidents, additive(e));
      },
    }),
    [data, incidents],
  );
  // The keyboard goes over the types (a type's name filters, as a click on it does).
  const keys = useMemo<ChartKeys>(
    () => ({
      items: (data?.types ?? []).map((t) => ({ label: t.label, detail: count(t.value, 'incident') })),
      pick: (i, add) => {
        const t = data?.types[i];
        if (t) toggleValues('incidents', 'event_type', [t.type], incidents, add);
      },
    }),
    [data, incidents],
  );
  return (
    <ChartPanel
      id="event-types"
      title="Incidents by event type"
      option={option}
      height={barHeight(data?.types.length ?? 0) + 10}
      on={on}
      keys={keys}
      sources={data?.sources}
      error={error}
      onError={onError}
    />
  );
}

/** The keyboard's path over a bar chart's bars: each bar's label and count, Enter does what its click does. */
export function barKeys<B extends { label: string; value: number }>(
  bars: B[],
  unit: string,
  pick: (b: B, additive: boolean) => void,
): ChartKeys {
  return {
    items: bars.map((b) => ({ label: b.label, detail: count(b.value, unit) })),
    pick: (i, add) => {
      const b = bars[i];
      if (b) pick(b, add);
    },
  };
}
