import { useMemo, useState } from 'react';
import { invoke } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import type { FilterModel, Output } from '../../../../shared/contract';
import type { ChartHandlers } from './Chart';
import { ChartPanel } from './ChartPanel';
import { escapeHtml, type EChartsOption } from './echarts';
import { formatDate, sourceText, toggleValues } from './filters';
import { BOTTOM, fmt, frame, TOP } from './frame';
import { chartLabel, tipText, TOOLTIP_CSS } from './labels';
import { UserLabel } from './UserLabel';

type Figures = Output<'dashboard.figuresByAdmin1'>;

const diffText = (d: number) => (d === 0 ? 'same' : d > 0 ? `+${fmt(d)}` : `−${fmt(-d)}`);

/**
 * Reported figures beside the case file's own counts, "the source says 245, your data has 231",
 * in the source's order and with its numbers, and a table of the same for copying.
 */
export function FiguresPanel({
  data,
  error,
  incidents,
  onError,
}: {
  data?: Figures;
  error: string | null;
  incidents: FilterModel;
  onError: (m: string) => void;
}) {
  const option = useMemo<EChartsOption>(() => {
    const bars = data?.bars ?? [];
    const period = data?.periodStart
      ? `${formatDate(data.periodStart)} to ${data.periodEnd ? formatDate(data.periodEnd) : '…'}`
      : 'any period';
    const who = [data?.actor, data?.country]
      .filter((x): x is string => Boolean(x))
      .map((x) => chartLabel(x, 80))
      .join(', ');
    const subtitle = [
      data?.total !== null && data?.total !== undefined
        ? `Source says ${fmt(data.total)} in all (${who ? `${who}, ` : ''}${period}); your data has ${fmt(data.computedTotal ?? 0)}.`
        : '',
      `Your data: incidents ${data?.actorNames.length ? `naming ${data.actorNames.length > 1 ? "any of the actor's names" : 'the actor'}, ` : ''}of the same country and province whose whole date lies in the period. Not filtered.`,
      data?.unmatched.length
        ? `Province names not recognised (compared by spelling): ${data.unmatched.map((u) => chartLabel(u, 40)).join(', ')}.`
        : '',
    ]
      .filter(Boolean)
      .join(' ');
    return {
      ...frame(
        data?.measure ? `${chartLabel(data.measure, 80)}, by province` : 'Reported figures by province',
        subtitle,
        sourceText(data?.sources),
      ),
      legend: { top: TOP - 16, right: 10, data: ['Source says', 'Your data has'], itemWidth: 12, itemHeight: 10 },
      grid: { left: 10, right: 50, top: TOP + 14, bottom: BOTTOM + 6, containLabel: true },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        extraCssText: TOOLTIP_CSS,
        formatter: (ps: { dataIndex: number }[]) => {
          const b = bars[ps[0]?.dataIndex ?? -1];
          if (!b) return '';
          const map =
            b.matchedAs && b.matchedAs !== b.label
              ? ` <span style="color:#6b7380">(${tipText(b.matchedAs)} on the map)</span>`
              : !b.matchedAs
                ? ' <span style="color:#9b1c1c">(name not recognised)</span>'
                : '';
          return `<b>${tipText(b.label)}</b>${map}<br/>Source says ${escapeHtml(fmt(b.value))}; your data has ${escapeHtml(fmt(b.computed))} (${escapeHtml(diffText(b.computed - b.value))})`;
        },
      },
      xAxis: { type: 'value', splitLine: { lineStyle: { color: '#eef0f3' } } },
      yAxis: {
        type: 'category',
        inverse: true,
        triggerEvent: true,
        data: bars.map((b) => b.label),
        axisTick: { show: false },
        axisLabel: { color: '#2b3340', width: 200, overflow: 'truncate', formatter: (v: string) => chartLabel(v) },
      },
      series: [
        {
          name: 'Source says',
          type: 'bar',
          data: bars.map((b) => b.value),
          barGap: '10%',
          barMaxWidth: 14,
          itemStyle: { color: '#7da7d9' },
          label: { show: true, position: 'right', fontSize: 11, formatter: (p: { value: number }) => fmt(p.value) },
        },
        {
          name: 'Your data has',
          type: 'bar',
          data: bars.map((b) => b.computed),
          barMaxWidth: 14,
          itemStyle: { color: '#1f3b63' },
          label: {
            show: true,
            position: 'right',
            fontSize: 11,
            color: '#1f3b63',
            formatter: (p: { value: number }) => fmt(p.value),
          },
        },
      ],
    };
  }, [data]);

  const on = useMemo<ChartHandlers>(
    () => ({
      click: (e) => {
        const i =
          e.componentType === 'yAxis' ? (data?.bars.findIndex((b) => b.label === e.value) ?? -1) : (e.dataIndex ?? -1);
        const b = data?.bars[i];
        if (b)
          toggleValues(
            'incidents',
            'admin1',
            b.values.length ? b.values : [b.label],
            incidents,
            !!(e.event?.event?.ctrlKey || e.event?.event?.metaKey || e.event?.event?.shiftKey),
          );
      },
    }),
    [data, incidents],
  );

  const n = data?.bars.length ?? 0;
  return (
    <ChartPanel
      id="figures"
      title="Reported figures beside the case file's counts"
      option={option}
      height={TOP + BOTTOM + 70 + Math.max(4, n) * 30}
      on={on}
      error={error}
      onError={onError}
      wide
      side
      sources={data?.sources}
    >
      <div className="figures-side">
        <table className="figures-table" data-testid="figures-table">
          <thead>
            <tr>
              <th>Province</th>
              <th className="num">Source says</th>
              <th className="num">Your data has</th>
              <th className="num">Difference</th>
              <th>On the map as</th>
            </tr>
          </thead>
          <tbody>
            {data?.bars.map((b, i) => (
              <tr key={`${b.label}-${i}`}>
                <td>
                  <UserLabel text={b.label} />
                </td>
                <td className="num">{fmt(b.value)}</td>
                <td className="num">{fmt(b.computed)}</td>
                <td className="num">{diffText(b.computed - b.value)}</td>
                <td className={b.matchedAs ? '' : 'error'}>
                  {b.matchedAs ? <UserLabel text={b.matchedAs} /> : 'not recognised'}
                </td>
              </tr>
            ))}
            {data && data.bars.length === 0 && data.total === null && (
              <tr>
                <td colSpan={5} className="figures-empty" data-testid="figures-empty">
                  No reported counts yet. Add a figure (Figures tab) with the metric <code>incident_count</code>, a
                  country, a period and a province, and the source&apos;s number is compared here with the case
                  file&apos;s own incidents.
                </td>
              </tr>
            )}
          </tbody>
          {data?.total !== null && data?.total !== undefined && (
            <tfoot>
              <tr>
                <th>All of {data.country ? <UserLabel text={data.country} /> : 'the country'}</th>
                <th className="num">{fmt(data.total)}</th>
                <th className="num">{fmt(data.computedTotal ?? 0)}</th>
                <th className="num">{diffText((data.computedTotal ?? 0) - data.total)}</th>
                <th />
              </tr>
            </tfoot>
          )}
        </table>
        {data && data.actorNames.length > 0 && <OtherActors data={data} onError={onError} />}
      </div>
    </ChartPanel>
  );
}

