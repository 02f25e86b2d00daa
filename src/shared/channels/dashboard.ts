import { z } from 'zod';
import { EMPTY_FILTER, FilterModel } from '../contract-base';
import { Uuid } from '../domain/common';

/**
 * Channels of the dashboard area. Every chart asks for one aggregate the core computes in SQL;
 * none receives rows. Each aggregate takes the table's whole filter model (the one the grid
 * shows) and leaves out the filters on its own columns, so that a chart keeps showing what can
 * still be chosen and highlights what is chosen (cross-filtering as in dc.js or Tableau).
 */

export const TIME_BUCKETS = ['week', 'month', 'quarter', 'year'] as const;
export const TimeBucket = z.enum(TIME_BUCKETS);
export type TimeBucket = z.infer<typeof TimeBucket>;

export const INCIDENT_DIMENSIONS = ['admin1', 'country', 'actor1'] as const;
export const IncidentDimension = z.enum(INCIDENT_DIMENSIONS);
export type IncidentDimension = z.infer<typeof IncidentDimension>;

/** The columns each aggregate owns: its own filters on them do not narrow it. */
export const OWN_COLUMNS = {
  admin1: ['admin1'],
  country: ['country'],
  actor1: ['actor1'],
  eventTypes: ['event_type', 'sub_event_type'],
  timeline: ['date'],
  abroad: ['date'],
  map: [],
  plotsCountry: ['country'],
  plotsPeriod: ['date', 'date_before'],
  plotsStage: ['stage'],
} as const satisfies Record<string, readonly string[]>;

const filterInput = FilterModel.default(EMPTY_FILTER);
/** Distinct titles of the sources cited by the rows a chart counts, for its source line. */
const Sources = z.object({ titles: z.array(z.string()), more: z.number() });
export type SourceLine = z.infer<typeof Sources>;
/** First and last date (as stored, at their precision) of the rows a chart counts, for its subtitle. */
const Span = z.object({ first: z.string().nullable(), last: z.string().nullable() });
export type DateSpan = z.infer<typeof Span>;

/**
 * One bar. `values` are the stored spellings it stands for: a click filters on all of them
 * (Herat and Hirat are one province); `key` is the map's name when the place is on the map.
 */
export const DashBar = z.object({
  label: z.string(),
  value: z.number(),
  fatalities: z.number(),
  /** How many of the bar's incidents give a number of fatalities (the rest are unknown, not 0). */
  known: z.number(),
  values: z.array(z.string().nullable()),
  country: z.string().nullable().optional(),
  key: z.string().nullable().optional(),
});
export type DashBar = z.infer<typeof DashBar>;

const Dated = z.object({
  /** Incidents counted in the chart, and those whose dates are too coarse for its buckets. */
  counted: z.number(),
  notShown: z.object({ month: z.number(), year: z.number(), unknown: z.number() }),
});

export const TimelineOutput = Dated.extend({
  bucket: TimeBucket,
  /** The bucket the analyst asked for was too fine for the span of dates: this one is used. */
  coarsened: z.boolean(),
  buckets: z.array(z.object({ key: z.string(), label: z.string(), from: z.string(), to: z.string() })),
  series: z.array(z.object({ name: z.string(), values: z.array(z.number()) })),
  /** Fatalities per bucket; null where no incident of the bucket gives a number (unknown, not 0). */
  fatalities: z.array(z.number().nullable()),
  sources: Sources,
});
export type TimelineOutput = z.infer<typeof TimelineOutput>;

export const AbroadItem = z.object({
  country: z.string(),
  /** Month (day-precision dates are drawn in their month) or year, as YYYY-MM or YYYY. */
  period: z.string(),
  precision: z.enum(['month', 'year']),
  start: z.string(),
  end: z.string(),
  value: z.number(),
  fatalities: z.number(),
  label: z.string().nullable(),
});
export type AbroadItem = z.infer<typeof AbroadItem>;

export const PlotPeriod = z.object({
  key: z.string(),
  label: z.string(),
  kind: z.enum(['before', 'year', 'undated']),
  value: z.number(),
});
export type PlotPeriod = z.infer<typeof PlotPeriod>;

export const FigureBar = z.object({
  label: z.string(),
  value: z.number(),
  computed: z.number(),
  /** The province as the map names it, or null when the name was not recognised. */
  matchedAs: z.string().nullable(),
  key: z.string().nullable(),
  /** Spellings of this province in the case file's incidents (for a click to filter on). */
  values: z.array(z.string()),
});
export type FigureBar = z.infer<typeof FigureBar>;

