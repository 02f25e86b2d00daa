import type {
  ColDef,
  GridApi,
  IErrorValidationParams,
  ValueFormatterParams,
  ValueGetterParams,
  ValueParserParams,
} from 'ag-grid-community';
import { FIELDS, RELIABILITY_LABEL, fieldOf, type Field } from '../../../../shared/domain/fields';
import { typedValue } from '../../../../shared/domain/typed';
import type { GridTable } from '../../../../shared/domain/common';
import { ColumnFilterPanel, type FilterKind, type FilterParams } from './filters/ColumnFilterPanel';
import { TextCell } from './text-cell';

/** Columns whose values a set filter lists (with counts); every enum column too. */
const SET_COLUMNS = new Set([
  'event_type',
  'sub_event_type',
  'country',
  'admin1',
  'actor1',
  'language',
  'target_city',
  'attack_type',
  'actor',
]);
/** Text columns holding dates (figures' periods): a date range filter. */
const DATE_TEXT = new Set(['period_start', 'period_end']);
/** The row-number column: not a field, never pasted into or saved as a filter. */
export const ROW_NUMBER_COL = 'rownum';

function filterKind(f: Field): FilterKind {
  if (f.kind === 'int' || f.kind === 'real') return 'number';
  if (f.kind === 'date' || DATE_TEXT.has(f.name)) return 'date';
  if (f.kind === 'enum' || SET_COLUMNS.has(f.name)) return 'set';
  return 'text';
}

/**
 * Column definitions from the shared field registry: the grid never declares a field itself.
 * `onInvalid` hears what an editor's text is refused for (null once it reads), to show it at the cell.
 */
export function columnsFor(table: GridTable, onInvalid?: (message: string | null) => void): ColDef[] {
  const rowNumber: ColDef = {
    colId: ROW_NUMBER_COL,
    headerName: '#',
    width: 80,
    pinned: 'left',
    sortable: false,
    filter: false,
    editable: false,
    resizable: true,
    suppressMovable: true,
    cellClass: 'row-number',
    // Its position in the view: what "row N" in a paste error refers to.
    valueGetter: (p: ValueGetterParams) =>
      p.node?.rowIndex === null || p.node?.rowIndex === undefined ? '' : (p.node.rowIndex + 1).toLocaleString(),
  };
  // How many citations back the row (for a source: how often it is cited); filled by the core per page.
  const cites: ColDef = {
    colId: 'cites',
    field: 'cites',
    headerName: table === 'sources' ? 'Cited' : 'Cites',
    headerTooltip:
      table === 'sources'
        ? 'Citations pointing at this source (click to list them)'
        : 'Citations of this row (click to see them)',
    width: 80,
    pinned: 'left',
    sortable: false,
    filter: false,
    editable: false,
    type: 'rightAligned',
    // A cellClass here replaces the rightAligned type's own, so its class is named again.
    cellClass: (p) =>
      p.value === 0 ? ['ag-right-aligned-cell', 'cites', 'uncited'] : ['ag-right-aligned-cell', 'cites'],
  };
  return [
    rowNumber,
    cites,
    ...(FIELDS[table] as readonly Field[]).map((f) => {
      const params: FilterParams = { table, field: f, kind: filterKind(f) };
      const col: ColDef = {
        field: f.name,
        colId: f.name,
        headerName: f.label,
        width: f.width ?? 140,
        editable: !f.readonly,
        sortable: true,
        resizable: true,
        headerTooltip: f.readonly ? `${f.label} (set by the importer)` : f.label,
        cellDataType: false,
        filter: ColumnFilterPanel,
        filterParams: params,
      };
      switch (f.kind) {
        case 'int':
        case 'real':
        case 'date':
          // Typed as text and read by typedValue when the editor closes: a number editor rounded
          // 12.5 to 12, read 1e3 as 1000 and dropped "ninety" without a word. What does not read
          // keeps the editor open, with the reason at the cell (invalidEditValueMode: 'block').
          col.cellEditor = 'agTextCellEditor';
          col.cellEditorParams = {
            getValidationErrors: (p: IErrorValidationParams) => {
              const errors = typedErrors(f, p.value);
              onInvalid?.(errors?.[0] ?? null);
              return errors;
            },
          };
          if (f.kind !== 'date') col.type = 'rightAligned';
          col.valueParser = (p: ValueParserParams) => p.newValue;
          break;
        case 'enum':
          col.cellEditor = 'agSelectCellEditor';
          col.cellEditorParams = { values: f.required ? [...(f.values ?? [])] : ['', ...(f.values ?? [])] };
          col.valueParser = (p: ValueParserParams) => (p.newValue === '' ? null : p.newValue);
          if (f.name === 'reliability')
            col.tooltipValueGetter = (p) =>
              p.value ? `${p.value}: ${RELIABILITY_LABEL[p.value as keyof typeof RELIABILITY_LABEL]}` : 'not graded';
          break;
        case 'longtext':
          col.cellEditor = 'agLargeTextCellEditor';
          col.cellEditorPopup = true;
          col.cellEditorParams = { maxLength: 1_000_000, rows: 8, cols: 60 };
          col.valueParser = (p: ValueParserParams) => (p.newValue === '' ? null : p.newValue);
          col.tooltipField = f.name;
          break;
        default:
          col.valueParser = (p: ValueParserParams) =>
            typeof p.newValue === 'string' && p.newValue.trim() === ''
              ? null
              : typeof p.newValue === 'string'
                ? p.newValue.trim()
                : p.newValue;
      }
      if (f.kind === 'date') col.valueFormatter = (p: ValueFormatterParams) => p.value ?? (p.data ? '—' : '');
      // Someone else's text: its own direction, direction overrides flagged (display only).
      if (f.kind === 'text' || f.kind === 'longtext') col.cellRenderer = TextCell;
      return col;
    }),
  ];
}

/** Why the text in a cell's editor is no value of its field, or null when it is one. */
export function typedErrors(f: Field, value: unknown): string[] | null {
  // Untouched, the editor holds the stored value.
  if (typeof value !== 'string') return null;
  const t = typedValue(f, value);
  if (t.ok) return null;
  return [t.message.startsWith(f.label) ? t.message : `${f.label}: ${t.message}`];
}

export function requiredFields(table: GridTable): Field[] {
  return (FIELDS[table] as readonly Field[]).filter(
    (f) => f.required && !['date_precision', 'attribution', 'group_link', 'metric'].includes(f.name),
  );
}

/** The data columns shown, in the grid's order (not the row number, the Cites count or the tick box): what a copy or a paste covers. */
export function shownFields(api: GridApi, table: GridTable): string[] {
  return api
    .getAllDisplayedColumns()
    .map((c) => c.getColId())
    .filter((c) => fieldOf(table, c));
}
