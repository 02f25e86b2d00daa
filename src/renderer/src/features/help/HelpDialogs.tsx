import { useMemo, type MouseEvent } from 'react';
import { useQuery } from '../../lib/use-query';
import { Modal } from '../shell/Modal';
import { guideHtml, noticesHtml } from './guide';
import { SHORTCUTS } from './shortcuts';

// Links in bundled documents are shown, never followed: the app window must stay on the app.
const stayHere = (e: MouseEvent) => {
  if ((e.target as HTMLElement).closest('a')) e.preventDefault();
};

export function ShortcutsSheet({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose} testId="shortcuts-sheet">
      <table>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.what}>
              <td className="shortcut-keys">
                {s.keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && ' + '}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        On a Mac, ⌘ instead of Ctrl. In browser mode the browser may keep Ctrl+1…9 for its own tabs: the area tabs are
        also reached with Tab.
      </p>
    </Modal>
  );
}

export function AboutDialog({ onClose }: { onClose: () => void }) {
  const info = useQuery('app.info', {}, []);
  const html = useMemo(noticesHtml, []);
  return (
    <Modal title="About Casefile" onClose={onClose} testId="about-dialog" wide>
      <p>
        <strong>Casefile</strong> <span data-testid="about-version">version {info.data?.version ?? '…'}</span> ·{' '}
        {info.data?.mode === 'electron' ? 'desktop app' : 'browser mode'}. An offline research workbench: it never needs
        the network, and nothing is sent anywhere.
      </p>
      <p>
        Citations are formatted by <strong>citeproc-js</strong> © 2009–2019 Frank Bennett, used under the Common Public
        Attribution License (CPAL-1.0), unmodified.
      </p>
      <h3>Third-party notices</h3>
      <div
        className="help-doc"
        data-testid="about-notices"
        onClick={stayHere}
        dangerouslySetInnerHTML={{ __html: html }}
      />
    </Modal>
  );
}

export function UserGuide({ onClose }: { onClose: () => void }) {
  const html = useMemo(guideHtml, []);
  return (
    <Modal title="User guide" onClose={onClose} testId="user-guide" wide>
      <div
        className="help-doc"
        data-testid="user-guide-text"
        onClick={stayHere}
        dangerouslySetInnerHTML={{ __html: html }}
      />
    </Modal>
  );
}
