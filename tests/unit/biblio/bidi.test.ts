import { describe, expect, it } from 'vitest';
import { findBidiControls, hasBidiHazard, isRtl } from '../../../src/shared/markdown/bidi';

describe('findBidiControls', () => {
  it('reports every control with its UTF-16 index and kind', () => {
    const text = 'a\u202Eb\u202Cc\u2067d\u2069e\u200Ff\u061Cg\u200Eh\u202A\u202B\u202D\u2066\u2068';
    expect(findBidiControls(text).map((c) => [c.index, c.codePoint.toString(16), c.kind])).toEqual([
      [1, '202e', 'override'],
      [3, '202c', 'pop'],
      [5, '2067', 'isolate'],
      [7, '2069', 'pop'],
      [9, '200f', 'mark'],
      [11, '61c', 'mark'],
      [13, '200e', 'mark'],
      [15, '202a', 'embedding'],
      [16, '202b', 'embedding'],
      [17, '202d', 'override'],
      [18, '2066', 'isolate'],
      [19, '2068', 'isolate'],
    ]);
  });

  it('counts indices in UTF-16 units after astral characters', () => {
    expect(findBidiControls('📄\u202Eexe')[0]!.index).toBe(2);
  });

  it('treats direction marks, routine in RTL text, as no hazard', () => {
    expect(hasBidiHazard('د طالبانو\u200F اعلامیه')).toBe(false);
    expect(hasBidiHazard('invoice\u202Egpj.exe')).toBe(true);
    expect(findBidiControls('plain text')).toEqual([]);
  });
});

describe('isRtl', () => {
  it('decides by the first strong letter, like dir="auto"', () => {
    expect(isRtl('د طالبانو اعلامیه')).toBe(true);
    expect(isRtl('بيان صادر عن')).toBe(true);
    expect(isRtl('שלום')).toBe(true);
    expect(isRtl('Доклад')).toBe(false);
    expect(isRtl('2024: ISKP د طالبانو')).toBe(false);
    expect(isRtl('123 !?')).toBe(false);
    expect(isRtl('\u200Fabc')).toBe(true);
    // Text inside an isolate does not decide.
    expect(isRtl('\u2067English\u2069 د طالبانو')).toBe(true);
  });

  it('by majority, for a title that starts with a Latin acronym', () => {
    expect(isRtl('ISKP: د ننګرهار په بریدونو کې', 'majority')).toBe(true);
    expect(isRtl('ISKP: د ننګرهار په بریدونو کې', 'first-strong')).toBe(false);
  });
});
