import { useCallback, useMemo, useState } from 'react';
import { OWN_COLUMNS, TIME_BUCKETS, type TimeBucket } from '../../../../shared/channels/dashboard';
import { useFilter } from '../../lib/filter-store';
import { useQuery } from '../../lib/use-query';
import { AbroadPanel } from './AbroadPanel';
import { FiguresPanel } from './FiguresPanel';
import { FilterBar } from './FilterBar';
import { scoped } from './filters';
import { DimensionPanel, EventTypesPanel } from './IncidentBars';
import { MapPanel } from './MapPanel';
import { LinkPanel } from './LinkPanel';
import { PlotsPanels } from './PlotsPanels';
import { TimelinePanel } from './TimelinePanel';
import './dashboard.css';

const INCIDENT_DEPS = ['incidents', 'citations', 'sources'] as const;
const PLOT_DEPS = ['plots', 'citations', 'sources'] as const;
const FIGURE_DEPS = ['figures', 'incidents', 'citations', 'sources'] as const;

function stored<T extends string>(key: string, allowed: readonly T[] | null, fallback: T | null): T | null {
  try {
    const v = localStorage.getItem(key);
    if (v !== null && (allowed === null || (allowed as readonly string[]).includes(v))) return v as T;
  } catch {
    /* storage unavailable: defaults */
  }
  return fallback;
}
function store(key: string, v: string | null): void {
  try {
    if (v === null) localStorage.removeItem(key);
    else localStorage.setItem(key, v);
  } catch {
    /* not kept: fine */
  }
}

/**
 * The dashboard: every chart reads the incidents and plots filters from the one filter store the
 * grid also uses, asks the core for its aggregate (never rows), and writes the store when the
 * analyst clicks a bar, a region or brushes a period.
 */
export function Dashboard({ onError: report }: { onError?: (m: string) => void }) {
  // The shell's toast when it passes one (areas.tsx), else a banner here: an error is never silent.
  const [banner, setBanner] = useState<string | null>(null);
  const onError = useCallback((m: string) => (report ? report(m) : setBanner(m)), [report]);
  const incidents = useFilter('incidents');
  const plots = useFilter('plots');
  const [bucket, setBucketState] = useState<TimeBucket>(() =>
    stored('casefile.dashboard.bucket', TIME_BUCKETS, 'month')!,
  );
  const [home, setHomeState] = useState<string | null>(() => stored<string>('casefile.dashboard.home', null, null));
  const setBucket = useCallback((b: TimeBucket) => (setBucketState(b), store('casefile.dashboard.bucket', b)), []);
  const setHome = useCallback((h: string | null) => (setHomeState(h), store('casefile.dashboard.home', h)), []);

  // Each chart sends the filter without its own columns, so a click on a bar re-asks only the
  // other charts; the core applies the same rule and caches answers until the data changes.
  const fAdmin1 = useMemo(() => scoped(incidents, OWN_COLUMNS.admin1), [incidents]);
  const fCountry = useMemo(() => scoped(incidents, OWN_COLUMNS.country), [incidents]);
  const fActor = useMemo(() => scoped(incidents, OWN_COLUMNS.actor1), [incidents]);
  const fEvents = useMemo(() => scoped(incidents, OWN_COLUMNS.eventTypes), [incidents]);
  const byAdmin1 = useQuery(
    'dashboard.incidentsBy',
    { dimension: 'admin1', filter: fAdmin1, limit: 30 },
    INCIDENT_DEPS,
  );
  const byCountry = useQuery(
    'dashboard.incidentsBy',
    { dimension: 'country', filter: fCountry, limit: 30 },
    INCIDENT_DEPS,
  );
  const byActor = useQuery('dashboard.incidentsBy', { dimension: 'actor1', filter: fActor, limit: 15 }, INCIDENT_DEPS);
  const events = useQuery('dashboard.eventTypes', { filter: fEvents }, INCIDENT_DEPS);
  const figures = useQuery('dashboard.figuresByAdmin1', {}, FIGURE_DEPS);
  const plotsData = useQuery('dashboard.plots', { filter: plots }, PLOT_DEPS);
  const countries = useMemo(
    () => (byCountry.data?.bars ?? []).map((b) => b.label).filter((l) => !l.startsWith('(')),
    [byCountry.data],
  );

  return (
    <div className="dashboard" data-testid="dashboard">
      <FilterBar />
      {banner && (
        <p className="error banner" role="alert" onClick={() => setBanner(null)}>
          {banner}
        </p>
      )}
      <div className="dash-grid">
        <FiguresPanel data={figures.data} error={figures.error} incidents={incidents} onError={onError} />
        <TimelinePanel incidents={incidents} bucket={bucket} setBucket={setBucket} onError={onError} />
        <AbroadPanel incidents={incidents} home={home} setHome={setHome} countries={countries} onError={onError} />
        <MapPanel
          incidents={incidents}
          plots={plots}
          home={home ?? 'Afghanistan'}
          byCountry={byCountry.data}
          byAdmin1={byAdmin1.data}
          figures={figures.data}
          plotsData={plotsData.data}
          onError={onError}
        />
        <DimensionPanel
          dimension="admin1"
          data={byAdmin1.data}
          error={byAdmin1.error}
          incidents={incidents}
          onError={onError}
        />
        <DimensionPanel
          dimension="country"
          data={byCountry.data}
          error={byCountry.error}
          incidents={incidents}
          onError={onError}
        />
        <EventTypesPanel data={events.data} error={events.error} incidents={incidents} onError={onError} />
        <DimensionPanel
          dimension="actor1"
          data={byActor.data}
          error={byActor.error}
          incidents={incidents}
          onError={onError}
        />
        <LinkPanel incidents={incidents} onError={onError} />
      </div>
      <PlotsPanels data={plotsData.data} error={plotsData.error} plots={plots} onError={onError} />
    </div>
  );
}