/**
 * Which incidents were counted as the figures' actor, and the actors of the same country and
 * period that were not: datasets name one group differently (ACLED "Islamic State
 * (Afghanistan)", GTD "Khorasan Chapter of the Islamic State"), and a comparison that silently
 * reads 0 is worse than none. One click adds such a name to the figures' Actor field (Undo takes
 * it back); nothing is matched by guesswork.
 */
function OtherActors({ data, onError }: { data: Figures; onError: (m: string) => void }) {
  const [busy, setBusy] = useState(false);
  const others = useQuery('dashboard.figuresOtherActors', {}, ['figures', 'incidents']).data ?? [];
  const names = data.actorNames;
  const none = (data.computedTotal ?? 0) === 0 && data.bars.every((b) => b.computed === 0);
  const quoted = names.map((n) => `“${n}”`).join(' or ');
  const add = (name: string) => {
    setBusy(true);
    invoke('figures.addActorName', { ids: data.actorFigureIds, name })
      .catch((e: Error) => onError(e.message))
      .finally(() => setBusy(false));
  };
  if (others.length === 0) return null;
  return (
    <div className={`figures-actors${none ? ' attention' : ''}`} data-testid="figures-actors">
      <p>
        {none ? (
          <>No incident of your data in this country and period names {quoted}.</>
        ) : (
          <>Counted: incidents naming {quoted}.</>
        )}{' '}
        {none ? 'The actors they do name most often:' : 'Not counted, the actors named most often there:'}
      </p>
      <ul>
        {others.map((a) => (
          <li key={a.name}>
            <UserLabel text={a.name} /> <span className="muted">({fmt(a.count)})</span>{' '}
            <button
              type="button"
              className="link"
              disabled={busy}
              data-testid="figures-count-as"
              title={`Add “${a.name}” to the figures' Actor field`}
              onClick={() => add(a.name)}
            >
              same group
            </button>
          </li>
        ))}
      </ul>
      <p className="muted">
        “Same group” adds the name to the Actor field of these figures (names are separated by “;”); Undo takes it back.
      </p>
    </div>
  );
}
