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
 * A feature used without its module does nothing and AG Grid logs "AG Grid: error #200" on the
 * console: the grid's end-to-end tests fail on the first (removing RowSelectionModule fails three
 * of four) and every e2e page counts the second as an error (tests/e2e/harness.ts). Tooltips
 * (TooltipModule) show on hover only, which no test does.
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
