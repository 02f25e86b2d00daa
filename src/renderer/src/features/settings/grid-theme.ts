import { colorSchemeDark, themeQuartz } from 'ag-grid-community';
import { useScreenTheme } from './theme';

// The grid's own sizes, the same in both themes; the dark one is AG Grid's dark colour scheme,
// with the background of the workbench's surfaces so the grid does not stand out as a black box.
const sizes = { fontSize: 13, headerFontSize: 13, spacing: 6 };
const light = themeQuartz.withParams(sizes);
const dark = themeQuartz.withPart(colorSchemeDark).withParams({
  ...sizes,
  backgroundColor: '#1b2129',
  foregroundColor: '#e3e8ef',
  headerBackgroundColor: '#222a34',
  accentColor: '#6f9be0',
});

export function useGridTheme() {
  return useScreenTheme() === 'dark' ? dark : light;
}
