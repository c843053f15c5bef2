import { Type, type Static } from '@sinclair/typebox';

export const REQUEST_KINDS = [
  'access',
  'correction',
  'deletion',
  'restriction',
  'objection',
  'withdraw_consent',
] as const;

/** What a person files: the kind of request and what they ask, in their words. */
export const RequestFiling = Type.Object(
  {
    kind: Type.Union(REQUEST_KINDS.map((k) => Type.Literal(k))),
    details: Type.String({ minLength: 1, maxLength: 4000, description: 'what the person asks, in their words' }),
  },
  { additionalProperties: false },
);
export type RequestFiling = Static<typeof RequestFiling>;

/** An agency's step on a request. */
export const RequestStep = Type.Union([
  Type.Object(
    {
      step: Type.Literal('acknowledge'),
      thirdParty: Type.Optional(
        Type.Boolean({ description: 'a processor or a third party must act: the answer is due in 20 days, not 15' }),
      ),
    },
    { additionalProperties: false },
  ),
  Type.Object({ step: Type.Literal('third_party'), thirdParty: Type.Boolean() }, { additionalProperties: false }),
  Type.Object(
    {
      step: Type.Literal('extend'),
      days: Type.Integer({ minimum: 1, maximum: 15 }),
      reason: Type.String({ minLength: 3, maxLength: 2000 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { step: Type.Literal('complete'), note: Type.String({ minLength: 1, maxLength: 4000 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { step: Type.Literal('refuse'), reason: Type.String({ minLength: 3, maxLength: 4000 }) },
    { additionalProperties: false },
  ),
]);
export type RequestStep = Static<typeof RequestStep>;

export const InboxQuery = Type.Object({
  agency: Type.Optional(
    Type.String({ maxLength: 100, description: 'one agency (id, slug or code); else all of yours' }),
  ),
});
