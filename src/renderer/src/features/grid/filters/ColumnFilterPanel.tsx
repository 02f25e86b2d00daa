import { useCallback, useEffect, useRef, useState } from 'react';
import { useGridFilter, type CustomFilterProps } from 'ag-grid-react';
import type { ColumnFilter } from '../../../../../shared/contract';
import type { GridTable } from '../../../../../shared/domain/common';
import type { Field } from '../../../../../shared/domain/fields';
import { SetFilter } from './SetFilter';

export type FilterKind = 'set' | 'text' | 'number' | 'date';
export type FilterParams = { table: GridTable; field: Field; kind: FilterKind };
type Props = CustomFilterProps<Record<string, unknown>, unknown, ColumnFilter> & FilterParams;

/**
 * One function for the life of the app: AG Grid's React wrapper takes a new doesFilterPass from
 * an active filter as a change of its logic and fires filterChanged, and the infinite row model
 * answers that by reloading from the top (opening a filter's popup scrolled the grid back up).
 */
const PASSES = () => true;

/**
 * The one filter component of every column. Its model is the core's ColumnFilter itself, so the
 * grid's filter model is the shared FilterModel's `columns` (see filter-model.ts). The rows are
 * filtered in the core: doesFilterPass is never asked in the infinite row model.
 * A text column can be filtered by its values (set) or by matching text.
 */
export function ColumnFilterPanel(props: Props) {
  const { model, onModelChange, table, field, kind } = props;
  const [opened, setOpened] = useState(0);
  const [chosen, setChosen] = useState<FilterKind | null>(null);
  const afterGuiAttached = useCallback(() => setOpened((n) => n + 1), []);
  useGridFilter({ doesFilterPass: PASSES, afterGuiAttached });
  const type: FilterKind = model?.type ?? chosen ?? kind;
  const canSwitch = field.kind === 'text' || field.kind === 'longtext' || field.kind === 'enum';

  return (
    <div className="column-filter" data-testid={`filter-${field.name}`}>
      {canSwitch && (
        <div className="filter-kind" role="tablist" aria-label="Filter by">
          {(['set', 'text'] as const).map((k) => (
            <button
              type="button"
              key={k}
              role="tab"
              aria-selected={type === k}
              className={type === k ? 'active' : ''}
              onClick={() => {
                if (type === k) return;
                setChosen(k);
                onModelChange(null);
              }}
            >
              {k === 'set' ? 'Values' : 'Text'}
            </button>
          ))}
        </div>
      )}
      {type === 'set' && (
        <SetFilter table={table} column={field.name} model={model} onModelChange={onModelChange} opened={opened} />
      )}
      {type === 'text' && <TextFilter model={model?.type === 'text' ? model : null} onModelChange={onModelChange} />}
      {type === 'number' && (
        <NumberFilter model={model?.type === 'number' ? model : null} onModelChange={onModelChange} field={field} />
      )}
      {type === 'date' && <DateFilter model={model?.type === 'date' ? model : null} onModelChange={onModelChange} />}
      <div className="filter-footer">
        <button type="button" data-testid="filter-clear" disabled={!model} onClick={() => onModelChange(null)}>
          Clear filter
        </button>
      </div>
    </div>
  );
}

/** Sends a model only when it differs from the current one (no filter-changed round for nothing). */
function changer(
  model: ColumnFilter | null,
  onModelChange: (m: ColumnFilter | null) => void,
  sent?: React.RefObject<string | null>,
) {
  return (next: ColumnFilter | null) => {
    if (sent) sent.current = JSON.stringify(next);
    if (JSON.stringify(next) !== JSON.stringify(model)) onModelChange(next);
  };
}

/**
 * True when the model is the one this filter sent itself: the fields keep what the analyst typed
 * (an unreadable number lifts the filter, and must not also wipe the text it was typed in).
 */
function ownModel(model: ColumnFilter | null, sent: React.RefObject<string | null>): boolean {
  return sent.current !== null && sent.current === JSON.stringify(model ?? null);
}

/** Applies typed input after a pause, so each keystroke does not ask a million rows again. */
function useDebounced(apply: () => void, deps: unknown[], ms = 350): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const t = setTimeout(apply, ms);
    return () => clearTimeout(t);
  }, deps); // eslint-disable-line react-hooks/exhaustive-deps
}

type TextModel = Extract<ColumnFilter, { type: 'text' }>;
const TEXT_OPS: { op: TextModel['op']; label: string }[] = [
  { op: 'contains', label: 'contains' },
  { op: 'equals', label: 'equals' },
  { op: 'startsWith', label: 'starts with' },
  { op: 'blank', label: 'is blank' },
  { op: 'notBlank', label: 'is not blank' },
];

