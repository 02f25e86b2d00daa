import { describe, expect, it } from 'vitest';
import {
  BIDI_MARK,
  clip,
  displayLabel,
  hasDirectionControls,
  isolate,
  needsIsolation,
  safeLabel,
} from '../../../src/shared/text/display-text';

describe('display text', () => {
  it('isolates text in FSI ... PDI', () => {
    expect(isolate('abc')).toBe('\u2068abc\u2069');
  });

  it('flags overrides, embeddings and isolates, not the marks routine in RTL text', () => {
    expect(hasDirectionControls('invoice\u202Egpj.exe')).toBe(true);
    expect(hasDirectionControls('a\u2067b')).toBe(true);
    expect(hasDirectionControls('د طالبانو\u200F اعلامیه')).toBe(false);
    expect(hasDirectionControls('plain')).toBe(false);
  });

  it('clips long text by code points, with an ellipsis', () => {
    expect(clip('short', 10)).toBe('short');
    expect(clip('x'.repeat(10_000), 60)).toBe(`${'x'.repeat(59)}…`);
    expect(clip('📄'.repeat(5), 3)).toBe('📄📄…');
    expect(clip('📄📄', 2)).toBe('📄📄');
  });

  it('makes a label flagged, clipped and isolated, and keeps the whole text for the tooltip', () => {
    const title = `\u202E${'A'.repeat(10_000)}`;
    const d = displayLabel(title, 40);
    expect(d.flagged).toBe(true);
    expect(d.clipped).toBe(true);
    expect(d.label.startsWith(`${BIDI_MARK} \u2068\u202E`)).toBe(true);
    expect(d.label.endsWith('…\u2069')).toBe(true);
    expect(Array.from(d.label).length).toBeLessThan(50);
    expect(d.full).toBe(`${BIDI_MARK} \u2068${title}\u2069`);
  });

  it('isolates right-to-left text and text with controls, and leaves plain left-to-right text as it is', () => {
    expect(needsIsolation('Pajhwok')).toBe(false);
    expect(safeLabel('Pajhwok')).toBe('Pajhwok');
    expect(needsIsolation('بيان صادر عن')).toBe(true);
    expect(safeLabel('بيان')).toBe('\u2068بيان\u2069');
    expect(needsIsolation('a\u200Fb')).toBe(true);
    expect(needsIsolation('שלום')).toBe(true);
    expect(needsIsolation('𞤀')).toBe(true); // Adlam, outside the BMP
    expect(needsIsolation('Доклад 📄')).toBe(false);
  });
});
