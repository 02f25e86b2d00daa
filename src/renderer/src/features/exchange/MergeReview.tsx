import { useFocusTrap } from '../../lib/use-focus-trap';
import { useRef, useMemo, useState, type ReactNode } from 'react';
import type {
  FieldDiff,
  MergePlanView,
  MergeResult,
  PlanCounts,
  PlanItem,
  Side,
} from '../../../../shared/channels/exchange';
import { invoke } from '../../lib/api';
import { ConflictCard } from './ConflictCard';
import { FollowsRow } from './FollowsRow';
import { show, TABLE_LABEL, TABLE_PLURAL, who } from './format';
import { ProgressLine } from './ProgressLine';
import { newTaskId, stopTask, useTaskProgress } from '../../lib/use-task';

type Choices = Record<string, Side>;

/** A count as people read it: 40,000. */
const n = (x: number) => x.toLocaleString('en-US');

/**
 * The merge review: nothing is written until Merge is pressed. Conflicts need a choice each (per
 * field, or a whole row); every other change of theirs is taken unless unticked, or all of them
 * are declined by clearing "Accept all non-conflicting changes".
 */
export function MergeReview({
  plan,
  onApplied,
  onCancel,
}: {
  plan: MergePlanView;
  onApplied: (r: MergeResult) => void;
  onCancel: () => void;
}) {
  // Modal for the keyboard and assistive technology: focus stays inside, Escape closes.
  const trap = useRef<HTMLDivElement>(null);
  const onTrapKey = useFocusTrap(trap, () => !busy && onCancel());
  const [choices, setChoices] = useState<Choices>({});
  const [acceptAll, setAcceptAll] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const groups = useMemo(() => {
    const of = (k: PlanItem['kind']) => plan.items.filter((i) => i.kind === k);
    return { conflict: of('conflict'), changed: of('changed'), added: of('added'), deleted: of('deleted') };
  }, [plan]);

  const fallback: Side = acceptAll ? 'theirs' : 'mine';
  const ownSide = (i: PlanItem, f: FieldDiff): Side | undefined =>
    choices[`${i.key}:${f.field}`] ?? choices[i.key] ?? (f.conflict ? undefined : fallback);
  // A bookkeeping field (an upstream revision time) goes with its row: theirs once any of their values is taken.
  const fieldSide = (i: PlanItem, f: FieldDiff): Side | undefined =>
    f.follows ? (i.fields.some((g) => !g.follows && ownSide(i, g) === 'theirs') ? 'theirs' : 'mine') : ownSide(i, f);
  const rowSide = (i: PlanItem): Side | undefined => choices[i.key] ?? (i.rowConflict ? undefined : fallback);

  // A row is one conflict, however many of its fields both changed: decided once each is chosen.
  const open = groups.conflict.filter((i) =>
    i.rowConflict ? !rowSide(i) : i.fields.some((f) => f.conflict && !fieldSide(i, f)),
  ).length;
  const total = plan.counts.conflicts;

  const pickRow = (i: PlanItem, side: Side) =>
    setChoices((c) => {
      const next = { ...c, [i.key]: side };
      for (const f of i.fields) delete next[`${i.key}:${f.field}`];
      return next;
    });
  const pickField = (i: PlanItem, f: FieldDiff, side: Side) =>
    setChoices((c) => ({ ...c, [`${i.key}:${f.field}`]: side }));

  const [taskId, setTaskId] = useState<string | null>(null);
  const apply = async () => {
    const id = newTaskId();
    setTaskId(id);
    setBusy(true);
    setError(null);
    try {
      onApplied(
        await invoke('exchange.apply', {
          planId: plan.planId,
          resolutions: choices,
          acceptNonConflicting: acceptAll,
          taskId: id,
        }),
      );
    } catch (e) {
      const m = (e as Error).message;
      setError(m === 'Cancelled' ? 'Merge stopped: your case file is as it was. Merge again when you are ready.' : m);
      setBusy(false);
    }
  };

  const nothing = plan.items.length === 0 && plan.hidden === 0;
  return (
    <div className="dialog-backdrop" role="presentation" ref={trap} onKeyDown={onTrapKey}>
      <div className="xc-review" role="dialog" aria-modal="true" aria-label="Merge review" data-testid="merge-review">
        <header className="xc-head">
          <h2 dir="auto">Merge “{plan.theirs.title}” into your case file</h2>
          <p className="muted" dir="auto">
            From {plan.theirs.name}
            {plan.theirs.authors.length ? `, changes by ${plan.theirs.authors.join(', ')}` : ''}. Nothing is written
            until you press Merge; the merge is one step you can undo. {n(plan.theirLogEntries)} entries of their
            history will be kept, with their authors and times.
          </p>
          {plan.warnings.map((w) => (
            <p key={w} className="banner" dir="auto">
              {w}
            </p>
          ))}
          <div className="xc-summary" data-testid="merge-summary">
            <span className={total ? 'xc-chip xc-hot' : 'xc-chip'}>
              {n(total)} row{total === 1 ? '' : 's'} in conflict
            </span>
            <span className="xc-chip">{n(plan.counts.changed)} changed</span>
            <span className="xc-chip">{n(plan.counts.added)} added</span>
            <span className="xc-chip">{n(plan.counts.deleted)} deleted on their side</span>
          </div>
          <TableCounts counts={plan.counts} />
        </header>
        <div className="xc-body">
          {nothing && <p data-testid="merge-nothing">Their file has nothing your case file does not already have.</p>}
          {groups.conflict.length > 0 && (
            <section>
              <h3>Conflicts: choose yours or theirs</h3>
              {groups.conflict.map((i) => (
                <ConflictCard
                  key={i.key}
                  item={i}
                  rowChoice={rowSide(i)}
                  fieldChoice={(f) => fieldSide(i, f)}
                  onRow={(s) => pickRow(i, s)}
                  onField={(f, s) => pickField(i, f, s)}
                />
              ))}
            </section>
          )}
          <Section
            title="Changed by them"
            items={groups.changed}
            render={(i) => <Changed item={i} side={(f) => fieldSide(i, f)} onField={(f, s) => pickField(i, f, s)} />}
          />
          <Section
            title="Added by them"
            items={groups.added}
            render={(i) => <Whole item={i} side={rowSide(i)} onPick={(s) => pickRow(i, s)} verb="Add" />}
          />
          <Section
            title="Deleted on their side"
            items={groups.deleted}
            render={(i) => <Whole item={i} side={rowSide(i)} onPick={(s) => pickRow(i, s)} verb="Delete" />}
          />
          {plan.hidden > 0 && (
            <p className="muted">
              {n(plan.hidden)} more changes are not listed; they follow “Accept all non-conflicting changes”.
            </p>
          )}
        </div>
        <footer className="xc-foot">
          <label className="xc-check">
            <input
              type="checkbox"
              checked={acceptAll}
              onChange={(e) => setAcceptAll(e.target.checked)}
              data-testid="accept-all"
            />
            Accept all non-conflicting changes
          </label>
          <span className="spacer" />
          {busy && <MergeProgress id={taskId} />}
          {error && (
            <span className="error" role="alert" data-testid="merge-error">
              {error}
            </span>
          )}
          <span className="muted" data-testid="merge-open-conflicts">
            {total ? `${n(total - open)} of ${n(total)} rows in conflict decided` : 'No conflicts'}
          </span>
          {!busy && (
            <button type="button" onClick={onCancel} data-testid="merge-cancel">
              Cancel
            </button>
          )}
          <button
            type="button"
            className="xc-primary"
            onClick={() => void apply()}
            disabled={busy || open > 0 || nothing}
            data-testid="merge-apply"
          >
            {busy ? 'Merging…' : 'Merge'}
          </button>
        </footer>
      </div>
    </div>
  );
}

