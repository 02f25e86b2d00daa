import { useEffect, useRef, useState, type KeyboardEvent } from 'react';

export type HelpItem = 'shortcuts' | 'guide' | 'about';
const ITEMS: [HelpItem, string, string][] = [
  ['shortcuts', 'Keyboard shortcuts', 'Ctrl+/'],
  ['guide', 'User guide', ''],
  ['about', 'About Casefile', ''],
];

/** The Help menu of the in-page menu bar; what it opens is the shell's (Ctrl+/ opens the same sheet). */
export function HelpMenu({ onPick }: { onPick: (item: HelpItem) => void }) {
  const [open, setOpen] = useState(false);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    menu.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus();
    const away = (e: MouseEvent) => !menu.current?.contains(e.target as Node) && setOpen(false);
    window.addEventListener('mousedown', away);
    return () => window.removeEventListener('mousedown', away);
  }, [open]);

  const onKey = (e: KeyboardEvent) => {
    const items = [...(menu.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLButtonElement);
    if (e.key === 'Escape') {
      setOpen(false);
      menu.current?.querySelector<HTMLButtonElement>('[aria-haspopup]')?.focus();
    } else if (e.key === 'ArrowDown') items[(i + 1) % items.length]?.focus();
    else if (e.key === 'ArrowUp') items[(i - 1 + items.length) % items.length]?.focus();
    else return;
    e.preventDefault();
  };

  return (
    <div className="menu-wrap" ref={menu} onKeyDown={onKey}>
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid="help-menu"
        onClick={() => setOpen(!open)}
      >
        Help ▾
      </button>
      {open && (
        <div role="menu" className="menu-list" aria-label="Help">
          {ITEMS.map(([id, label, hint]) => (
            <button
              key={id}
              type="button"
              role="menuitem"
              data-testid={`help-${id}`}
              onClick={() => {
                setOpen(false);
                onPick(id);
              }}
            >
              <span>{label}</span>
              {hint && <span className="hint">{hint}</span>}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
