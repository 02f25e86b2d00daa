import { useState } from 'react';
import { invoke } from '../../lib/api';

/** Asked once: the name every edit, citation and review is recorded under (kept in app settings). */
export function AuthorDialog({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="dialog-backdrop">
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Your name"
        data-testid="author-dialog"
        onSubmit={(e) => {
          e.preventDefault();
          invoke('settings.setAuthor', { author: name })
            .then(onDone)
            .catch((err: Error) => setError(err.message));
        }}
      >
        <h2>Welcome to Casefile</h2>
        <p>
          Your edits, citations and reviews are recorded under your name. It stays on this computer, in the app
          settings.
        </p>
        <label>
          Your name
          <input
            autoFocus
            dir="auto"
            data-testid="author-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            maxLength={200}
          />
        </label>
        {error && <p className="error">{error}</p>}
        <div className="buttons">
          <button type="submit" data-testid="author-save" disabled={!name.trim()}>
            Continue
          </button>
        </div>
      </form>
    </div>
  );
}
