import type { ImportPreview } from '../../../../shared/channels/import';

/** The first rows as the file has them: text only, each cell in its own direction. */
export function PreviewTable({ preview }: { preview: ImportPreview }) {
  return (
    <div className="import-table-wrap">
      <table className="import-table" data-testid="import-preview-table">
        <thead>
          <tr>
            <th>Line</th>
            {preview.header.map((h, i) => (
              <th key={i} dir="auto">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preview.rows.map((r) => (
            <tr key={r.line}>
              <td className="line">{r.line}</td>
              {preview.header.map((_, i) => (
                <td key={i} className="cell" dir="auto" title={r.cells[i] ?? ''}>
                  {r.cells[i] ?? ''}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
