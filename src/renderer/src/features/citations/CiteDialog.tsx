import { useFocusTrap } from '../../lib/use-focus-trap';
import { useRef, useState } from 'react';
import type { TextQuoteSelector } from '../../../../shared/anchor/quote';
import type { CitationView, CiteTarget } from '../../../../shared/channels/sources';
import { CREDIBILITY_LABEL, FIELDS, LOCATOR_TYPES, type Field } from '../../../../shared/domain/fields';
import { invoke } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { PassageViewer } from '../../components/PassageViewer';
import { SourcePicker } from './SourcePicker';

type Props = { table: CiteTarget; id: string; field?: string | null; existing?: CitationView; onClose: () => void };

type Form = {
  source_id: string;
  field: string;
  locator_type: string;
  locator: string;
  quote: string;
  prefix: string;
  suffix: string;
  translation: string;
  credibility: string;
};

const fromView = (c: CitationView | undefined, field: string | null | undefined): Form => ({
  source_id: c?.source_id ?? '',
  field: c?.field ?? field ?? '',
  locator_type: c?.locator_type ?? 'page',
  locator: c?.locator ?? '',
  quote: c?.quote ?? '',
  prefix: c?.prefix ?? '',
  suffix: c?.suffix ?? '',
  translation: c?.translation ?? '',
  credibility: c?.credibility ? String(c.credibility) : '',
});

/** Cite a source from a row (or one field of it): locator, quoted passage with context, credibility. */
export function CiteDialog({ table, id, field, existing, onClose }: Props) {
  // Modal for the keyboard and assistive technology: focus stays inside, Escape closes.
  const trap = useRef<HTMLDivElement>(null);
  const onTrapKey = useFocusTrap(trap, () => !picking && onClose());
  const [form, setForm] = useState<Form>(() => fromView(existing, field));
  const [error, setError] = useState<string | null>(null);
  const [picking, setPicking] = useState<string | null>(null);
  const set = (k: keyof Form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const fields = table === 'notes' ? [] : (FIELDS[table] as readonly Field[]);

  const submit = async () => {
    if (!form.source_id) {
      setError('Choose the source to cite: search it by title, authors or key, then click it.');
      return;
    }
    const empty = (s: string) => (s.trim() === '' ? null : s);
    const values = {
      source_id: form.source_id,
      target_table: table,
      target_id: id,
      field: empty(form.field),
      locator_type: form.locator.trim() ? form.locator_type : null,
      locator: empty(form.locator),
      quote: empty(form.quote),
      prefix: form.quote.trim() ? empty(form.prefix) : null,
      suffix: form.quote.trim() ? empty(form.suffix) : null,
      translation: empty(form.translation),
      credibility: form.credibility ? Number(form.credibility) : null,
    };
    try {
      if (existing) await invoke('citations.update', { id: existing.id, values });
      else await invoke('citations.create', { values });
      onClose();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const onPick = (s: TextQuoteSelector) => {
    setForm({ ...form, quote: s.exact, prefix: s.prefix, suffix: s.suffix });
    setPicking(null);
  };

  return (
    <div className="dialog-backdrop" role="presentation" ref={trap} onKeyDown={onTrapKey}>
      <form
        className="dialog cite-dialog"
        role="dialog"
        aria-modal="true"
        aria-label={existing ? 'Edit citation' : 'Cite a source'}
        data-testid="cite-dialog"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2>{existing ? 'Edit citation' : 'Cite a source'}</h2>
        <SourcePicker value={form.source_id} onChange={(id) => setForm({ ...form, source_id: id })} />
        {fields.length > 0 && (
          <label>
            Field
            <select value={form.field} onChange={set('field')} data-testid="cite-field">
              <option value="">The whole row</option>
              {fields.map((f) => (
                <option key={f.name} value={f.name}>
                  {f.label}
                </option>
              ))}
            </select>
          </label>
        )}
        <div className="row2">
          <label>
            Locator
            <select value={form.locator_type} onChange={set('locator_type')} data-testid="cite-locator-type">
              {LOCATOR_TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <label>
            &nbsp;
            <input
              value={form.locator}
              onChange={set('locator')}
              placeholder="4, ¶ 12, 01:02:03…"
              data-testid="cite-locator"
              dir="auto"
            />
          </label>
        </div>
        <label>
          Quoted passage (as in the source)
          <textarea value={form.quote} onChange={set('quote')} rows={3} dir="auto" data-testid="cite-quote" />
        </label>
        {form.source_id && <PickFromText sourceId={form.source_id} onPick={setPicking} />}
        <details>
          <summary>
            Context before and after the passage{' '}
            {form.prefix || form.suffix ? '(set)' : '(filled from the attached text when empty)'}
          </summary>
          <label>
            Before
            <input value={form.prefix} onChange={set('prefix')} dir="auto" data-testid="cite-prefix" />
          </label>
          <label>
            After
            <input value={form.suffix} onChange={set('suffix')} dir="auto" data-testid="cite-suffix" />
          </label>
        </details>
        <label>
          Translation
          <textarea
            value={form.translation}
            onChange={set('translation')}
            rows={2}
            dir="auto"
            data-testid="cite-translation"
          />
        </label>
        <label>
          Credibility of the information
          <select value={form.credibility} onChange={set('credibility')} data-testid="cite-credibility">
            <option value="">not graded</option>
            {[1, 2, 3, 4, 5, 6].map((n) => (
              <option key={n} value={n}>
                {n}: {CREDIBILITY_LABEL[n]}
              </option>
            ))}
          </select>
        </label>
        {error && (
          <p className="error" data-testid="cite-error">
            {error}
          </p>
        )}
        <div className="buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" data-testid="cite-save">
            {existing ? 'Save' : 'Cite'}
          </button>
        </div>
      </form>
      {picking && <PassageViewer attachmentId={picking} onPick={onPick} onClose={() => setPicking(null)} />}
    </div>
  );
}

function PickFromText({ sourceId, onPick }: { sourceId: string; onPick: (attachmentId: string) => void }) {
  const { data } = useQuery('attachments.list', { sourceId }, ['sources']);
  const withText = data?.filter((a) => a.text_length !== null) ?? [];
  if (!data) return null;
  if (withText.length === 0)
    return (
      <p className="muted small">
        {data.length
          ? 'The attached file has no readable text.'
          : 'No text of this source is attached: the passage cannot be checked against it.'}
      </p>
    );
  return (
    <p className="small">
      Pick the passage from{' '}
      {withText.map((a) => (
        <button type="button" key={a.id} className="link" onClick={() => onPick(a.id)} data-testid="pick-passage">
          <span dir="auto">{a.name}</span>
        </button>
      ))}
    </p>
  );
}
