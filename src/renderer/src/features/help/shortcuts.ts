import { useEffect, useRef } from 'react';

/** What the shortcuts sheet lists; the keys handled here and those handled by the areas. */
export const SHORTCUTS: { keys: string[]; what: string }[] = [
  { keys: ['Ctrl', '/'], what: 'Show this list of keyboard shortcuts' },
  { keys: ['Ctrl', 'F'], what: 'Focus the search box of the area shown (incidents, plots, sources, figures)' },
  {
    keys: ['Ctrl', '1…9'],
    what: 'Switch area: Incidents, Plots, Sources, Figures, Dashboard, Notes, Review, Import, Aliases',
  },
  { keys: ['Ctrl', 'Z'], what: 'Undo the last change to the case file (outside text fields)' },
  { keys: ['Ctrl', 'Shift', 'Z'], what: 'Redo' },
  { keys: ['Ctrl', 'C'], what: 'Grid: copy the ticked rows, or the focused cell, as a block for a spreadsheet' },
  { keys: ['Ctrl', 'V'], what: 'Grid: paste a spreadsheet block (all of it or nothing)' },
  { keys: ['Delete'], what: 'Grid: clear the focused cell; on a ticked row, delete the ticked rows' },
  { keys: ['Enter'], what: 'Grid: edit the focused cell; again to save it' },
  { keys: ['Esc'], what: 'Close a dialog or menu; cancel a cell edit' },
  { keys: ['Tab'], what: 'Move between controls; in a dialog it stays inside the dialog' },
];

type Handlers = { areaCount: number; switchArea: (index: number) => void; showShortcuts: () => void };

const isMod = (e: KeyboardEvent) => (e.ctrlKey || e.metaKey) && !e.altKey;

/**
 * The shell's shortcuts: Ctrl+/ for the sheet, Ctrl+F for the shown area's search, Ctrl+1..8 for
 * the areas. While a dialog is open they are left to it (it is modal).
 */
export function useShellShortcuts(h: Handlers): void {
  const ref = useRef(h);
  ref.current = h;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isMod(e) || document.querySelector('[aria-modal="true"]')) return;
      if (e.key === '/' || e.code === 'Slash') {
        e.preventDefault();
        ref.current.showShortcuts();
        return;
      }
      if (e.key.toLowerCase() === 'f' && !e.shiftKey) {
        const search = document.querySelector<HTMLInputElement>(
          'main.content input.search, main.content input[type="search"]',
        );
        // An area with no search box leaves Ctrl+F to the browser's find.
        if (!search) return;
        e.preventDefault();
        search.focus();
        search.select();
        return;
      }
      const n = /^Digit([1-9])$/.exec(e.code)?.[1] ?? (/^[1-9]$/.test(e.key) ? e.key : null);
      if (n && !e.shiftKey && Number(n) <= ref.current.areaCount) {
        e.preventDefault();
        ref.current.switchArea(Number(n) - 1);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
