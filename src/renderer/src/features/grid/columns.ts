import type { ColDef, ValueFormatterParams, ValueParserParams } from 'ag-grid-community';
import { FIELDS, RELIABILITY_LABEL, type Field } from '../../../../shared/domain/fields';
import type { GridTable } from '../../../../shared/domain/common';

/** Column definitions from the shared field registry: the grid never declares a field itself. */
export function columnsFor(table: GridTable): ColDef[] {
  return (FIELDS[table] as readonly Field[]).map((f) => {
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
    };
    switch (f.kind) {
      case 'int':
      case 'real':
        col.cellEditor = 'agNumberCellEditor';
        col.cellEditorParams = { precision: f.kind === 'int' ? 0 : 6 };
        col.filter = 'agNumberColumnFilter';
        col.type = 'rightAligned';
        col.valueParser = (p: ValueParserParams) => (p.newValue === '' || p.newValue === null || p.newValue === undefined ? null : Number(p.newValue));
        break;
      case 'enum':
        col.cellEditor = 'agSelectCellEditor';
        col.cellEditorParams = { values: f.required ? [...(f.values ?? [])] : ['', ...(f.values ?? [])] };
        col.filter = 'agTextColumnFilter';
        col.valueParser = (p: ValueParserParams) => (p.newValue === '' ? null : p.newValue);
        if (f.name === 'reliability') col.tooltipValueGetter = (p) => (p.value ? `${p.value}: ${RELIABILITY_LABEL[p.value as keyof typeof RELIABILITY_LABEL]}` : 'not graded');
        break;
      case 'longtext':
        col.cellEditor = 'agLargeTextCellEditor';
        col.cellEditorPopup = true;
        col.cellEditorParams = { maxLength: 1_000_000, rows: 8, cols: 60 };
        col.filter = 'agTextColumnFilter';
        col.valueParser = (p: ValueParserParams) => (p.newValue === '' ? null : p.newValue);
        col.tooltipField = f.name;
        break;
      default:
        col.filter = f.kind === 'date' ? 'agTextColumnFilter' : 'agTextColumnFilter';
        col.valueParser = (p: ValueParserParams) => (typeof p.newValue === 'string' && p.newValue.trim() === '' ? null : typeof p.newValue === 'string' ? p.newValue.trim() : p.newValue);
    }
    if (f.kind === 'date') col.valueFormatter = (p: ValueFormatterParams) => (p.value ?? (p.data ? '—' : ''));
    col.filterParams = { buttons: ['reset'], maxNumConditions: 1 };
    return col;
  });
}

export function requiredFields(table: GridTable): Field[] {
  return (FIELDS[table] as readonly Field[]).filter((f) => f.required && !['date_precision', 'attribution', 'group_link', 'metric'].includes(f.name));
}
