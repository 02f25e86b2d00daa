import { useEffect, useRef } from 'react';

/**
 * Runs `save` when the view goes away (another tab, another item) and when the window closes,
 * for work that waits on a pause (a debounce) before it is written: without this, whatever was
 * typed in that pause is lost. On unmount it runs after the other cleanups of the same unmount
 * (they may hand it their last text); on pagehide at once, while the page can still send.
 * Always the latest `save`, whatever render it came from.
 */
export function useOnLeave(save: () => void): void {
  const latest = useRef(save);
  latest.current = save;
  useEffect(() => {
    const hide = () => latest.current();
    window.addEventListener('pagehide', hide);
    return () => {
      window.removeEventListener('pagehide', hide);
      setTimeout(() => latest.current(), 0);
    };
  }, []);
}
