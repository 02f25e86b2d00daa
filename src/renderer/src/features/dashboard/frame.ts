import type { EChartsOption } from './echarts';

const FONT_FAMILY = "system-ui, 'Segoe UI', 'Noto Sans', sans-serif";

/**
 * Every chart carries its own title, subtitle (filters, period, how dates were counted) and
 * source line, drawn by ECharts itself so that PNG and SVG exports carry them too.
 */
export function frame(title: string, subtitle: string, source: string): EChartsOption {
  return {
    title: [
      {
        text: title,
        subtext: subtitle,
        left: 10,
        top: 6,
        itemGap: 4,
        textStyle: { fontSize: 15, fontWeight: 600, color: '#1d2733', overflow: 'truncate' },
        subtextStyle: { fontSize: 12, color: '#4a5260', lineHeight: 16, overflow: 'break' },
      },
      // Wraps to a second line in narrow charts rather than losing sources.
      {
        text: source,
        left: 10,
        bottom: 4,
        textStyle: { fontSize: 11, fontWeight: 'normal', color: '#6b7380', overflow: 'break', lineHeight: 14 },
      },
    ],
    textStyle: { fontFamily: FONT_FAMILY },
    animationDuration: 300,
  };
}

type TitleOpt = {
  text?: string;
  subtext?: string;
  textStyle?: Record<string, unknown>;
  subtextStyle?: Record<string, unknown>;
};

/** A chart with nothing to draw says why, in the middle of the plot area (and of its exports). */
export function withEmptyNote(option: EChartsOption, empty: boolean, note: string): EChartsOption {
  if (!empty || !Array.isArray(option.title)) return option;
  return {
    ...option,
    title: [
      ...option.title,
      {
        text: note,
        left: 'center',
        top: 'middle',
        textStyle: {
          fontSize: 13,
          lineHeight: 18,
          fontWeight: 'normal',
          color: '#6b7380',
          width: 460,
          overflow: 'break',
          align: 'center',
        },
      },
    ],
  };
}

let measure: CanvasRenderingContext2D | null | undefined;

/**
 * Breaks `text` into lines at spaces only, each narrower than `width` in `font`. ECharts' own
 * wrapping also breaks at commas, which cut numbers in two ("46" / ",426"); a single word wider
 * than the line is still broken by ECharts ('break'). Lines joined earlier are joined again first,
 * so a resize wraps afresh (the texts themselves have no line breaks).
 */
export function wrapAtSpaces(text: string, font: string, width: number): string {
  measure ??= typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  if (!measure) return text;
  measure.font = font;
  const lines: string[] = [];
  let line = '';
  for (const word of text.replace(/\n/g, ' ').split(' ')) {
    const next = line === '' ? word : `${line} ${word}`;
    if (line !== '' && measure.measureText(next).width > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  lines.push(line);
  return lines.join('\n');
}

/** Text widths follow the chart's width (ECharts wants pixels), so long lines wrap or cut. */
export function fitTitles(option: EChartsOption, width: number): EChartsOption {
  const titles = option.title;
  if (!Array.isArray(titles)) return option;
  const w = Math.max(120, width - 24);
  // A few pixels of slack: ECharts measures the same font, but must never find a line too long.
  const wrap = (text: string | undefined, size: number) =>
    text === undefined ? text : wrapAtSpaces(text, `${size}px ${FONT_FAMILY}`, w - 6);
  return {
    ...option,
    title: (titles as TitleOpt[]).map((t, i) =>
      i === 0
        ? {
            ...t,
            subtext: wrap(t.subtext, 12),
            textStyle: { ...t.textStyle, width: w },
            subtextStyle: { ...t.subtextStyle, width: w },
          }
        : i === 1
          ? { ...t, text: wrap(t.text, 11), textStyle: { ...t.textStyle, width: w } }
          : t,
    ),
  };
}

/** Room the frame takes above and below the plot area. */
export const TOP = 78;
export const BOTTOM = 40;

/** Fixed colours for ACLED's event types, so a type keeps its colour from chart to chart. */
const EVENT_COLORS: Record<string, string> = {
  Battles: '#a0522d',
  'Explosions/Remote violence': '#c0392b',
  'Violence against civilians': '#7b2d8b',
  Protests: '#2e86c1',
  Riots: '#e08e0b',
  'Strategic developments': '#5d6d7e',
};
const PALETTE = [
  '#1f77b4',
  '#2ca02c',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#bcbd22',
  '#7f7f7f',
  '#ff7f0e',
  '#d62728',
];

export function eventColor(type: string, i: number): string {
  return EVENT_COLORS[type] ?? PALETTE[i % PALETTE.length]!;
}

/** Lighter shades of a colour for the sub-types of one event type. */
export function shade(hex: string, k: number, n: number): string {
  const t = n <= 1 ? 0 : (k / (n - 1)) * 0.6;
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `#${c
    .map((v) =>
      Math.round(v + (255 - v) * t)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

export const fmt = (n: number) => n.toLocaleString('en');

/** "1 incident", "2,345 incidents". */
export const count = (n: number, one: string, many = `${one}s`) => `${fmt(n)} ${n === 1 ? one : many}`;
