/**
 * Dates in the calendars this field's sources write: the Solar Hijri calendar of Afghan and
 * Iranian official statements ("1402/05/12", "۱۲ اسد ۱۴۰۲", "12 زمری 1402"), the Hijri (lunar)
 * calendar of the group's own statements ("15 صفر 1445 هـ"), and Gregorian dates with their month
 * written in Russian, Persian, Pashto or Arabic ("12 августа 2023 г.", "۱۲ اوت ۲۰۲۳", "12 آب 2023").
 * Read to a Gregorian date at the precision the text gives; the caller keeps the original text.
 *
 * Conversion goes through the platform's ICU calendars (Intl, `persian` and `islamic-umalqura`),
 * not hand-written arithmetic: the day found is the Gregorian day ICU formats back to exactly the
 * year, month and day read, so a day the calendar does not have (30 Esfand of a common year) is
 * refused rather than rolled over. The Hijri date is Umm al-Qura's; a statement that followed a
 * local moon sighting may differ by a day, which is why the original text is kept.
 *
 * A numeric date with a year of 1300-1420 is Solar Hijri (today's Solar Hijri years; Hijri lunar
 * years of that range lie before 2000), 1421-1500 Hijri lunar, unless a marker says which
 * (ش / هـ.ش / SH for Solar, ق / هـ / هـ.ق / AH for lunar).
 */
export type CalendarName = 'persian' | 'islamic' | 'gregorian';
export type CalendarDate = { date: string; precision: 'day' | 'month' | 'year'; calendar: CalendarName };

const DIGITS = /[\u06f0-\u06f9\u0660-\u0669]/g;
const toAscii = (s: string) => s.replace(DIGITS, (c) => String((c.charCodeAt(0) & 0xf) % 10));

/** Arabic-script spellings folded (marks, tatweel, keheh, farsi yeh, alef forms, taa marbuta, ZWNJ), Cyrillic ё, case. */
export function foldMonthText(s: string): string {
  return s
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\u0610-\u061a\u064b-\u065f\u0670\u0640]/g, '')
    .replace(/\u200c/g, ' ')
    .replace(/\u06a9/g, '\u0643')
    .replace(/[\u06cc\u0649]/g, '\u064a')
    .replace(/[\u0623\u0625\u0622\u0671]/g, '\u0627')
    .replace(/\u0629/g, '\u0647')
    .replace(/\u06cd/g, '\u064a')
    .replace(/ё/g, 'е')
    .replace(/\s+/g, ' ')
    .trim();
}

