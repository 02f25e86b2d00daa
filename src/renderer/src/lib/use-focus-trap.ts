import { useEffect, useRef, type KeyboardEvent, type RefObject } from 'react';

const FOCUSABLE =
  'a[href], summary, button:not([disabled]), input:not([disabled]):not([hidden]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * What makes a dialog modal for the keyboard and for assistive technology (with role=dialog and
 * aria-modal on the box): focus moves into it (unless a control there took it already), Tab and
 * Shift+Tab stay inside, Escape closes it, and focus goes back where it was when it closes.
 * Returns the key handler for the box.
 */
/** Open dialogs, the last opened on top: only the top one takes keys that reach the page. */
const stack: RefObject<HTMLElement | null>[] = [];

export function useFocusTrap(box: RefObject<HTMLElement | null>, onEscape: () => void): (e: KeyboardEvent) => void {
  const escape = useRef(onEscape);
  escape.current = onEscape;
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const el = box.current;
    // The first control that is shown: one inside a closed <details> cannot take focus.
    if (el && !el.contains(document.activeElement))
      (el.querySelector<HTMLElement>('[autofocus], [data-autofocus]') ?? visible(el)[0] ?? el).focus();
    stack.push(box);
    // Focus can fall out to the page (a button pressed becomes disabled while it works): the next
    // Tab or Escape still belongs to the dialog on top.
    const stray = (e: globalThis.KeyboardEvent) => {
      const top = stack[stack.length - 1];
      if (top !== box || !top.current || top.current.contains(document.activeElement)) return;
      if (e.key === 'Tab') {
        e.preventDefault();
        (visible(top.current)[0] ?? top.current).focus();
      } else if (e.key === 'Escape') escape.current();
    };
    document.addEventListener('keydown', stray);
    return () => {
      document.removeEventListener('keydown', stray);
      stack.splice(stack.indexOf(box), 1);
      if (before && document.contains(before)) before.focus();
    };
  }, [box]);
  return (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      escape.current();
      return;
    }
    if (e.key !== 'Tab' || !box.current) return;
    const items = visible(box.current);
    if (items.length === 0) return e.preventDefault();
    const i = items.indexOf(document.activeElement as HTMLElement);
    const next = e.shiftKey ? (i <= 0 ? items.length - 1 : i - 1) : i === items.length - 1 || i < 0 ? 0 : i + 1;
    e.preventDefault();
    items[next]!.focus();
  };
}

function visible(el: HTMLElement): HTMLElement[] {
  return [...el.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((x) => x.offsetParent !== null);
}