function TextFilter({
  model,
  onModelChange,
}: {
  model: TextModel | null;
  onModelChange: (m: ColumnFilter | null) => void;
}) {
  const [op, setOp] = useState<TextModel['op']>(model?.op ?? 'contains');
  const [value, setValue] = useState(model?.value ?? '');
  const noValue = op === 'blank' || op === 'notBlank';
  // Follow the model when something else sets it (the dashboard, a saved layout).
  useEffect(() => {
    setOp(model?.op ?? 'contains');
    setValue(model?.value ?? '');
  }, [model]);
  const change = changer(model, onModelChange);
  useDebounced(
    () => change(noValue || value !== '' ? { type: 'text', op, value: noValue ? '' : value } : null),
    [op, value],
  );
  return (
    <div className="filter-fields">
      <select aria-label="Condition" value={op} onChange={(e) => setOp(e.target.value as TextModel['op'])}>
        {TEXT_OPS.map((o) => (
          <option key={o.op} value={o.op}>
            {o.label}
          </option>
        ))}
      </select>
      {!noValue && (
        <input
          dir="auto"
          autoFocus
          aria-label="Text"
          data-testid="text-filter-value"
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
      )}
    </div>
  );
}

type NumberModel = Extract<ColumnFilter, { type: 'number' }>;

function NumberFilter({
  model,
  onModelChange,
  field,
}: {
  model: NumberModel | null;
  onModelChange: (m: ColumnFilter | null) => void;
  field: Field;
}) {
  const [min, setMin] = useState(model?.min === null || model?.min === undefined ? '' : String(model.min));
  const [max, setMax] = useState(model?.max === null || model?.max === undefined ? '' : String(model.max));
  const parse = (s: string) => (s.trim() === '' ? null : Number(s));
  const bad = [min, max].some((s) => s.trim() !== '' && !Number.isFinite(Number(s)));
  const sent = useRef<string | null>(null);
  useEffect(() => {
    if (ownModel(model, sent)) return;
    setMin(model?.min === null || model?.min === undefined ? '' : String(model.min));
    setMax(model?.max === null || model?.max === undefined ? '' : String(model.max));
  }, [model]);
  const change = changer(model, onModelChange, sent);
  useDebounced(() => {
    // What does not read as a number filters nothing (it never keeps the old value's filter).
    if (bad) return change(null);
    const a = parse(min);
    const b = parse(max);
    change(a === null && b === null ? null : { type: 'number', min: a, max: b });
  }, [min, max]);
  return (
    <div className="filter-fields">
      <label>
        From{' '}
        <input
          inputMode="decimal"
          aria-label={`${field.label} from`}
          data-testid="number-filter-min"
          value={min}
          onChange={(e) => setMin(e.target.value)}
        />
      </label>
      <label>
        to{' '}
        <input
          inputMode="decimal"
          aria-label={`${field.label} to`}
          data-testid="number-filter-max"
          value={max}
          onChange={(e) => setMax(e.target.value)}
        />
      </label>
      {bad && (
        <p className="error small" data-testid="filter-error">
          Type a number: until then this column filters nothing.
        </p>
      )}
    </div>
  );
}

type DateModel = Extract<ColumnFilter, { type: 'date' }>;
const DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

/**
 * From / to at any precision: "2022", "2022-07" or "2022-07-15". From is the start of the period
 * typed, to its end. A row whose date is known only to the month or year is shown only when that
 * whole month or year is inside the range (the dashboard counts the same way).
 */
function DateFilter({
  model,
  onModelChange,
}: {
  model: DateModel | null;
  onModelChange: (m: ColumnFilter | null) => void;
}) {
  const [from, setFrom] = useState(model?.from ?? '');
  const [to, setTo] = useState(model?.to ?? '');
  const badFrom = from.trim() !== '' && !DATE.test(from.trim());
  const badTo = to.trim() !== '' && !DATE.test(to.trim());
  const sent = useRef<string | null>(null);
  useEffect(() => {
    if (ownModel(model, sent)) return;
    setFrom(model?.from ?? '');
    setTo(model?.to ?? '');
  }, [model]);
  const change = changer(model, onModelChange, sent);
  useDebounced(() => {
    if (badFrom || badTo) return change(null);
    const f = from.trim() || null;
    const t = to.trim() || null;
    change(f === null && t === null ? null : { type: 'date', from: f, to: t });
  }, [from, to]);
  return (
    <div className="filter-fields">
      <label>
        From{' '}
        <input
          placeholder="YYYY[-MM[-DD]]"
          aria-label="From date"
          data-testid="date-filter-from"
          aria-invalid={badFrom}
          value={from}
          onChange={(e) => setFrom(e.target.value)}
        />
      </label>
      <label>
        to{' '}
        <input
          placeholder="YYYY[-MM[-DD]]"
          aria-label="To date"
          data-testid="date-filter-to"
          aria-invalid={badTo}
          value={to}
          onChange={(e) => setTo(e.target.value)}
        />
      </label>
      {(badFrom || badTo) && (
        <p className="error small" data-testid="filter-error">
          A year (2022), a month (2022-07) or a day (2022-07-15): until then this column filters nothing.
        </p>
      )}
      <p className="muted small">
        A date known only to the month or year counts when that whole month or year is inside.
      </p>
    </div>
  );
}
