import { describe, expect, it } from 'vitest';
import { approxSearch } from '../../../src/shared/anchor/approx';
import { nearestQuote } from '../../../src/shared/anchor/nearest';
import { findQuote, indexText, makeSelector } from '../../../src/shared/anchor/quote';

/** Edit distance by the plain table, to check the bit-parallel search against. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

describe('approximate search', () => {
  it('finds the fewest edits as the plain table does, for patterns over one and several machine words', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const len of [5, 31, 32, 33, 64, 70, 100]) {
      for (let t = 0; t < 3; t++) {
        const pattern = Array.from({ length: len }, () => 'abcd'[Math.floor(rnd() * 4)]).join('');
        const text = Array.from({ length: 90 }, () => 'abcd'[Math.floor(rnd() * 4)]).join('');
        const k = Math.floor(len / 2);
        const [m] = approxSearch(text, pattern, k, 1);
        // The least edits over every substring, by brute force on ends (Sellers' table).
        let best = Infinity;
        for (let e = 0; e <= text.length; e++)
          for (let s = Math.max(0, e - len - k); s <= e; s++)
            best = Math.min(best, distance(pattern, text.slice(s, e)));
        if (best > k) expect(m).toBeUndefined();
        else {
          expect(m!.errors).toBe(best);
          expect(distance(pattern, text.slice(m!.start, m!.end))).toBe(best);
        }
      }
    }
  });
});

const EN = `Afghanistan: security overview, third quarter.

Analysts in Kabul said that ISKP has weakened inside Afghanistan under sustained Taliban counter-terrorism pressure, while it widened its external operations in Central Asia and Europe. Claims fell sharply in 2023.`;

const FA = `گزارش امنیتی ولایت ننگرهار. به گفته مقامات محلی، گروه داعش خراسان مسئولیت حمله انتحاری در شهر جلال‌آباد را بر عهده گرفت و دست‌کم دوازده نفر کشته شدند. تحقیقات ادامه دارد.`;

const RU = `Обзор безопасности. По данным источников в Душанбе, ИГИЛ-Хорасан усилил вербовку среди трудовых мигрантов из Центральной Азии в России. Эксперты ожидают новых попыток атак.`;

describe('the nearest passage to a quote that is not found exactly', () => {
  it('English: a changed word and OCR noise (rn for m, l for I, a broken hyphen)', () => {
    const sel = makeSelector(EN, EN.indexOf('ISKP has'), EN.indexOf(' in Central Asia'));
    const copy = EN.replace('ISKP has weakened', 'ISKP has weakend')
      .replace('sustained', 'continued')
      .replace('terrorism', 'terro-\nrism')
      .replace('external', 'extemal')
      .replace('widened', 'wiclened');
    expect(findQuote(copy, sel)).toBeNull();
    const near = nearestQuote(copy, sel)!;
    expect(near).not.toBeNull();
    expect(copy.slice(near.start, near.end)).toMatch(/^ISKP has weakend inside .*extemal operations$/s);
    expect(near.similarity).toBeGreaterThan(0.85);
    expect(near.similarity).toBeLessThan(1);
  });

  it('Persian: Arabic letter forms (ي, ك) and a word left out', () => {
    const quote = 'گروه داعش خراسان مسئولیت حمله انتحاری در شهر جلال‌آباد را بر عهده گرفت';
    const sel = makeSelector(FA, FA.indexOf(quote), FA.indexOf(quote) + quote.length);
    // Another copy typed on an Arabic keyboard, and without «انتحاری».
    const copy = FA.replace(' انتحاری', '').replace(/ی/g, 'ي').replace(/ک/g, 'ك');
    expect(findQuote(copy, sel)).toBeNull();
    const near = nearestQuote(copy, sel)!;
    expect(near).not.toBeNull();
    expect(copy.slice(near.start, near.end)).toBe('گروه داعش خراسان مسئوليت حمله در شهر جلال‌آباد را بر عهده گرفت');
    expect(near.similarity).toBeGreaterThan(0.85);
    expect(near.similarity).toBeLessThan(0.95);
  });

  it('Russian: a typo', () => {
    const quote = 'ИГИЛ-Хорасан усилил вербовку среди трудовых мигрантов';
    const sel = makeSelector(RU, RU.indexOf(quote), RU.indexOf(quote) + quote.length);
    const copy = RU.replace('вербовку', 'вербовкy'); // a Latin y typed for у
    expect(findQuote(copy, sel)).toBeNull();
    const near = nearestQuote(copy, sel)!;
    expect(copy.slice(near.start, near.end)).toBe('ИГИЛ-Хорасан усилил вербовкy среди трудовых мигрантов');
    expect(near.similarity).toBeGreaterThan(0.95);
  });

  it('proposes nothing for a quote that is not in the text, nor for one too far from any passage', () => {
    expect(
      nearestQuote(EN, { exact: 'The ceasefire in Yemen held through the winter', prefix: '', suffix: '' }),
    ).toBeNull();
    expect(
      nearestQuote(RU, { exact: 'ИГИЛ-Хорасан сократил присутствие в Европе', prefix: '', suffix: '' }),
    ).toBeNull();
    expect(nearestQuote(FA, { exact: 'طالبان کنترل ولایت پنجشیر را گرفتند', prefix: '', suffix: '' })).toBeNull();
  });

  it('chooses between two near copies by their context', () => {
    const text = 'In March the group has weakened in Kunar. Later, in May, the group has weakened in Nangarhar.';
    const sel = { exact: 'the group had weakened in Nangarhar', prefix: 'Later, in May, ', suffix: '.' };
    const near = nearestQuote(text, sel)!;
    expect(text.slice(near.start, near.end)).toBe('the group has weakened in Nangarhar');
  });

  it('answers within a fifth of a second in a 2 MB text, for a short and a long quote', () => {
    const para = EN.replace('Afghanistan: security overview, third quarter.', '') + ' ' + RU + ' ' + FA + '\n';
    let big = '';
    while (big.length < 2_000_000) big += para.replace(/2023/, String(1000 + (big.length % 9000)));
    const target = 'A unique passage about the Tajik border posts near Khorog and the night patrols there.';
    big = big.slice(0, 1_000_000) + target + big.slice(1_000_000);
    const text = indexText(big);
    const long = `${target} ${'Further paragraphs that go on about patrols. '.repeat(12)}`;
    big = big.slice(0, 1_000_000) + long + big.slice(1_000_000 + target.length);
    const longText = indexText(big);
    const sel = { exact: target.replace('posts', 'post').replace('night', 'nigth'), prefix: '', suffix: '' };
    let t0 = performance.now();
    const near = nearestQuote(text, sel)!;
    const shortMs = performance.now() - t0;
    expect(near.start).toBe(1_000_000);
    t0 = performance.now();
    const longNear = nearestQuote(longText, { exact: long.replace('Khorog', 'Horog'), prefix: '', suffix: '' })!;
    const longMs = performance.now() - t0;
    expect(longNear.start).toBe(1_000_000);
    expect(longNear.end).toBeGreaterThan(1_000_000 + long.length - 5);
    expect(shortMs).toBeLessThan(200);
    expect(longMs).toBeLessThan(200);
  });
});