/**
 * A merge that brings thousands of rows takes a while: its progress and Stop, in a component of
 * their own so that each report re-renders them only, not the review's thousands of items. Once
 * every step is done the merge is being saved, and can no longer be stopped.
 */
function MergeProgress({ id }: { id: string | null }) {
  const progress = useTaskProgress(id);
  const saving = progress !== null && progress.total !== null && progress.done >= progress.total;
  return (
    <>
      <ProgressLine progress={saving ? { ...progress, message: 'Saving the merge…' } : progress} fallback="Merging…" />
      <button
        type="button"
        onClick={() => void stopTask(id).catch(() => undefined)}
        disabled={saving}
        data-testid="merge-stop"
      >
        Stop
      </button>
    </>
  );
}

/** What the merge brings, table by table ("Incidents: 10 added"), not one count of every row of every table. */
function TableCounts({ counts }: { counts: PlanCounts }) {
  const tables = Object.entries(counts.tables).filter(
    ([, c]) => c && c.added + c.changed + c.deleted + c.conflicts > 0,
  );
  if (tables.length === 0) return null;
  return (
    <ul className="xc-tables" data-testid="merge-tables">
      {tables.map(([t, c]) => (
        <li key={t} data-testid={`merge-table-${t}`}>
          <strong>{TABLE_PLURAL[t] ?? t}</strong>:{' '}
          {[
            c!.added && `${n(c!.added)} added`,
            c!.changed && `${n(c!.changed)} changed`,
            c!.deleted && `${n(c!.deleted)} deleted`,
            c!.conflicts && `${n(c!.conflicts)} in conflict`,
          ]
            .filter(Boolean)
            .join(', ')}
        </li>
      ))}
    </ul>
  );
}

