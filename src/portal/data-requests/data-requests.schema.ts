import { Type, type Static } from '@sinclair/typebox';

export const STATUSES = ['triage', 'open', 'in_progress', 'published', 'refused', 'not_held'] as const;
const AgencyKey = Type.String({ minLength: 1, maxLength: 100, description: 'an agency (id, slug or code)' });

/** What a public user asks for. */
export const DataRequestBody = Type.Object(
  {
    title: Type.String({ minLength: 3, maxLength: 200 }),
    description: Type.String({ minLength: 10, maxLength: 4000, description: 'the data wanted, as precisely as known' }),
    purpose: Type.String({ minLength: 3, maxLength: 2000, description: 'what the data is for' }),
    agency: Type.Optional(
      Type.Union([AgencyKey, Type.Null()], {
        description: 'the agency that should hold it; absent or null: the platform’s administrators find it',
      }),
    ),
    showName: Type.Optional(
      Type.Boolean({ description: 'show the requester’s display name publicly (else “a citizen”)' }),
    ),
  },
  { additionalProperties: false },
);
export type DataRequestBody = Static<typeof DataRequestBody>;

/** An agency's step on a request (or, in triage, the administrators' choice of agency). */
export const DataRequestStep = Type.Union([
  Type.Object({ step: Type.Literal('start') }, { additionalProperties: false }),
  Type.Object(
    { step: Type.Literal('extend'), reason: Type.String({ minLength: 3, maxLength: 2000 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      step: Type.Literal('publish'),
      dataset: Type.String({ minLength: 1, maxLength: 200, description: 'the published data set (id or slug)' }),
      answer: Type.Optional(Type.String({ maxLength: 4000 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      step: Type.Literal('refuse'),
      answer: Type.String({ minLength: 3, maxLength: 4000, description: 'the reason' }),
      legalGround: Type.String({
        minLength: 3,
        maxLength: 500,
        description: 'the provision refusing it, e.g. Luật Tiếp cận thông tin 2016, Điều 6',
      }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      step: Type.Literal('not_held'),
      answer: Type.String({ minLength: 3, maxLength: 4000 }),
      redirectTo: Type.Optional(AgencyKey),
    },
    { additionalProperties: false },
  ),
  Type.Object({ step: Type.Literal('assign'), agency: AgencyKey }, { additionalProperties: false }),
]);
export type DataRequestStep = Static<typeof DataRequestStep>;

export const ListQuery = Type.Object({
  agency: Type.Optional(AgencyKey),
  status: Type.Optional(Type.Union(STATUSES.map((s) => Type.Literal(s)))),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  offset: Type.Integer({ minimum: 0, maximum: 100_000, default: 0 }),
});
export type ListQuery = Static<typeof ListQuery>;

export const CountsQuery = Type.Object({ agency: Type.Optional(AgencyKey) });
