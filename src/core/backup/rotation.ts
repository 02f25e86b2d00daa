/**
 * Which backups of one case file to keep: the newest `keepLast`, and for the last `weeks` weeks
 * the newest of each week (counted back from now), then only as many, newest first, as fit in
 * the size budget. The newest one is always kept, even when it alone is over the budget: a
 * backup that rotation would delete at once protects nothing.
 */
export type RotationPolicy = { keepLast: number; weeks: number; budgetBytes: number };
export type Rotatable = { path: string; at: string; size: number };

const WEEK_MS = 7 * 24 * 3600 * 1000;

/** 2 GB per case file: a year of ACLED for the whole world (about 400 MB as a case file) five times over. */
export const DEFAULT_BUDGET_BYTES = 2 * 1024 ** 3;
export const DEFAULT_POLICY: RotationPolicy = { keepLast: 10, weeks: 5, budgetBytes: DEFAULT_BUDGET_BYTES };

/** The paths to keep; `now` is a parameter so that tests can play out weeks of backups. */
export function backupsToKeep(
  entries: readonly Rotatable[],
  now: Date,
  policy: RotationPolicy = DEFAULT_POLICY,
): Set<string> {
  const newest = [...entries].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const wanted = new Set<string>(newest.slice(0, Math.max(1, policy.keepLast)).map((e) => e.path));
  const weekSeen = new Set<number>();
  for (const e of newest) {
    const age = now.getTime() - Date.parse(e.at);
    if (!(age >= 0)) continue; // from the future (a clock set back): the newest rule keeps it or not
    const week = Math.floor(age / WEEK_MS);
    if (week >= policy.weeks || weekSeen.has(week)) continue;
    weekSeen.add(week);
    wanted.add(e.path);
  }
  const kept = new Set<string>();
  let bytes = 0;
  for (const e of newest) {
    if (!wanted.has(e.path)) continue;
    if (kept.size > 0 && bytes + e.size > policy.budgetBytes) continue;
    kept.add(e.path);
    bytes += e.size;
  }
  return kept;
}
