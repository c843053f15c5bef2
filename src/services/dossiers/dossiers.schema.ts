import { Type, type Static } from '@sinclair/typebox';

const FIELD_KEY = '^[a-z][a-z0-9_]{0,63}$';

/** What the applicant answers for one field. */
export const FieldAnswer = Type.Object(
  {
    dispute: Type.Optional(
      Type.Boolean({ description: 'a prefilled value is wrong: `value` is the right one, sent to the register' }),
    ),
    value: Type.Optional(
      Type.String({
        maxLength: 4000,
        description:
          'a typed or corrected value; ignored for an accepted prefilled field (its value is the register’s)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const SubmitBody = Type.Object(
  {
    prefill: Type.String({ format: 'uuid', description: 'the prefill the form was shown from' }),
    answers: Type.Record(Type.String({ pattern: FIELD_KEY }), FieldAnswer, { maxProperties: 200 }),
  },
  { additionalProperties: false },
);
export type SubmitBody = Static<typeof SubmitBody>;

export const DOSSIER_STATUSES = ['submitted', 'in_review', 'issued', 'rejected'] as const;

export const InboxQuery = Type.Object({
  agency: Type.Optional(Type.String({ maxLength: 100, description: 'one agency (id, slug or code); else all yours' })),
  status: Type.Optional(Type.Union(DOSSIER_STATUSES.map((s) => Type.Literal(s)))),
});

export const RejectBody = Type.Object(
  { note: Type.String({ minLength: 3, maxLength: 4000, description: 'why, for the applicant' }) },
  { additionalProperties: false },
);

export const IssueBody = Type.Object(
  {
    written: Type.Optional(
      Type.Record(Type.String({ pattern: FIELD_KEY }), Type.String({ maxLength: 4000 }), {
        maxProperties: 100,
        description: 'the result’s fields the officer writes (those not copied from the form)',
      }),
    ),
  },
  { additionalProperties: false },
);