type Month = { calendar: CalendarName; month: number };
const MONTH_NAMES: [CalendarName, string[][]][] = [
  // Solar Hijri: Iranian Persian, Afghan Dari (zodiac names), Pashto.
  [
    'persian',
    [
      ['فروردین', 'حمل', 'وری'],
      ['اردیبهشت', 'ثور', 'غویی', 'غوایی'],
      ['خرداد', 'جوزا', 'غبرگولی'],
      ['تیر', 'سرطان', 'چنګاښ', 'چنگاښ'],
      ['مرداد', 'امرداد', 'اسد', 'زمری'],
      ['شهریور', 'سنبله', 'وږی'],
      ['مهر', 'میزان', 'تله'],
      ['آبان', 'عقرب', 'لړم'],
      ['آذر', 'قوس', 'لیندۍ', 'لیندی'],
      ['دی', 'جدی', 'مرغومی'],
      ['بهمن', 'دلو', 'سلواغه'],
      ['اسفند', 'حوت', 'کب'],
    ],
  ],
  // Hijri lunar months (Arabic; Persian and Pashto write them the same way).
  [
    'islamic',
    [
      ['محرم', 'المحرم'],
      ['صفر'],
      ['ربیع الاول', 'ربیع الأول'],
      ['ربیع الثانی', 'ربیع الآخر', 'ربیع الثاني'],
      ['جمادی الاولی', 'جمادى الأولى'],
      ['جمادی الثانیه', 'جمادى الآخرة', 'جمادى الثانية'],
      ['رجب'],
      ['شعبان'],
      ['رمضان'],
      ['شوال'],
      ['ذو القعده', 'ذي القعدة', 'ذوالقعده'],
      ['ذو الحجه', 'ذي الحجة', 'ذوالحجه'],
    ],
  ],
  // Gregorian months: Arabic (Egyptian and Levantine names), Persian, Pashto, Russian (genitive and nominative).
  [
    'gregorian',
    [
      ['يناير', 'كانون الثاني', 'ژانویه', 'جنوری', 'января', 'январь'],
      ['فبراير', 'شباط', 'فوریه', 'فبروري', 'февраля', 'февраль'],
      ['مارس', 'آذار', 'مارچ', 'марта', 'март'],
      ['أبريل', 'نيسان', 'آوریل', 'اپریل', 'апреля', 'апрель'],
      ['مايو', 'أيار', 'مه', 'می', 'мая', 'май'],
      ['يونيو', 'يونيه', 'حزيران', 'ژوئن', 'جون', 'июня', 'июнь'],
      ['يوليو', 'يوليه', 'تموز', 'ژوئیه', 'جولای', 'июля', 'июль'],
      ['أغسطس', 'آب', 'اوت', 'آگوست', 'اګست', 'августа', 'август'],
      ['سبتمبر', 'أيلول', 'سپتامبر', 'سپتمبر', 'сентября', 'сентябрь'],
      ['أكتوبر', 'تشرين الأول', 'اکتبر', 'اکتوبر', 'октября', 'октябрь'],
      ['نوفمبر', 'تشرين الثاني', 'نوامبر', 'نومبر', 'ноября', 'ноябрь'],
      ['ديسمبر', 'كانون الأول', 'دسامبر', 'دسمبر', 'декабря', 'декабрь'],
    ],
  ],
];
const MONTHS = new Map<string, Month>();
for (const [calendar, months] of MONTH_NAMES)
  months.forEach((names, i) => names.forEach((n) => MONTHS.set(foldMonthText(n), { calendar, month: i + 1 })));

const SOLAR_MARK = /(?:\s|^)(?:ه\.?\s?ش\.?|ش|sh|h\.?s\.?|هجری شمسی|لمریز)\.?$/;
const LUNAR_MARK = /(?:\s|^)(?:ه\.?\s?ق\.?|ه|هـ|ق|ah|a\.h\.|هجری قمری|هجري)\.?$/;
const YEAR_MARK = /(?:\s|^)(?:г|года|год|م|میلادی|ميلادي|ad)\.?$/;

const FORMATS: Record<'persian' | 'islamic', Intl.DateTimeFormat> = {} as Record<
  'persian' | 'islamic',
  Intl.DateTimeFormat
