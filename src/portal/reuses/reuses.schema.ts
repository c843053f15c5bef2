import { type Static, Type } from '@sinclair/typebox';
import { REUSE_KINDS } from './reuses.repository.js';

/** Loose bounds at the edge; the service says precisely what is wrong, in both languages (`reuse-rules.ts`). */
export const ReuseBody = Type.Object(
  {
    kind: Type.Union(REUSE_KINDS.map((k) => Type.Literal(k))),
    title: Type.String({ maxLength: 400 }),
    description: Type.String({ maxLength: 8000 }),
    url: Type.String({ maxLength: 2000 }),
    image_url: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    /** the data sets it uses, by slug or id */
    datasets: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 40 }),
  },
  { additionalProperties: false },
);
export type ReuseBody = Static<typeof ReuseBody>;

export const HideBody = Type.Object({ reason: Type.String({ maxLength: 4000 }) }, { additionalProperties: false });
export type HideBody = Static<typeof HideBody>;

export const ReuseListQuery = Type.Object({
  kind: Type.Optional(Type.Union(REUSE_KINDS.map((k) => Type.Literal(k)))),
  dataset: Type.Optional(Type.String({ maxLength: 200 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});
export type ReuseListQuery = Static<typeof ReuseListQuery>;
