import { useRef, useState } from 'react';
import type { ReferenceFormat } from '../../../../shared/channels/sources';
import { RELIABILITY } from '../../../../shared/domain/fields';
import { invoke } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { download } from '../../lib/download';
import { UserText } from '../../components/UserText';
import { SourceEditor, type LeaveEditor } from './SourceEditor';
import { DuplicatesDialog, ImportResultDialog, type ImportResult } from './SourceDialogs';
import './sources.css';

type Grade = (typeof RELIABILITY)[number] | null;
const GRADES: Grade[] = [...RELIABILITY, null];
const EXT: Record<ReferenceFormat, string> = { bibtex: 'bib', ris: 'ris', 'csl-json': 'json' };

/** The source library: search and filter by grade, edit, attach files, merge, import and export. */
export function SourceLibrary({ onError }: { onError: (m: string) => void }) {
  const [search, setSearch] = useState('');
  const [grades, setGrades] = useState<Grade[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [showDups, setShowDups] = useState(false);
  const [imported, setImported] = useState<ImportResult | null>(null);
  const fileRef = useRef<HTMLInputElement | null>(null);
  // The open editor's say before another source is shown: its edits are saved or discarded first.
  const leaveRef = useRef<LeaveEditor | null>(null);
  const go = (move: () => void) => (leaveRef.current ? leaveRef.current(move) : move());
  const list = useQuery('sources.list', { search, reliability: grades, limit: 5000 }, ['sources', 'citations']);
  const dups = useQuery('sources.duplicates', {}, ['sources']);

  const toggle = (g: Grade) => setGrades((cur) => (cur.includes(g) ? cur.filter((x) => x !== g) : [...cur, g]));

  const importFile = async (file: File) => {
    try {
      if (file.size > 50 * 1024 * 1024)
        throw new Error(`${file.name}: a reference file over 50 MB is not a bibliography`);
      const text = await file.text();
      const r = await invoke('sources.import', { text });
      setImported({ ...r, name: file.name });
    } catch (e) {
      onError((e as Error).message);
    }
  };

  const exportAs = async (format: ReferenceFormat) => {
    try {
      const r = await invoke('sources.export', { format });
      download(
        `sources.${EXT[format]}`,
        r.text,
        format === 'csl-json' ? 'application/json' : 'text/plain;charset=utf-8',
      );
    } catch (e) {
      onError((e as Error).message);
    }
  };

  const rows = list.data?.rows ?? [];
  return (
    <div className="library" data-testid="source-library">
      <div className="toolbar" role="toolbar" aria-label="Source library tools">
        <input
          className="search"
          type="search"
          placeholder="Search sources…"
          aria-label="Search sources"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          data-testid="source-search"
        />
        <span className="chips" role="group" aria-label="Filter by reliability">
          {GRADES.map((g) => (
            <button
              type="button"
              key={g ?? 'none'}
              className={grades.includes(g) ? 'on' : ''}
              aria-pressed={grades.includes(g)}
              title={g ? `Reliability ${g}` : 'Not graded'}
              onClick={() => toggle(g)}
              data-testid={`grade-filter-${g ?? 'none'}`}
            >
              {g ?? '?'}
            </button>
          ))}
        </span>
        <span className="count muted" data-testid="source-count">
          {list.data ? `${list.data.total.toLocaleString()} source${list.data.total === 1 ? '' : 's'}` : ''}
        </span>
        <span className="spacer" />
        {(dups.data?.length ?? 0) > 0 && (
          <button type="button" onClick={() => setShowDups(true)} data-testid="show-duplicates">
            {dups.data!.length} possible duplicate{dups.data!.length === 1 ? '' : 's'}
          </button>
        )}
        <button
          type="button"
          onClick={() =>
            go(() => {
              setSelected(null);
              setCreating(true);
            })
          }
          data-testid="new-source"
        >
          New source
        </button>
        <button type="button" onClick={() => fileRef.current?.click()} data-testid="import-sources">
          Import…
        </button>
        <input
          ref={fileRef}
          type="file"
          hidden
          accept=".bib,.bibtex,.ris,.json,.txt"
          data-testid="import-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void importFile(f);
          }}
        />
        <select
          aria-label="Export sources"
          value=""
          onChange={(e) => e.target.value && void exportAs(e.target.value as ReferenceFormat)}
          data-testid="export-sources"
        >
          <option value="">Export…</option>
          <option value="bibtex">BibTeX (.bib)</option>
          <option value="ris">RIS (.ris)</option>
          <option value="csl-json">CSL-JSON (.json)</option>
        </select>
      </div>
      <div className="library-body">
        <div className="source-table-wrap">
          <table className="source-table" data-testid="source-table">
            {/* Widths in sources.css: narrower, and Type and Files folded away, when the editor is open on a small window. */}
            <colgroup>
              <col className="c-key" />
              <col />
              <col className="c-authors" />
              <col className="c-published" />
              <col className="c-type opt" />
              <col className="c-grade" />
              {/* Room for "1,000,000": a dataset's source is cited by every row it brought. */}
              <col className="c-cited" />
              <col className="c-files opt" />
            </colgroup>
            <thead>
              <tr>
                <th>Key</th>
                <th>Title</th>
                <th>Authors</th>
                <th>Published</th>
                <th className="opt">Type</th>
                <th title="Reliability of the source, A-F">Grade</th>
                <th className="num">Cited</th>
                <th className="num opt" title="Attached files">
                  Files
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr
                  key={s.id}
                  className={s.id === selected ? 'selected' : ''}
                  tabIndex={0}
                  aria-selected={s.id === selected}
                  onClick={() =>
                    go(() => {
                      setCreating(false);
                      setSelected(s.id);
                    })
                  }
                  onKeyDown={(e) =>
                    e.key === 'Enter' &&
                    go(() => {
                      setCreating(false);
                      setSelected(s.id);
                    })
                  }
                  data-testid="source-row"
                >
                  <td>{s.key}</td>
                  <td>
                    <UserText text={s.title} testId="source-title" />
                  </td>
                  <td>
                    <UserText text={s.authors} />
                  </td>
                  <td>{s.published ?? ''}</td>
                  <td className="opt">{s.type.replace(/_/g, ' ')}</td>
                  <td>
                    <span className="grade">{s.reliability ?? '?'}</span>
                  </td>
                  <td className="num">{s.cites.toLocaleString()}</td>
                  <td className="num opt">{s.attachments || ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.data && rows.length === 0 && (
            <p className="muted" style={{ padding: 8 }}>
              No sources match.
            </p>
          )}
        </div>
        {(selected || creating) && (
          <SourceEditor
            key={selected ?? 'new'}
            id={creating ? null : selected}
            leaveRef={leaveRef}
            onSaved={(id) => {
              setCreating(false);
              setSelected(id);
            }}
            onDeleted={() => setSelected(null)}
            onError={onError}
          />
        )}
      </div>
      {showDups && dups.data && (
        <DuplicatesDialog groups={dups.data} onClose={() => setShowDups(false)} onError={onError} />
      )}
      {imported && <ImportResultDialog result={imported} onClose={() => setImported(null)} />}
    </div>
  );
}
