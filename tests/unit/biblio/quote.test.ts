import { describe, expect, it } from 'vitest';
import { foldString, foldText } from '../../../src/shared/anchor/normalize';
import { findQuote, indexText, makeSelector } from '../../../src/shared/anchor/quote';

/** The selector of the first occurrence of `quote` in `text`. */
function select(text: string, quote: string, nth = 0, context = 32) {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(quote, at + 1);
  if (at < 0) throw new Error(`"${quote}" not in text`);
  return makeSelector(text, at, at + quote.length, context);
}

const EN =
  'The group claimed the attack in a statement. Officials said the group had planned it for months. ' +
  'Later, officials said the group had not acted alone, and the statement was disputed.';

describe('makeSelector', () => {
  it('takes the quote and up to `context` characters either side', () => {
    const s = makeSelector(EN, 45, 54, 10);
    expect(s).toEqual({ exact: 'Officials', prefix: 'tatement. ', suffix: ' said the ' });
  });

  it('does not cut a surrogate pair at the edge of the context', () => {
    const text = 'x📄abc';
    // 1 unit of context from "abc" would cut the emoji in half: the whole emoji is taken.
    expect(makeSelector(text, 3, 6, 1).prefix).toBe('📄');
    expect(() => makeSelector(text, 4, 2)).toThrow(RangeError);
  });
});

describe('findQuote', () => {
  it('finds an unchanged quote with score 1', () => {
    const sel = select(EN, 'the group had planned it');
    const m = findQuote(EN, sel)!;
    expect(EN.slice(m.start, m.end)).toBe('the group had planned it');
    expect(m.score).toBe(1);
  });

  it('tells two occurrences apart by their context', () => {
    const second = select(EN, 'officials said the group had', 0);
    const first = select(EN.toLowerCase(), 'officials said the group had', 0);
    const m2 = findQuote(EN, second)!;
    expect(m2.start).toBe(EN.indexOf('officials said'));
    const m1 = findQuote(EN, { ...first, prefix: 'in a statement. ', suffix: ' planned it for months' })!;
    expect(m1.start).toBe(EN.indexOf('Officials said'));
  });

  it('finds the quote in a re-edited copy with other whitespace, line breaks and case', () => {
    const sel = select(EN, 'Officials said the group had planned it');
    const edition =
      'The group claimed the attack in a statement.\n\n  OFFICIALS   said\tthe group\u00A0had planned it for months.\nLater, officials said';
    const m = findQuote(edition, sel)!;
    expect(edition.slice(m.start, m.end)).toBe('OFFICIALS   said\tthe group\u00A0had planned it');
    expect(m.score).toBe(1);
  });

  it('still finds the quote when its context changed, with a lower score', () => {
    const sel = select(EN, 'the statement was disputed');
    const m = findQuote('A new introduction entirely. Then: the statement was disputed! New ending here.', sel)!;
    expect(m).not.toBeNull();
    expect(m.score).toBeLessThan(0.8);
    expect(m.score).toBeGreaterThanOrEqual(0.5);
  });

  it('returns null when the quote is gone (the caller flags the citation)', () => {
    const sel = select(EN, 'had planned it for months');
    expect(
      findQuote('The group claimed the attack. Officials said the group had prepared it for weeks.', sel),
    ).toBeNull();
    expect(findQuote(EN, { exact: '   ', prefix: '', suffix: '' })).toBeNull();
  });

  it('Russian: ё/е, combining accents, NFC vs NFD and guillemets', () => {
    const source = 'Командир заявил: «Мы ещё вернёмся». Позже штаб опроверг заявление.';
    const sel = select(source, 'Мы ещё вернёмся');
    const copy =
      'Командир заявил: "Мы еще верну\u0301лись"? Нет: "Мы еще вернемся". Позже штаб опроверг заявление.'.normalize(
        'NFD',
      );
    const m = findQuote(copy, sel)!;
    expect(copy.slice(m.start, m.end).normalize('NFC')).toBe('Мы еще вернемся');
    expect(m.score).toBeGreaterThan(0.8);
  });

  it('Persian and Pashto: Arabic yeh and kaf, tatweel, diacritics, ZWNJ, presentation forms, digits', () => {
    // Typed on a Persian keyboard (ی ک, ZWNJ, Persian digits).
    const persian = 'گروه مسئولیت حمله را پذیرفت و گفت که ۱۲ نفر کشته شدند. منابع محلی این را تأیید نکردند.';
    const sel = select(persian, 'گفت که ۱۲ نفر کشته شدند');
    // The same sentence from an Arabic-keyboard copy (ي ك), with tatweel, harakat and Arabic-Indic digits.
    const arabicKeyboard = 'گروه مسئوليت حمله را پذيرفت و گـفـت كه ١٢ نَفَر كشته شدند. منابع محلي اين را تأييد نكردند.';
    const m = findQuote(arabicKeyboard, sel)!;
    expect(arabicKeyboard.slice(m.start, m.end)).toBe('گـفـت كه ١٢ نَفَر كشته شدند');

    const pashto = 'طالبانو وویل چې د ننګرهار په بریدونو کې لاس نه لري. ځايي سرچینو دا خبره رد کړه.';
    const pselect = select(pashto, 'د ننګرهار په بریدونو کې');
    // Extracted from a PDF: Arabic presentation forms for some letters, Arabic yeh and kaf.
    const pdf = 'طالبانو وویل چې ﺩ ﻧﻨګرهار په بريدونو كې لاس نه لري. ځايي سرچینو دا خبره رد کړه.';
    const pm = findQuote(pdf, pselect)!;
    expect(pdf.slice(pm.start, pm.end)).toBe('ﺩ ﻧﻨګرهار په بريدونو كې');
    expect(pm.score).toBe(1);
  });

  it('maps a match back over combining marks at its end', () => {
    const text = 'cafe\u0301 noir';
    const m = findQuote(text, { exact: 'café', prefix: '', suffix: ' noir' })!;
    expect(text.slice(m.start, m.end)).toBe('cafe\u0301');
  });

  it('anchors many quotes in one indexed text', () => {
    const indexed = indexText(EN);
    expect(findQuote(indexed, select(EN, 'claimed the attack'))!.start).toBe(EN.indexOf('claimed the attack'));
    expect(findQuote(indexed, select(EN, 'acted alone'))!.start).toBe(EN.indexOf('acted alone'));
  });
});

describe('folding', () => {
  it('folds what differs between copies of one text', () => {
    expect(foldString('  Ｆｕｌｌ—width\u00A0ﬁle  ')).toBe('full-width file');
    expect(foldString('يك ی ك ک ة ه ٱ ـ')).toBe('یک ی ک ک ه ه ا');
    expect(foldString('الْعَرَبِيَّة')).toBe('العربیه');
    expect(foldString('۱۲۳ ١٢٣ ، ؛ ؟')).toBe('123 123 , ; ?');
    expect(foldString('a\u200Cb\u200Fc\u202Ed\u00ADe')).toBe('abcde');
  });

  it('keeps, for each folded character, where it came from', () => {
    const f = foldText('A\u0301  b');
    expect(f.text).toBe('a b');
    expect([...f.start]).toEqual([0, 2, 4]);
    expect([...f.end]).toEqual([2, 3, 5]);
  });
});
