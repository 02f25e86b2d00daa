import { lazy, Suspense, type ReactNode } from 'react';
import type { TableName } from '../../shared/domain/common';
import { DataGrid } from './features/grid/DataGrid';
import { SourceLibrary } from './features/sources/SourceLibrary';
import { ReviewArea } from './features/review/ReviewArea';
import { ImportArea } from './features/import/ImportArea';
import { AliasesArea } from './features/aliases/AliasesArea';

// Loaded when first opened: the charts (ECharts, the map outlines) and the note editor
// (CodeMirror, the markdown renderer) are most of the renderer's weight.
const Dashboard = lazy(() => import('./features/dashboard/Dashboard').then((m) => ({ default: m.Dashboard })));
const NotesArea = lazy(() => import('./features/notes/NotesArea').then((m) => ({ default: m.NotesArea })));
const later = (node: ReactNode) => (
  <Suspense
    fallback={
      <p className="muted" data-testid="area-loading">
        Loading…
      </p>
    }
  >
    {node}
  </Suspense>
);

/** What an area gets from the shell. */
export type AreaContext = { onError: (message: string) => void };
export type AreaDef = {
  id: string;
  label: string;
  /** Row count shown in the tab, from the case file's counts. */
  countOf?: TableName;
  render: (ctx: AreaContext) => ReactNode;
};

/** The workbench's areas, in tab order. Each feature adds its own entry here. */
export const AREAS: AreaDef[] = [
  {
    id: 'incidents',
    label: 'Incidents',
    countOf: 'incidents',
    render: (c) => <DataGrid key="incidents" table="incidents" onError={c.onError} />,
  },
  {
    id: 'plots',
    label: 'Plots',
    countOf: 'plots',
    render: (c) => <DataGrid key="plots" table="plots" onError={c.onError} />,
  },
  { id: 'sources', label: 'Sources', countOf: 'sources', render: (c) => <SourceLibrary onError={c.onError} /> },
  {
    id: 'figures',
    label: 'Figures',
    countOf: 'figures',
    render: (c) => <DataGrid key="figures" table="figures" onError={c.onError} />,
  },
  { id: 'dashboard', label: 'Dashboard', render: (c) => later(<Dashboard onError={c.onError} />) },
  { id: 'notes', label: 'Notes', countOf: 'notes', render: (c) => later(<NotesArea onError={c.onError} />) },
  { id: 'review', label: 'Review', render: (c) => <ReviewArea onError={c.onError} /> },
  { id: 'import', label: 'Import', render: (c) => <ImportArea onError={c.onError} /> },
  { id: 'aliases', label: 'Aliases', render: (c) => <AliasesArea onError={c.onError} /> },
];
