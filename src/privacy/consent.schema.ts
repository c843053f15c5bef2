import { Type, type Static } from '@sinclair/typebox';

/** What an agency's system sends to ask a person for consent. */
export const ConsentRequest = Type.Object(
  {
    subject: Type.String({
      minLength: 3,
      maxLength: 64,
      description: 'the person as the exchange names them (X-Road-UserId), e.g. VN001234567890',
    }),
    recipient: Type.String({ format: 'uuid', description: 'the subsystem that will call with the consent' }),
    services: Type.Array(
      Type.Object(
        {
          service: Type.String({ format: 'uuid' }),
          fields: Type.Optional(
            Type.Array(Type.String({ minLength: 1, maxLength: 128 }), {
              maxItems: 100,
              description: 'the fields the recipient will use; empty or absent: all the service returns',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
    purpose: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }),
    validUntil: Type.String({ format: 'date-time' }),
    usesPerDay: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    retentionDays: Type.Integer({ minimum: 0, maximum: 3650 }),
    note: Type.Optional(Type.String({ maxLength: 1000, description: 'shown to the person beside the request' })),
  },
  { additionalProperties: false },
);
export type ConsentRequest = Static<typeof ConsentRequest>;

export const ConsentDecision = Type.Object(
  { decision: Type.Union([Type.Literal('approve'), Type.Literal('refuse'), Type.Literal('withdraw')]) },
  { additionalProperties: false },
);
export type ConsentDecision = Static<typeof ConsentDecision>;
