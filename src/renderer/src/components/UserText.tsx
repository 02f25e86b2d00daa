import type { ElementType } from 'react';
import { findBidiControls, hasBidiHazard } from '../../../shared/markdown/bidi';

/** The text with its invisible direction controls shown as code points, for a tooltip. */
export function revealControls(text: string): string {
  return text.replace(/[\u202A-\u202E\u2066-\u2069]/g, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase()}⟩`);
}

/**
 * Someone else's text: shown in its own direction (`dir="auto"`, isolated so that a
 * right-to-left title does not reorder what is around it), and flagged when it carries
 * direction overrides that can make it read as something else ("invoice‮gpj.exe").
 */
export function UserText({
  text,
  as,
  className,
  testId,
}: {
  text: string | null | undefined;
  as?: ElementType;
  className?: string;
  testId?: string;
}) {
  const Tag = as ?? 'span';
  const value = text ?? '';
  const hazard = value !== '' && hasBidiHazard(value);
  // The warning comes first, so that a cell that cuts its text short still shows it.
  return (
    <>
      {hazard && <BidiWarning text={value} />}
      <Tag
        dir="auto"
        className={`user-text ${className ?? ''}`}
        data-testid={testId}
        title={hazard ? revealControls(value).slice(0, 2000) : undefined}
      >
        {value}
      </Tag>
    </>
  );
}

export function BidiWarning({ text, count }: { text?: string; count?: number }) {
  const n = count ?? (text ? findBidiControls(text).filter((c) => c.kind !== 'mark').length : 0);
  return (
    <span
      className="bidi-warning"
      role="note"
      data-testid="bidi-warning"
      title="This text contains invisible characters that change the order in which it is displayed. What you see may not be what it says."
    >
      ⚠ {n >= 100 ? '100+' : n} hidden direction control{n === 1 ? '' : 's'}
    </span>
  );
}
