import type { DateOrder } from '../../shared/channels/import';

/**
 * Which order of day and month an import read dates such as `09/05/2021` in, and why: chosen by
 * the analyst (`--date-order`, the Import tab), remembered with the mapping, or settled by the
 * file itself (`example`, the first date that reads only one way); null when none was needed.
 * `heldBack`: rows read again once the file settled it; `unsettled`: rows skipped because it never did.
 */
export type DatesReport = {
  order: DateOrder | null;
  source: 'chosen' | 'remembered' | 'file' | null;
  example: { value: string; line: number } | null;
  heldBack: number;
  unsettled: number;
};

/**
 * Rows held back until the file settles the order of its dates. A file dated by day meets a day
 * above 12 within its first two weeks of events, so few rows wait; past MAX_HELD (a file whose
 * dates all read both ways) the rest are skipped at once rather than kept in memory.
 */
export const MAX_HELD = 100_000;

type Held = { line: number; cells: string[]; reason: string };

export class HeldForDateOrder {
  private held: Held[] = [];
  private example: { value: string; line: number } | null = null;
  private heldBack = 0;
  private settledOrder: DateOrder | null;

  constructor(
    order: DateOrder | null,
    private readonly source: 'chosen' | 'remembered' | null,
  ) {
    this.settledOrder = order;
  }

  /** Keeps a row until the order is known; false when too many already wait (skip it now). */
  hold(line: number, cells: string[], reason: string): boolean {
    if (this.held.length >= MAX_HELD) return false;
    this.held.push({ line, cells, reason });
    return true;
  }

  /** The file showed its order at `line`; true the first time (the held rows are then to be read again). */
  settle(line: number, order: DateOrder, value: string): boolean {
    if (this.example !== null || this.source !== null) return false;
    this.example = { value, line };
    this.settledOrder = order;
    this.heldBack = this.held.length;
    return true;
  }

  /** The rows held so far, handed over once. */
  release(): Held[] {
    const out = this.held;
    this.held = [];
    return out;
  }

  summary(unsettled: number): DatesReport | null {
    const source = this.source ?? (this.example ? 'file' : null);
    if (source === null && unsettled === 0) return null;
    return { order: this.settledOrder, source, example: this.example, heldBack: this.heldBack, unsettled };
  }
}
