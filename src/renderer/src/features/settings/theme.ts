import { useEffect, useSyncExternalStore } from 'react';
import type { Theme } from '../../../../shared/channels/settings-backups';
import { useQuery } from '../../lib/use-query';

/**
 * The theme on screen: the Settings choice, or the system's when it is "system" (followed live).
 * It is set on <html data-theme> for the stylesheets; the grid and the charts read it here, since
 * AG Grid and ECharts take their themes as objects, not from CSS.
 */
export type ScreenTheme = 'light' | 'dark';

let current: ScreenTheme = 'light';
let exportDark = false;
const listeners = new Set<() => void>();

export function screenTheme(): ScreenTheme {
  return current;
}

/** Whether exported charts follow a dark screen (asked in Settings); otherwise they are light. */
export function exportsDark(): boolean {
  return exportDark;
}

function apply(next: ScreenTheme, dark: boolean): void {
  exportDark = dark;
  document.documentElement.dataset.theme = next;
  if (next === current) return;
  current = next;
  for (const l of listeners) l();
}

export function useScreenTheme(): ScreenTheme {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => current,
  );
}

const systemDark = () => typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;

/** Once, in the shell: keeps the screen's theme in step with the settings and the system. */
export function useApplyTheme(): void {
  const settings = useQuery('settings.get', {}, [], ['settings.changed']);
  const choice: Theme = settings.data?.theme ?? 'system';
  const dark = settings.data?.exportChartsDark ?? false;
  useEffect(() => {
    const set = () => apply(choice === 'system' ? (systemDark() ? 'dark' : 'light') : choice, dark);
    set();
    if (choice !== 'system' || typeof matchMedia !== 'function') return;
    const mq = matchMedia('(prefers-color-scheme: dark)');
    mq.addEventListener('change', set);
    return () => mq.removeEventListener('change', set);
  }, [choice, dark]);
}
