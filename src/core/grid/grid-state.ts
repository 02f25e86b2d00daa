import { GridLayout } from '../../shared/channels/grid';
import type { Db } from '../db/open';

/**
 * Column layout, widths, order, sort and filters of each grid, kept in the case file (so a
 * colleague opening it sees the same view). Layout is not data: it is written directly, not
 * through an undoable action, and it is checked when read back, since the file may come from
 * someone else.
 */
export function getGridState(db: Db, grid: string): GridLayout | null {
  const row = db.prepare('SELECT state FROM grid_state WHERE grid = ?').get(grid) as { state: string } | undefined;
  if (!row) return null;
  let json: unknown;
  try {
    json = JSON.parse(row.state);
  } catch {
    return null;
  }
  const parsed = GridLayout.safeParse(json);
  return parsed.success ? parsed.data : null;
}

export function setGridState(db: Db, grid: string, state: GridLayout): void {
  db.prepare(
    'INSERT INTO grid_state (grid, state) VALUES (?, ?) ON CONFLICT (grid) DO UPDATE SET state = excluded.state',
  ).run(grid, JSON.stringify(state));
}
