import {
  CellStyleModule,
  ColumnApiModule,
  CustomFilterModule,
  InfiniteRowModelModule,
  LargeTextEditorModule,
  NumberEditorModule,
  RowApiModule,
  RowSelectionModule,
  ScrollApiModule,
  SelectEditorModule,
  TextEditorModule,
  TooltipModule,
  type Module,
} from 'ag-grid-community';

/**
 * The AG Grid features the grids use, and no others (AllCommunityModule would bundle them all).
 * A feature used without its module makes AG Grid log error #200 naming the module: the
 * end-to-end tests fail on that console error (tests/e2e/harness.ts).
 */
export const GRID_MODULES: Module[] = [
  InfiniteRowModelModule,
  RowSelectionModule,
  CustomFilterModule,
  TextEditorModule,
  NumberEditorModule,
  SelectEditorModule,
  LargeTextEditorModule,
  TooltipModule,
  CellStyleModule,
  ColumnApiModule,
  RowApiModule,
  ScrollApiModule,
];