function Section({ title, items, render }: { title: string; items: PlanItem[]; render: (i: PlanItem) => ReactNode }) {
  if (items.length === 0) return null;
  return (
    <details className="xc-section" open={items.length <= 20}>
      <summary>
        {title} ({n(items.length)})
      </summary>
      <ul className="xc-list">
        {items.map((i) => (
          <li key={i.key} data-testid={`item-${i.id}`}>
            {render(i)}
          </li>
        ))}
      </ul>
    </details>
  );
}

function Changed({
  item,
  side,
  onField,
}: {
  item: PlanItem;
  side: (f: FieldDiff) => Side | undefined;
  onField: (f: FieldDiff, s: Side) => void;
}) {
  return (
    <>
      <span className="xc-kind">{TABLE_LABEL[item.tbl]}</span> <strong dir="auto">{item.label}</strong>
      {item.problem && <span className="error"> — {item.problem}</span>}
      <ul className="xc-edits">
        {item.fields.map((f) => (
          <li key={f.field}>
            {f.follows ? (
              <FollowsRow f={f} side={side(f)} />
            ) : (
              <label className="xc-check">
                <input
                  type="checkbox"
                  checked={side(f) === 'theirs'}
                  onChange={(e) => onField(f, e.target.checked ? 'theirs' : 'mine')}
                  data-testid={`take-${f.field}`}
                />
                {f.label}: <span dir="auto">{f.shown?.mine ?? show(f.mine)}</span> →{' '}
                <span dir="auto">{f.shown?.theirs ?? show(f.theirs)}</span>
              </label>
            )}{' '}
            <small className="muted">{who(f.theirsBy)}</small>
          </li>
        ))}
      </ul>
    </>
  );
}

function Whole({
  item,
  side,
  onPick,
  verb,
}: {
  item: PlanItem;
  side: Side | undefined;
  onPick: (s: Side) => void;
  verb: string;
}) {
  const follows = item.reason !== null && /follows|comes back/.test(item.reason);
  return (
    <label className="xc-check">
      {!follows && (
        <input
          type="checkbox"
          checked={side === 'theirs' && !item.problem}
          disabled={!!item.problem}
          onChange={(e) => onPick(e.target.checked ? 'theirs' : 'mine')}
          data-testid="take-row"
        />
      )}
      <span>
        {verb} <span className="xc-kind">{TABLE_LABEL[item.tbl]}</span> <strong dir="auto">{item.label}</strong>{' '}
        <small className="muted">{who(item.by)}</small>
        {item.reason && <small className="xc-reason"> {item.reason}</small>}
        {item.problem && <small className="error"> Not applicable: {item.problem}</small>}
      </span>
    </label>
  );
}