>;
function format(cal: 'persian' | 'islamic'): Intl.DateTimeFormat {
  return (FORMATS[cal] ??= new Intl.DateTimeFormat(
    `en-u-ca-${cal === 'persian' ? 'persian' : 'islamic-umalqura'}-nu-latn`,
    { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' },
  ));
}
function partsOf(cal: 'persian' | 'islamic', t: number): [number, number, number] {
  const p = format(cal).formatToParts(new Date(t));
  const get = (type: string) => Number.parseInt(p.find((x) => x.type === type)?.value ?? 'NaN', 10);
  return [get('year'), get('month'), get('day')];
}

const DAY_MS = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The Gregorian day of a Solar Hijri or Hijri date, or null when that calendar has no such day. */
export function toGregorian(cal: 'persian' | 'islamic', y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  // A first guess from the calendars' mean lengths, then the exact day within a few days of it.
  const guess =
    cal === 'persian'
      ? Date.UTC(y + 621, 2, 21) + ((m <= 6 ? (m - 1) * 31 : 186 + (m - 7) * 30) + d - 1) * DAY_MS
      : Date.UTC(622, 6, 19) + Math.round((y - 1) * 354.36707 + (m - 1) * 29.530589 + d - 1) * DAY_MS;
  for (let k = 0; k <= 6; k++) {
    for (const t of k === 0 ? [guess] : [guess + k * DAY_MS, guess - k * DAY_MS]) {
      const [py, pm, pd] = partsOf(cal, t);
      if (py === y && pm === m && pd === d) return iso(t);
    }
  }
  return null;
}

/** The Gregorian span of a whole month (or year) of another calendar, as the date it allows: a month or a year, or nothing. */
function spanDate(cal: 'persian' | 'islamic', y: number, m: number | null): CalendarDate | null {
  const first = toGregorian(cal, y, m ?? 1, 1);
  if (first === null) return null;
  let last: string | null = null;
  for (const d of [31, 30, 29]) if ((last = toGregorian(cal, y, m ?? 12, d)) !== null) break;
  if (last === null) return null;
  if (first.slice(0, 7) === last.slice(0, 7)) return { date: first.slice(0, 7), precision: 'month', calendar: cal };
  if (first.slice(0, 4) === last.slice(0, 4)) return { date: first.slice(0, 4), precision: 'year', calendar: cal };
  return null;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * Reads a date written in one of the calendars above (or in Gregorian with a month name in
 * Russian, Persian, Pashto or Arabic). Null when the text is no such date (the caller tries its
 * other readings); `{ error }` when it is one but not a valid day of its calendar.
 */
export function parseCalendarDate(text: string): CalendarDate | { error: string } | null {
  let s = foldMonthText(toAscii(text)).replace(/[،,]/g, ' ').replace(/\s+/g, ' ').trim();
  let marked: 'persian' | 'islamic' | 'gregorian' | null = null;
  if (SOLAR_MARK.test(s)) [marked, s] = ['persian', s.replace(SOLAR_MARK, '').trim()];
  else if (LUNAR_MARK.test(s)) [marked, s] = ['islamic', s.replace(LUNAR_MARK, '').trim()];
  else if (YEAR_MARK.test(s)) [marked, s] = ['gregorian', s.replace(YEAR_MARK, '').trim()];

  const numeric = /^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$/.exec(s);
  if (numeric) {
    const [y, m, d] = [Number(numeric[1]), Number(numeric[2]), Number(numeric[3])];
    const cal = marked ?? (y >= 1300 && y <= 1420 ? 'persian' : y > 1420 && y <= 1500 ? 'islamic' : null);
    if (cal === null || cal === 'gregorian') return null;
    const g = toGregorian(cal, y, m, d);
    return g === null
      ? { error: `"${text}" is not a day of the ${cal === 'persian' ? 'Solar Hijri' : 'Hijri'} calendar` }
      : { date: g, precision: 'day', calendar: cal };
  }
  // "12 اسد 1402", "15 صفر 1445", "12 августа 2023", or "اسد 1402" (a month).
  const named = /^(?:(\d{1,2}) )?(\D+?) (\d{4})$/.exec(s);
  if (!named) return null;
  const month = MONTHS.get(named[2]!.trim());
  if (!month) return null;
  const y = Number(named[3]);
  const d = named[1] === undefined ? null : Number(named[1]);
  if (month.calendar === 'gregorian') {
    if (d === null) return { date: `${y}-${pad(month.month)}`, precision: 'month', calendar: 'gregorian' };
    const t = Date.UTC(y, month.month - 1, d);
    const ok = new Date(t).getUTCMonth() === month.month - 1 && d >= 1;
    return ok
      ? { date: iso(t), precision: 'day', calendar: 'gregorian' }
      : { error: `"${text}" is not a calendar date` };
  }
  const cal = month.calendar;
  if (d === null)
    return spanDate(cal, y, month.month) ?? { error: `"${text}" spans two Gregorian years: give the day` };
  const g = toGregorian(cal, y, month.month, d);
  return g === null
    ? { error: `"${text}" is not a day of the ${cal === 'persian' ? 'Solar Hijri' : 'Hijri'} calendar` }
    : { date: g, precision: 'day', calendar: cal };
}
