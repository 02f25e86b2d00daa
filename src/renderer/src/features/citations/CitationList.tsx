import { useState } from 'react';
import type { Anchor, CitationView, CiteTarget } from '../../../../shared/channels/sources';
import { fieldOf } from '../../../../shared/domain/fields';
import { invoke } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { CiteDialog } from './CiteDialog';
import { NearestProposal } from './NearestProposal';
import { GradeBadge, StatusBadge } from '../../components/GradeBadge';
import { PassageViewer } from '../../components/PassageViewer';
import { UserText } from '../../components/UserText';
import '../sources/sources.css';

type Props = {
  /** The cited row's table; 'sources' lists what a source is cited by. */
  table: CiteTarget | 'sources';
  id: string;
  onError?: (message: string) => void;
};

/**
 * A row's citations, each with its grade (e.g. B2), review status, locator, quoted passage and
 * translation, and whether the passage is (still) in the source's attached text. For the grid's
 * detail panel: `<CitationList table="incidents" id={rowId} />`.
 */
export function CitationList({ table, id, onError }: Props) {
  const { data, error } = useQuery('citations.list', { table, id }, ['citations', 'sources', 'annotations', 'notes']);
  const [editing, setEditing] = useState<CitationView | null>(null);
  const report = (e: Error) => onError?.(e.message);
  return (
    <div className="citation-list" data-testid="citation-list">
      {error && <p className="error">{error}</p>}
      {data?.length === 0 && <p className="muted">No citations.</p>}
      <ul>
        {data?.map((c) => (
          <CitationItem
            key={c.id}
            c={c}
            bySource={table === 'sources'}
            onEdit={() => setEditing(c)}
            onDelete={() => void invoke('citations.delete', { ids: [c.id] }).catch(report)}
          />
        ))}
      </ul>
      {table !== 'sources' && table !== 'notes' && <CiteButton table={table} id={id} />}
      {editing && (
        <CiteDialog
          table={editing.target_table}
          id={editing.target_id}
          existing={editing}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  );
}

export function CiteButton({
  table,
  id,
  field,
  label,
}: {
  table: CiteTarget;
  id: string;
  field?: string | null;
  label?: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" data-testid="cite-button" onClick={() => setOpen(true)}>
        {label ?? '+ Cite a source'}
      </button>
      {open && <CiteDialog table={table} id={id} field={field} onClose={() => setOpen(false)} />}
    </>
  );
}

export function CitationItem({
  c,
  bySource,
  onEdit,
  onDelete,
}: {
  c: CitationView;
  bySource?: boolean;
  onEdit?: () => void;
  onDelete?: () => void;
}) {
  const [viewing, setViewing] = useState(false);
  const fieldLabel =
    c.field && c.target_table !== 'notes' ? (fieldOf(c.target_table, c.field)?.label ?? c.field) : null;
  return (
    <li className="citation-item" data-testid="citation-item">
      <div className="citation-head">
        <GradeBadge reliability={c.source_reliability} credibility={c.credibility} />
        <StatusBadge status={c.status} />
        {bySource ? (
          <span className="muted">
            {c.target_table.replace(/s$/, '')}: <UserText text={c.target_label} />
          </span>
        ) : (
          <UserText text={c.source_title} className="source-title" />
        )}
      </div>
      <div className="muted small">
        {fieldLabel && <span>field {fieldLabel} · </span>}
        {c.locator && (
          <span>
            {c.locator_type ?? 'at'} <UserText text={c.locator} />
          </span>
        )}
        {c.open_threads > 0 && (
          <span>
            {' '}
            · {c.open_threads} open comment{c.open_threads === 1 ? '' : 's'}
          </span>
        )}
        {c.orphaned && <span className="warn"> · no longer cited in the note&apos;s text</span>}
      </div>
      {c.quote && <UserText as="blockquote" text={c.quote} testId="citation-quote" />}
      {c.translation && <UserText as="blockquote" className="translation" text={c.translation} />}
      <AnchorLine anchor={c.anchor} onJump={() => setViewing(true)} />
      {c.anchor.state === 'not-found' && <NearestProposal citationId={c.id} />}
      {(onEdit || onDelete) && (
        <div className="item-buttons">
          {onEdit && (
            <button type="button" className="link" onClick={onEdit}>
              Edit
            </button>
          )}
          {onDelete && (
            <button type="button" className="link" onClick={onDelete}>
              Delete
            </button>
          )}
        </div>
      )}
      {viewing && c.anchor.state === 'found' && (
        <PassageViewer
          attachmentId={c.anchor.attachmentId}
          highlight={{ start: c.anchor.start, end: c.anchor.end }}
          onClose={() => setViewing(false)}
        />
      )}
    </li>
  );
}

export function AnchorLine({ anchor, onJump }: { anchor: Anchor; onJump: () => void }) {
  switch (anchor.state) {
    case 'no-quote':
      return null;
    case 'no-text':
      return <div className="anchor muted small">Passage not checked: {anchor.reason}.</div>;
    case 'found':
      return (
        <div className="anchor small">
          <button type="button" className="link" data-testid="jump-to-passage" onClick={onJump}>
            Show passage in the attached text{anchor.page ? ` (page ${anchor.page})` : ''}
          </button>
          {anchor.score < 1 && <span className="muted"> · its context has changed</span>}
        </div>
      );
    case 'not-found':
      return (
        <div className="anchor warn small" data-testid="passage-not-found">
          ⚠ The quoted passage is no longer in the attached text: check the citation.
        </div>
      );
  }
}
