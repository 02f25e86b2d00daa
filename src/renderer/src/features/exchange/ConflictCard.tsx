import type { FieldDiff, PlanItem, Side } from '../../../../shared/channels/exchange';
import { FollowsRow } from './FollowsRow';
import { show, TABLE_LABEL, who } from './format';

type Props = {
  item: PlanItem;
  rowChoice: Side | undefined;
  fieldChoice: (f: FieldDiff) => Side | undefined;
  onRow: (side: Side) => void;
  onField: (f: FieldDiff, side: Side) => void;
};

/** One row with a conflict: every differing field side by side, with who changed it and when. */
export function ConflictCard({ item, rowChoice, fieldChoice, onRow, onField }: Props) {
  return (
    <article className="xc-card xc-conflict" data-testid={`conflict-${item.id}`}>
      <header>
        <span className="xc-kind">{TABLE_LABEL[item.tbl]}</span>
        <strong dir="auto">{item.label}</strong>
        {!item.rowConflict && (
          <span className="xc-rowpick">
            <button type="button" onClick={() => onRow('mine')} data-testid="all-mine">
              All yours
            </button>
            <button type="button" onClick={() => onRow('theirs')} data-testid="all-theirs">
              All theirs
            </button>
          </span>
        )}
      </header>
      {item.reason && (
        <p className="xc-reason" dir="auto">
          {item.reason}
        </p>
      )}
      {item.problem && <p className="error">Their version cannot be used as it is: {item.problem}</p>}
      {item.rowConflict ? (
        <RowChoice item={item} choice={rowChoice} onPick={onRow} />
      ) : (
        <FieldTable item={item} choice={fieldChoice} onPick={onField} />
      )}
    </article>
  );
}

function FieldTable({
  item,
  choice,
  onPick,
}: {
  item: PlanItem;
  choice: (f: FieldDiff) => Side | undefined;
  onPick: (f: FieldDiff, s: Side) => void;
}) {
  return (
    <table className="xc-fields">
      <thead>
        <tr>
          <th>Field</th>
          <th>Before (both had)</th>
          <th>Yours</th>
          <th>Theirs</th>
        </tr>
      </thead>
      <tbody>
        {item.fields.map((f) => {
          const c = choice(f);
          const cell = (side: Side) => (
            <td className={c === side ? 'xc-chosen' : ''}>
              <label className="xc-pick">
                <input
                  type="radio"
                  name={`${item.key}:${f.field}`}
                  checked={c === side}
                  onChange={() => onPick(f, side)}
                  data-testid={`pick-${f.field}-${side}`}
                />
                <span className="xc-value" dir="auto">
                  {side === 'mine' ? (f.shown?.mine ?? show(f.mine)) : (f.shown?.theirs ?? show(f.theirs))}
                </span>
              </label>
              <small className="muted">
                {side === 'mine' ? (f.conflict ? who(f.mineBy) : 'unchanged') : who(f.theirsBy)}
              </small>
            </td>
          );
          if (f.follows) {
            return (
              <tr key={f.field}>
                <th scope="row">
                  {f.label}
                  <span className="xc-badge xc-soft">follows the row</span>
                </th>
                <td className="muted" dir="auto">
                  {f.shown?.base ?? show(f.base)}
                </td>
                <td colSpan={2}>
                  <FollowsRow f={f} side={c} labelled={false} />
                </td>
              </tr>
            );
          }
          return (
            <tr key={f.field} className={f.conflict ? 'xc-clash' : ''}>
              <th scope="row">
                {f.label}
                {f.conflict ? (
                  <span className="xc-badge">both changed</span>
                ) : (
                  <span className="xc-badge xc-soft">only theirs</span>
                )}
              </th>
              <td className="muted" dir="auto">
                {f.shown?.base ?? show(f.base)}
              </td>
              {cell('mine')}
              {cell('theirs')}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function RowChoice({ item, choice, onPick }: { item: PlanItem; choice: Side | undefined; onPick: (s: Side) => void }) {
  const theyDeleted = item.rowConflict === 'they-deleted';
  const options: [Side, string][] =
    item.rowConflict === 'same-key'
      ? [
          ['mine', 'Keep yours only (theirs is left out, with what cites it)'],
          ['theirs', 'Add theirs under a free key'],
        ]
      : theyDeleted
        ? [
            ['mine', 'Keep your row (with your changes)'],
            ['theirs', `Delete it, as ${item.by?.author ?? 'they'} did`],
          ]
        : [
            ['mine', 'Keep it deleted'],
            ['theirs', 'Bring it back, with their changes'],
          ];
  return (
    <>
      {item.fields.length > 0 && (
        <ul className="xc-edits">
          {item.fields.map((f) => (
            <li key={f.field}>
              <strong>{f.label}</strong>:{' '}
              <span dir="auto">
                {theyDeleted ? (f.shown?.mine ?? show(f.mine)) : (f.shown?.theirs ?? show(f.theirs))}
              </span>{' '}
              <small className="muted">
                ({who(theyDeleted ? f.mineBy : f.theirsBy)}; before:{' '}
                <span dir="auto">{f.shown?.base ?? show(f.base)}</span>)
              </small>
            </li>
          ))}
        </ul>
      )}
      <div className="xc-rowchoice">
        {options.map(([side, text]) => (
          <label key={side} className={`xc-pick ${choice === side ? 'xc-chosen' : ''}`}>
            <input
              type="radio"
              name={item.key}
              checked={choice === side}
              onChange={() => onPick(side)}
              data-testid={`row-${side}`}
            />
            {text}
          </label>
        ))}
      </div>
    </>
  );
}
