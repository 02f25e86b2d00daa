import { useEffect, useMemo, useState } from 'react';
import type { FilterModel } from '../../../../shared/contract';
import { OWN_COLUMNS } from '../../../../shared/channels/dashboard';
import { useQuery } from '../../lib/use-query';
import type { ChartHandlers } from './Chart';
import { ChartPanel } from './ChartPanel';
import { describeFilter, scoped, sourceText, spanText, toggleValues } from './filters';
import { count, fmt, TOP, withEmptyNote } from './frame';
import { abroadOption } from './time-options';

const DEPS = ['incidents', 'citations', 'sources'] as const;

/** The incidents abroad (another country than the case's home, or tagged "abroad") on a timeline. */
export function AbroadPanel({
  incidents,
  home,
  setHome,
  countries,
  onError,
}: {
  incidents: FilterModel;
  home: string | null;
  setHome: (h: string | null) => void;
  countries: string[];
  onError: (m: string) => void;
}) {
  const filter = useMemo(() => scoped(incidents, OWN_COLUMNS.abroad), [incidents]);
  const q = useQuery('dashboard.abroad', { filter, home }, DEPS);
  const d = q.data;
  const date = incidents.columns.date;
  const brushed = useMemo(
    () =>
      date?.type === 'date' && date.from && date.to
        ? {
            from:
              date.from.length === 4 ? `${date.from}-01-01` : date.from.length === 7 ? `${date.from}-01` : date.from,
            to: date.to,
          }
        : null,
    [date],
  );

  const option = useMemo(() => {
    if (!d) return {};
    const rows = new Set(d.items.map((i) => i.country)).size;
    const subtitle = `${describeFilter('incidents', filter)}. ${count(d.total, 'incident')} outside ${d.home} or tagged “abroad”, in ${fmt(rows)} ${rows === 1 ? 'country' : 'countries'}, ${spanText({ first: d.items[0]?.period ?? null, last: d.items.reduce<string | null>((m, i) => (m === null || i.period > m ? i.period : m), null) })}. Each mark spans its date's precision: a month, or (pale) a whole year.${d.notShown.unknown ? ` ${fmt(d.notShown.unknown)} undated not shown.` : ''}`;
    return withEmptyNote(
      abroadOption(d.items, `Incidents abroad (home: ${d.home})`, subtitle, sourceText(d.sources), brushed),
      d.items.length === 0,
      `No dated incident outside ${d.home} matches the filter.`,
    );
  }, [d, filter, brushed]);

  const on = useMemo<ChartHandlers>(
    () => ({
      click: (e) => {
        const country = e.data?.item?.country as string | undefined;
        if (country && country !== '(country not given)')
          toggleValues(
            'incidents',
            'country',
            [country],
            incidents,
            !!(e.event?.event?.ctrlKey || e.event?.event?.metaKey || e.event?.event?.shiftKey),
          );
      },
    }),
    [incidents],
  );

  const rows = d ? new Set(d.items.map((i) => i.country)).size : 0;
  // The home country is committed on Enter, on leaving the field, or on picking a listed country,
  // not at each keystroke.
  const [draft, setDraft] = useState(home ?? '');
  useEffect(() => setDraft(home ?? d?.home ?? ''), [home, d?.home]);
  const commit = (v: string) => setHome(v.trim() ? v.trim() : null);
  const tools = (
    <label>
      Home country{' '}
      <input
        list="dashboard-countries"
        value={draft}
        onChange={(e) => {
          setDraft(e.target.value);
          if (countries.includes(e.target.value)) commit(e.target.value);
        }}
        onBlur={() => commit(draft)}
        onKeyDown={(e) => e.key === 'Enter' && commit(draft)}
        data-testid="home-country"
        size={16}
        dir="auto"
      />
      <datalist id="dashboard-countries">
        {countries.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
    </label>
  );
  return (
    <ChartPanel
      id="abroad"
      title="Incidents abroad"
      option={option}
      height={TOP + 90 + Math.max(3, rows) * 30}
      on={on}
      tools={tools}
      error={q.error}
      onError={onError}
      wide
      sources={d?.sources}
    />
  );
}
