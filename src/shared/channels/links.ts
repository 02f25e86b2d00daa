import { z } from 'zod';
import { EMPTY_FILTER, FilterModel } from '../contract-base';

export const LinkNodeKind = z.enum(['actor', 'place', 'source', 'incident']);
export const LinkNode = z.object({
  id: z.string(),
  kind: LinkNodeKind,
  /** The name shown (an actor under the name its aliases chose; a source's key; an incident's date and place). */
  name: z.string(),
  /** Incidents behind the node. */
  value: z.number(),
  /** What a click filters on: the column and value (actors and places), or a source's key for the search. */
  filter: z.object({ column: z.string(), value: z.string() }).nullable(),
});
export type LinkNode = z.infer<typeof LinkNode>;
export const LinkEdge = z.object({ source: z.string(), target: z.string(), kind: z.string(), weight: z.number() });
export const LinkGraph = z.object({
  nodes: z.array(LinkNode),
  links: z.array(LinkEdge),
  /** Incidents under the filter. */
  total: z.number(),
  /** True when each incident is a node; false when only actors, places and sources are (too many incidents). */
  expanded: z.boolean(),
  /** Nodes of each kind left out (beyond the most linked). */
  omitted: z.number(),
});
export type LinkGraph = z.infer<typeof LinkGraph>;

/** The link chart: actors, places, sources (and incidents, when few) of the incidents a filter selects. */
export const linksChannels = {
  'dashboard.links': {
    kind: 'query',
    input: z
      .object({
        filter: FilterModel.default(EMPTY_FILTER),
        expandBelow: z.number().int().min(0).max(1000).default(150),
      })
      .strict(),
    output: LinkGraph,
  },
} as const;
