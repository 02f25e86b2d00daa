/**
 * Bidirectional-text controls: invisible, and able to make text display in another order than it
 * is stored ("Trojan Source", CVE-2021-42574). In an imported statement, a title or a note they
 * can make a quote, a URL or a file name read as something else, so the UI flags them. The marks
 * (LRM, RLM, ALM) are routine in Arabic, Persian and Pashto text and are reported as such.
 */

export type BidiControlKind = 'embedding' | 'override' | 'pop' | 'isolate' | 'mark';
export type BidiControl = { index: number; codePoint: number; name: string; kind: BidiControlKind };

const CONTROLS: Record<number, { name: string; kind: BidiControlKind }> = {
  0x202a: { name: 'LEFT-TO-RIGHT EMBEDDING', kind: 'embedding' },
  0x202b: { name: 'RIGHT-TO-LEFT EMBEDDING', kind: 'embedding' },
  0x202c: { name: 'POP DIRECTIONAL FORMATTING', kind: 'pop' },
  0x202d: { name: 'LEFT-TO-RIGHT OVERRIDE', kind: 'override' },
  0x202e: { name: 'RIGHT-TO-LEFT OVERRIDE', kind: 'override' },
  0x2066: { name: 'LEFT-TO-RIGHT ISOLATE', kind: 'isolate' },
  0x2067: { name: 'RIGHT-TO-LEFT ISOLATE', kind: 'isolate' },
  0x2068: { name: 'FIRST STRONG ISOLATE', kind: 'isolate' },
  0x2069: { name: 'POP DIRECTIONAL ISOLATE', kind: 'pop' },
  0x200e: { name: 'LEFT-TO-RIGHT MARK', kind: 'mark' },
  0x200f: { name: 'RIGHT-TO-LEFT MARK', kind: 'mark' },
  0x061c: { name: 'ARABIC LETTER MARK', kind: 'mark' },
};

const CONTROL_RE = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

/** Every bidi control in `text`, with its UTF-16 index (what the editor and `slice` use). */
export function findBidiControls(text: string): BidiControl[] {
  const found: BidiControl[] = [];
  for (const m of text.matchAll(CONTROL_RE)) {
    const codePoint = m[0].charCodeAt(0);
    found.push({ index: m.index, codePoint, ...CONTROLS[codePoint]! });
  }
  return found;
}

/** True when the text holds an override, embedding or isolate, not just direction marks. */
export function hasBidiHazard(text: string): boolean {
  return findBidiControls(text).some((c) => c.kind !== 'mark');
}

/**
 * Letters of the scripts written right to left (Unicode bidi classes R and AL), by script since
 * JavaScript regular expressions have no Bidi_Class property.
 */
const RTL_LETTER =
  /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}\p{Script=Mende_Kikakui}\p{Script=Imperial_Aramaic}\p{Script=Phoenician}\p{Script=Old_South_Arabian}\p{Script=Avestan}\p{Script=Yezidi}]/u;
const LETTER = /\p{L}/u;

/**
 * Whether a text reads right to left. 'first-strong' is what `dir="auto"` does in a browser (the
 * first letter decides, text inside isolates skipped); 'majority' counts letters, for a cell or a
 * title that starts with a Latin acronym but is Pashto or Arabic after it.
 */
export function isRtl(text: string, method: 'first-strong' | 'majority' = 'first-strong'): boolean {
  let depth = 0;
  let rtl = 0;
  let ltr = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x2066 && cp <= 0x2068) {
      depth++;
      continue;
    }
    if (cp === 0x2069) {
      if (depth > 0) depth--;
      continue;
    }
    if (depth > 0) continue;
    let dir: 'r' | 'l' | null = null;
    if (cp === 0x200f || cp === 0x061c) dir = 'r';
    else if (cp === 0x200e) dir = 'l';
    else if (RTL_LETTER.test(ch)) dir = LETTER.test(ch) ? 'r' : null;
    else if (LETTER.test(ch)) dir = 'l';
    if (dir === null) continue;
    if (method === 'first-strong') return dir === 'r';
    if (dir === 'r') rtl++;
    else ltr++;
  }
  return rtl > ltr;
}
