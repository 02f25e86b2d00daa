import { useState } from 'react';
import type { Preferences } from '../../../../shared/channels/settings-backups';
import { invoke } from '../../lib/api';
import { useQuery } from '../../lib/use-query';
import { Modal } from '../shell/Modal';

type Patch = Partial<Omit<Preferences, 'backups'>> & { backups?: Partial<Preferences['backups']> };

/**
 * Settings: each change is saved at once (and every window follows); the author name is shown but
 * not editable, since every edit so far is recorded under it.
 */
export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const settings = useQuery('settings.get', {}, [], ['settings.changed']);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const v = settings.data;
  const save = (patch: Patch, what: string) => {
    setError(null);
    invoke('settings.update', patch)
      .then(() => setSaved(`Saved: ${what}.`))
      .catch((e: Error) => setError(e.message));
  };

  return (
    <Modal title="Settings" onClose={onClose} testId="settings-dialog">
      {!v ? (
        <p className="muted">Loading…</p>
      ) : (
        <>
          <label>
            Author name
            <input value={v.author ?? ''} readOnly aria-readonly="true" data-testid="settings-author" dir="auto" />
            <span className="muted">
              Every edit, citation and review is recorded under this name; it was set at the first start and cannot be
              changed.
            </span>
          </label>
          <label>
            Theme
            <select
              data-autofocus
              value={v.theme}
              data-testid="settings-theme"
              onChange={(e) => save({ theme: e.target.value as Preferences['theme'] }, 'theme')}
            >
              <option value="system">
                As the system (now {matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'})
              </option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </label>
          <label className="inline">
            <input
              type="checkbox"
              checked={v.exportChartsDark}
              data-testid="settings-export-dark"
              onChange={(e) => save({ exportChartsDark: e.target.checked }, 'chart exports')}
            />
            Export charts in the dark theme when it is on (otherwise exports are light, for paper)
          </label>
          <label>
            Default citation style (notes)
            <select
              value={v.citationStyle}
              data-testid="settings-citation-style"
              onChange={(e) =>
                save({ citationStyle: e.target.value as Preferences['citationStyle'] }, 'citation style')
              }
            >
              <option value="chicago-author-date">Chicago author-date</option>
              <option value="apa">APA</option>
            </select>
          </label>
          <label>
            Default date order for imported tables (dates like 09/05/2021)
            <select
              value={v.dateOrder ?? ''}
              data-testid="settings-date-order"
              onChange={(e) =>
                save({ dateOrder: e.target.value === '' ? null : (e.target.value as 'dmy' | 'mdy') }, 'date order')
              }
            >
              <option value="">Ask each time (such rows are skipped until chosen)</option>
              <option value="dmy">Day/month/year: 9 May 2021</option>
              <option value="mdy">Month/day/year: 5 September 2021</option>
            </select>
            <span className="muted">
              An order the file itself settles, or one confirmed for its header before, still comes first.
            </span>
          </label>
          <fieldset>
            <legend>Backups</legend>
            <label className="inline">
              <input
                type="checkbox"
                checked={v.backups.enabled}
                data-testid="settings-backups-enabled"
                onChange={(e) =>
                  save({ backups: { enabled: e.target.checked } }, e.target.checked ? 'backups on' : 'backups off')
                }
              />
              Back up each case file when it is opened (once a day), before a merge and before a removal for good
            </label>
            <label className="inline">
              Keep the last
              <input
                type="number"
                min={1}
                max={100}
                style={{ width: '5em' }}
                value={v.backups.keep}
                data-testid="settings-backups-keep"
                onChange={(e) =>
                  Number(e.target.value) >= 1 &&
                  save({ backups: { keep: Math.min(100, Math.floor(Number(e.target.value))) } }, 'backups kept')
                }
              />
              backups, and one a week for five weeks (at most 2 GB per case file)
            </label>
          </fieldset>
          <p className="muted" data-testid="settings-folder">
            Settings, backups, the log (<code>{v.log}</code>) and crash reports (<code>{v.crashReports}</code>) are kept
            in <code>{v.folder}</code>, on this computer only.
          </p>
          {saved && !error && (
            <p role="status" className="muted" data-testid="settings-saved">
              {saved}
            </p>
          )}
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
        </>
      )}
    </Modal>
  );
}
