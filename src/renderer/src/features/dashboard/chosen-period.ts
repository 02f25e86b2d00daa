/**
 * The timeline's shading of the chosen period, computed from the date filter itself so that the
 * shaded part of the chart is the filtered period, bucket for bucket and day for day.
 *
 * ECharts' markArea on a bar series cannot do this: on a category axis it places each end on the
 * axis ticks, which with labels every few buckets shifted the shading by half a bucket or more
 * (a brush over Jan–Mar 2024 filtered January but shaded from its end). Here each bucket spans
 * [i - 0.5, i + 0.5] on the axis, as ECharts lays bars out, and the shading covers the part of
 * each bucket's days that the filter includes.
 */

export type Bucket = { from: string; to: string };
/** Buckets first..last overlap the period; the shading starts at `start` of the first bucket's width and ends at `end` of the last one's (0..1). */
export type Shade = { first: number; last: number; start: number; end: number };

const DAY = 864e5;

/** The first and last day (UTC ms) a date names: "2024" the whole year, "2024-03" the month, "2024-03-05" the day. */
export function daySpan(d: string): [number, number] | null {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(d);
  if (!m) return null;
  const y = Number(m[1]);
  if (m[3]) {
    const t = Date.UTC(y, Number(m[2]) - 1, Number(m[3]));
    return [t, t];
  }
  if (m[2]) return [Date.UTC(y, Number(m[2]) - 1, 1), Date.UTC(y, Number(m[2]), 1) - DAY];
  return [Date.UTC(y, 0, 1), Date.UTC(y + 1, 0, 1) - DAY];
}

/** Where the period from..to (either open) falls on these buckets; null when it covers none of them. */
export function shadeOf(
  buckets: Bucket[],
  from: string | null | undefined,
  to: string | null | undefined,
): Shade | null {
  const lo = from ? daySpan(from)?.[0] : -Infinity;
  const hi = to ? daySpan(to)?.[1] : Infinity;
  if (lo === undefined || hi === undefined || lo > hi) return null;
  let shade: Shade | null = null;
  buckets.forEach((b, i) => {
    const a = daySpan(b.from)?.[0];
    const z = daySpan(b.to)?.[1];
    if (a === undefined || z === undefined || z < lo || a > hi) return;
    const days = (z - a) / DAY + 1;
    const start = (Math.max(a, lo) - a) / DAY / days;
    const end = ((Math.min(z, hi) - a) / DAY + 1) / days;
    if (!shade) shade = { first: i, last: i, start, end };
    else shade = { ...shade, last: i, end };
  });
  return shade;
}

type RenderApi = { coord: (v: number[]) => number[]; size: (v: number[]) => number[] };
type RenderParams = { coordSys: { x: number; y: number; width: number; height: number } };

/**
 * A series that draws the shade across the plot's height, behind the bars. Its data is
 * [0, first, last, start, end]: the x dimensions are the first and last bucket (so zooming keeps
 * it while any part is in view, see the dataZoom's weakFilter), y is 0 (no effect on the scale).
 */
export function shadeSeries(shade: Shade): Record<string, unknown> {
  return {
    type: 'custom',
    id: 'chosen-period',
    name: 'Chosen period',
    coordinateSystem: 'cartesian2d',
    silent: true,
    clip: true,
    z: 1,
    tooltip: { show: false },
    emphasis: { disabled: true },
    encode: { x: [1, 2], y: 0 },
    data: [[0, shade.first, shade.last, shade.start, shade.end]],
    renderItem: (params: RenderParams, api: RenderApi) => {
      const band = api.size([1, 0])[0]!;
      const left = api.coord([shade.first, 0])[0]! - band / 2 + shade.start * band;
      const right = api.coord([shade.last, 0])[0]! - band / 2 + shade.end * band;
      const { y, height } = params.coordSys;
      return {
        type: 'rect',
        shape: { x: left, y, width: Math.max(1, right - left), height },
        style: { fill: 'rgba(31, 59, 99, 0.10)', stroke: '#1f3b63', lineWidth: 1, lineDash: [4, 3] },
      };
    },
  };
}
