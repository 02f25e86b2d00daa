/**
 * Approximate search: where a pattern occurs in a text with at most `maxErrors` edits
 * (insertions, deletions, substitutions). Myers' bit-parallel algorithm (1999) in Hyyrö's block
 * form, 32 pattern characters per machine word, so a 2 MB text is scanned in tens of
 * milliseconds: a quote that is no longer in its source exactly is looked for this way.
 */

export type ApproxMatch = { start: number; end: number; errors: number };

const WORD = 32;

/**
 * Pattern characters as bit masks, per 32-character block: bit i of block b of character c's row
 * is pattern[b*32+i] === c. Rows are found through a table by UTF-16 code (row 0: not in the
 * pattern), not a Map: the lookup runs once per character of a text of millions.
 */
function patternMasks(pattern: string, blocks: number): { row: Uint16Array; masks: Uint32Array } {
  const row = new Uint16Array(0x10000);
  let rows = 1;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (row[c] === 0) row[c] = rows++;
  }
  const masks = new Uint32Array(rows * blocks);
  for (let i = 0; i < pattern.length; i++)
    masks[row[pattern.charCodeAt(i)]! * blocks + ((i / WORD) | 0)]! |= 1 << (i % WORD);
  return { row, masks };
}

/**
 * The end positions (exclusive) in `text` where some substring ending there is within
 * `maxErrors` edits of `pattern`, with that least number of edits: D[m][j] of Sellers' table,
 * computed a column at a time with the columns as bit vectors.
 */
export function approxEnds(text: string, pattern: string, maxErrors: number): { end: number; errors: number }[] {
  const m = pattern.length;
  if (m === 0) return [];
  const blocks = Math.ceil(m / WORD);
  const { row, masks } = patternMasks(pattern, blocks);
  const P = new Uint32Array(blocks).fill(0xffffffff);
  const M = new Uint32Array(blocks);
  const lastBit = 1 << ((m - 1) % WORD);
  const out: { end: number; errors: number }[] = [];
  let score = m;
  for (let j = 0; j < text.length; j++) {
    const base = row[text.charCodeAt(j)]! * blocks;
    // The top row is all zeros (a match may start anywhere): no horizontal change enters block 0.
    let hIn = 0;
    for (let b = 0; b < blocks; b++) {
      const pv = P[b]!;
      const mv = M[b]!;
      const hNeg = hIn < 0 ? 1 : 0;
      const eq = masks[base + b]! | hNeg;
      const xv = eq | mv;
      const xh = ((((eq & pv) + pv) >>> 0) ^ pv) | eq;
      let ph = (mv | ~(xh | pv)) >>> 0;
      let mh = (pv & xh) >>> 0;
      // The horizontal change on this block's last row: its bit 31, or the pattern's last
      // character for the last block.
      const bit = b === blocks - 1 ? lastBit : 0x80000000;
      const hOut = (ph & bit ? 1 : 0) - (mh & bit ? 1 : 0);
      ph = ((ph << 1) | (hIn > 0 ? 1 : 0)) >>> 0;
      mh = ((mh << 1) | hNeg) >>> 0;
      P[b] = (mh | ~(xv | ph)) >>> 0;
      M[b] = (ph & xv) >>> 0;
      hIn = hOut;
    }
    score += hIn;
    if (score <= maxErrors) out.push({ end: j + 1, errors: score });
  }
  return out;
}

/**
 * Where the best match ending at `end` starts: the same table run backwards over the reversed
 * pattern and the text before `end`, taking the start that needs the fewest edits (the longest
 * such match on a tie, so that a changed first word stays inside the passage).
 */
export function approxStart(text: string, pattern: string, end: number, maxErrors: number): number {
  const m = pattern.length;
  const from = Math.max(0, end - m - maxErrors);
  // prev[i]: edits to turn pattern's last i characters into text[k, end), for the current k.
  let prev = new Array<number>(m + 1);
  let cur = new Array<number>(m + 1);
  for (let i = 0; i <= m; i++) prev[i] = i;
  let best = { start: end, errors: m };
  for (let k = end - 1; k >= from; k--) {
    const c = text.charCodeAt(k);
    cur[0] = end - k;
    for (let i = 1; i <= m; i++) {
      const cost = pattern.charCodeAt(m - i) === c ? 0 : 1;
      cur[i] = Math.min(prev[i]! + 1, cur[i - 1]! + 1, prev[i - 1]! + cost);
    }
    [prev, cur] = [cur, prev];
    if (prev[m]! <= best.errors) best = { start: k, errors: prev[m]! };
  }
  return best.start;
}

/**
 * The best matches of `pattern` in `text` with at most `maxErrors` edits, fewest edits first, at
 * most `limit` of them; each run of neighbouring end positions counts once (at its best end).
 */
export function approxSearch(text: string, pattern: string, maxErrors: number, limit = 16): ApproxMatch[] {
  const ends = approxEnds(text, pattern, maxErrors);
  const local: { end: number; errors: number }[] = [];
  for (const e of ends) {
    const last = local.at(-1);
    if (last && e.end - last.end <= pattern.length / 2 + 1) {
      if (e.errors < last.errors) local[local.length - 1] = e;
    } else local.push(e);
  }
  local.sort((a, b) => a.errors - b.errors || a.end - b.end);
  return local.slice(0, limit).map((e) => ({
    start: approxStart(text, pattern, e.end, maxErrors),
    end: e.end,
    errors: e.errors,
  }));
}