export const dashboardChannels = {
  'dashboard.figuresByAdmin1': {
    kind: 'query',
    input: z.object({}).strict(),
    output: z.object({
      measure: z.string().nullable(),
      total: z.number().nullable(),
      computedTotal: z.number().nullable(),
      actor: z.string().nullable(),
      /** The names the actor goes by (its Actor field, split at ";"): an incident naming any of them counts. */
      actorNames: z.array(z.string()),
      /** The figures shown whose Actor is the one shown (a name added to the actor goes to these). */
      actorFigureIds: z.array(z.string()),
      country: z.string().nullable(),
      periodStart: z.string().nullable(),
      periodEnd: z.string().nullable(),
      bars: z.array(FigureBar),
      /** Province names in the figures that match no province: shown, never dropped. */
      unmatched: z.array(z.string()),
      sources: Sources,
    }),
  },
  /**
   * The actors most often named by the incidents of the figures' country and period that none of
   * the figures' actor names match: the same group under another dataset's name is usually among them.
   */
  'dashboard.figuresOtherActors': {
    kind: 'query',
    input: z.object({}).strict(),
    output: z.array(z.object({ name: z.string(), count: z.number() })),
  },
  /** Adds a name to the Actor field of the given figures (one undo step), so that incidents naming it count. */
  'figures.addActorName': {
    kind: 'mutation',
    input: z.object({ ids: z.array(Uuid).min(1).max(10_000), name: z.string().min(1).max(500) }).strict(),
    output: z.object({ updated: z.number() }),
  },
  'dashboard.incidentsBy': {
    kind: 'query',
    input: z
      .object({
        dimension: IncidentDimension,
        filter: filterInput,
        limit: z.number().int().min(1).max(500).default(40),
      })
      .strict(),
    output: z.object({
      bars: z.array(DashBar),
      total: z.number(),
      others: z.object({ groups: z.number(), value: z.number() }),
      span: Span,
      sources: Sources,
    }),
  },
  'dashboard.eventTypes': {
    kind: 'query',
    input: z.object({ filter: filterInput }).strict(),
    output: z.object({
      types: z.array(
        z.object({
          type: z.string().nullable(),
          label: z.string(),
          value: z.number(),
          subs: z.array(z.object({ sub: z.string().nullable(), label: z.string(), value: z.number() })),
        }),
      ),
      total: z.number(),
      span: Span,
      sources: Sources,
    }),
  },
  'dashboard.timeline': {
    kind: 'query',
    input: z.object({ filter: filterInput, bucket: TimeBucket.default('month') }).strict(),
    output: TimelineOutput,
  },
  'dashboard.abroad': {
    kind: 'query',
    input: z.object({ filter: filterInput, home: z.string().trim().min(1).max(200).nullable().default(null) }).strict(),
    output: Dated.extend({ home: z.string(), items: z.array(AbroadItem), total: z.number(), sources: Sources }),
  },
  'dashboard.mapPoints': {
    kind: 'query',
    input: z
      .object({
        filter: filterInput,
        /** West, south, east, north in degrees. */
        bbox: z
          .tuple([
            z.number().min(-180).max(180),
            z.number().min(-90).max(90),
            z.number().min(-180).max(180),
            z.number().min(-90).max(90),
          ])
          .default([-180, -90, 180, 90]),
        /** Side of a grid cell in degrees; the core coarsens it when there would be too many. */
        cell: z.number().min(0.0001).max(45).default(0.5),
      })
      .strict(),
    output: z.object({
      cell: z.number(),
      /** Whether some point stands for more than one place (a grid cell), or each is one place. */
      merged: z.boolean(),
      /** [lon, lat, incidents, fatalities, place label when one place] at the mean of the cell. */
      points: z.array(z.tuple([z.number(), z.number(), z.number(), z.number(), z.string().nullable()])),
      total: z.number(),
      withoutCoords: z.number(),
      /** Located, but outside the view. */
      outside: z.number(),
      span: Span,
      sources: Sources,
    }),
  },
  'dashboard.plots': {
    kind: 'query',
    input: z.object({ filter: filterInput }).strict(),
    output: z.object({
      total: z.number(),
      span: Span,
      byCountry: z.object({
        bars: z.array(
          z.object({ label: z.string(), value: z.number(), key: z.string().nullable(), values: z.array(z.string()) }),
        ),
        sources: Sources,
      }),
      byPeriod: z.object({ periods: z.array(PlotPeriod), sources: Sources }),
      byStage: z.object({
        stages: z.array(z.object({ stage: z.string(), label: z.string(), value: z.number() })),
        sources: Sources,
      }),
    }),
  },
} as const;
