import { FIELDS } from '../../../../shared/domain/fields';
import { IMPORT_TARGETS } from '../../../../shared/channels/import';
import type { ImportPreview } from '../../../../shared/channels/import';

const LABEL = new Map<string, string>([
  ...FIELDS.incidents.map((f) => [f.name, f.label] as [string, string]),
  ['sources', 'Sources (into the library)'],
]);
export const targetLabel = (t: string) => LABEL.get(t) ?? t;

type Props = {
  preview: ImportPreview;
  mapping: Record<string, string | null>;
  onChange: (column: string, target: string | null) => void;
};

/** Each column of a generic table with a few of its values, mapped to an incident field or ignored. */
export function MappingTable({ preview, mapping, onChange }: Props) {
  const columns = [...new Set(preview.header)];
  const sample = (i: number) =>
    preview.rows
      .map((r) => r.cells[i] ?? '')
      .filter((v) => v.trim() !== '')
      .slice(0, 3)
      .join(' · ');
  return (
    <div className="import-table-wrap">
      <table className="import-table" data-testid="import-mapping">
        <thead>
          <tr>
            <th>Column</th>
            <th>Examples</th>
            <th>Import as</th>
          </tr>
        </thead>
        <tbody>
          {columns.map((col) => {
            const i = preview.header.indexOf(col);
            return (
              <tr key={col}>
                <td dir="auto">{col}</td>
                <td className="cell" dir="auto" title={sample(i)}>
                  {sample(i)}
                </td>
                <td>
                  <select
                    aria-label={`Import column ${col} as`}
                    data-testid={`map-${col}`}
                    value={mapping[col] ?? ''}
                    onChange={(e) => onChange(col, e.target.value === '' ? null : e.target.value)}
                  >
                    <option value="">— ignore —</option>
                    {IMPORT_TARGETS.map((t) => (
                      <option key={t} value={t}>
                        {targetLabel(t)}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
