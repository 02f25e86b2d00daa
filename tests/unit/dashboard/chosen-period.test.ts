import { describe, expect, it } from 'vitest';
import { shadeOf } from '../../../src/renderer/src/features/dashboard/chosen-period';
import { timelineOption } from '../../../src/renderer/src/features/dashboard/time-options';
import type { TimelineOutput } from '../../../src/shared/channels/dashboard';

const months = ['2023-11', '2023-12', '2024-01', '2024-02', '2024-03', '2024-04'].map((m) => ({
  key: m,
  label: m,
  from: m,
  to: m,
}));

/** The timeline's shading is computed from the date filter: the shaded buckets are the filtered ones. */
describe('the shaded period of the timeline', () => {
  it('covers exactly the buckets a brush over January to March 2024 filters, January included', () => {
    // What the brush sets: the first bucket's from, the last bucket's to (TimelinePanel's choose).
    expect(shadeOf(months, months[2]!.from, months[4]!.to)).toEqual({ first: 2, last: 4, start: 0, end: 1 });
    // One clicked bucket is shaded whole, not as a line of no width.
    expect(shadeOf(months, '2024-01', '2024-01')).toEqual({ first: 2, last: 2, start: 0, end: 1 });
  });

  it('shades the days of a day-exact filter within their buckets, and nothing outside the chart', () => {
    const s = shadeOf(months, '2024-01-16', '2024-02-29')!;
    expect(s.first).toBe(2);
    expect(s.last).toBe(3);
    expect(s.start).toBeCloseTo(15 / 31);
    expect(s.end).toBe(1);
    expect(shadeOf(months, '2025-01', null)).toBeNull();
    expect(shadeOf(months, null, '2023-11-30')).toEqual({ first: 0, last: 0, start: 0, end: 1 });
  });

  it('weeks and years: a bucket is the days it names', () => {
    const weeks = [
      { from: '2024-01-01', to: '2024-01-07' },
      { from: '2024-01-08', to: '2024-01-14' },
    ];
    expect(shadeOf(weeks, '2024-01-08', '2024-01-14')).toEqual({ first: 1, last: 1, start: 0, end: 1 });
    const years = [
      { from: '2022', to: '2022' },
      { from: '2023', to: '2023' },
    ];
    expect(shadeOf(years, '2022', '2023')).toEqual({ first: 0, last: 1, start: 0, end: 1 });
  });

  it('is drawn by the option from the same numbers, and named in no legend', () => {
    const t = {
      bucket: 'month',
      buckets: months,
      series: [{ name: 'Battles', values: months.map(() => 1) }],
      fatalities: months.map(() => null),
      counted: 6,
      coarsened: false,
      notShown: { month: 0, year: 0, unknown: 0 },
      sources: { titles: [], more: 0 },
    } as unknown as TimelineOutput;
    const o = timelineOption(t, 'T', 'S', 'Src', shadeOf(months, '2024-01', '2024-03'), { start: 0, end: 100 }) as {
      series: { id?: string; data: unknown[] }[];
      legend: { data: string[] };
    };
    const shade = o.series.find((s) => s.id === 'chosen-period');
    expect(shade?.data).toEqual([[0, 2, 4, 0, 1]]);
    expect(o.legend.data).toEqual(['Battles']);
    const none = timelineOption(t, 'T', 'S', 'Src', null, { start: 0, end: 100 }) as { series: { id?: string }[] };
    expect(none.series.some((s) => s.id === 'chosen-period')).toBe(false);
  });
});
