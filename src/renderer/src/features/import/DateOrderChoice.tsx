import type { DateOrder, ImportPreview } from '../../../../shared/channels/import';

type Props = {
  dates: ImportPreview['dates'];
  value: DateOrder | null;
  onChange: (order: DateOrder | null) => void;
  disabled: boolean;
};

/**
 * How the table writes dates such as 09/05/2021: day first, month first, or not chosen (the
 * import then reads them in the order a later date of the file settles, and skips them only if
 * none does). The core suggests the order it remembered for this header or saw in the first rows;
 * the note says which, or how many rows need the choice.
 */
export function DateOrderChoice({ dates, value, onChange, disabled }: Props) {
  const note = noteFor(dates, value);
  return (
    <div className="import-dates" data-testid="import-dates">
      <label>
        Dates written like 09/05/2021 are{' '}
        <select
          data-testid="import-date-order"
          value={value ?? ''}
          onChange={(e) => onChange(e.target.value === '' ? null : (e.target.value as DateOrder))}
          disabled={disabled}
        >
          <option value="">read as the file's other dates show (skipped if none does)</option>
          <option value="dmy">day/month/year: 9 May 2021</option>
          <option value="mdy">month/day/year: 5 September 2021</option>
        </select>
      </label>
      {note && (
        <span
          className={note.warn ? 'import-dates-note warn' : 'import-dates-note muted'}
          data-testid="import-dates-note"
        >
          {note.text}
        </span>
      )}
    </div>
  );
}

function noteFor(dates: ImportPreview['dates'], value: DateOrder | null): { text: string; warn: boolean } | null {
  if (!dates) return null;
  const rows = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'row' : 'rows'}`;
  if (dates.source === 'remembered' && value === dates.order)
    return { text: 'As confirmed for files with this header before.', warn: false };
  if (dates.source === 'detected' && value === dates.order && dates.example) {
    return {
      text: `${value === 'dmy' ? 'Day first' : 'Month first'}, as ${dates.example.value} on line ${dates.example.line.toLocaleString('en-US')} shows.`,
      warn: false,
    };
  }
  if (dates.either > 0 && value === null) {
    const n = dates.either.toLocaleString('en-US');
    return {
      text: `${n} of the first ${rows(dates.sampled)} ${dates.either === 1 ? 'has' : 'have'} a date that reads both ways: a later date of the file may settle it, else such rows are skipped. Choose to be sure.`,
      warn: true,
    };
  }
  return null;
}
