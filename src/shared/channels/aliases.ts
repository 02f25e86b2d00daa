import { z } from 'zod';
import { Uuid } from '../domain/common';
import { ok } from '../contract-base';

export const AliasKind = z.enum(['actor', 'place']);
const Name = z.string().trim().min(1, 'a name is required').max(300, 'longer than 300 characters');

/** One name of an actor or a place, with who added it, how, and from which source. */
export const AliasName = z.object({
  id: Uuid,
  name: z.string(),
  origin: z.enum(['analyst', 'starter', 'suggestion']),
  author: z.string(),
  created_at: z.string(),
  sourceId: z.string().nullable(),
  sourceKey: z.string().nullable(),
});
export type AliasName = z.infer<typeof AliasName>;
/** An actor or a place and every name the case file gives it. */
export const AliasEntity = z.object({ kind: AliasKind, entity: z.string(), names: z.array(AliasName) });
export type AliasEntity = z.infer<typeof AliasEntity>;

/** Names in the case file that look like one actor or place, not yet joined nor rejected. */
export const AliasSuggestion = z.object({
  kind: AliasKind,
  /** Each name with the rows naming it, most rows first (the first is offered as the name to keep). */
  names: z.array(z.object({ name: z.string(), rows: z.number(), entity: z.string().nullable() })),
  /** What made them look alike (the folded form they share). */
  key: z.string(),
});
export type AliasSuggestion = z.infer<typeof AliasSuggestion>;

/** Channels of the aliases: the names of one actor or place, kept in the case file. */
export const aliasesChannels = {
  'aliases.list': {
    kind: 'query',
    input: z.object({ kind: AliasKind.optional() }).strict(),
    output: z.array(AliasEntity),
  },
  /** Records that `name` names the same actor or place as `sameAs` (joining their groups if both have one). */
  'aliases.add': {
    kind: 'mutation',
    input: z
      .object({
        kind: AliasKind,
        name: Name,
        sameAs: Name,
        sourceId: Uuid.nullable().default(null),
        origin: z.enum(['analyst', 'suggestion']).default('analyst'),
      })
      .strict(),
    output: AliasEntity,
  },
  'aliases.remove': { kind: 'mutation', input: z.object({ id: Uuid }).strict(), output: ok },
  /** Adds the shipped starter list's names the case file does not have yet. */
  'aliases.starter': { kind: 'mutation', input: z.object({}).strict(), output: z.object({ added: z.number() }) },
  'aliases.suggestions': {
    kind: 'query',
    input: z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict(),
    output: z.array(AliasSuggestion),
  },
  /** Accepts a suggestion: every name becomes a name of `entity`. */
  'aliases.accept': {
    kind: 'mutation',
    input: z.object({ kind: AliasKind, entity: Name, names: z.array(Name).min(1).max(100) }).strict(),
    output: AliasEntity,
  },
  /** Rejects a suggestion: the names are recorded as not the same, and not offered again. */
  'aliases.reject': {
    kind: 'mutation',
    input: z.object({ kind: AliasKind, names: z.array(Name).min(2).max(100) }).strict(),
    output: ok,
  },
} as const;
