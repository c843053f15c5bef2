import { Type, type Static } from '@sinclair/typebox';

const When = Type.String({ format: 'date-time' });

/** What an agency's administrator records of a personal-data breach. */
export const BreachCreate = Type.Object(
  {
    agency: Type.String({ minLength: 1, maxLength: 120, description: 'the agency (code or id) that suffered it' }),
    detectedAt: Type.Optional(When),
    windowFrom: When,
    windowUntil: When,
    description: Type.String({ minLength: 1, maxLength: 5000, description: 'what happened' }),
    services: Type.Array(Type.String({ format: 'uuid' }), {
      minItems: 1,
      maxItems: 50,
      uniqueItems: true,
      description: 'the agency’s exchange services whose answers may have leaked',
    }),
  },
  { additionalProperties: false },
);
export type BreachCreate = Static<typeof BreachCreate>;

/** The agency's edit of the drafted notification, before it is sent. */
export const BreachNotificationPatch = Type.Object(
  {
    notificationVi: Type.String({ minLength: 1, maxLength: 20_000 }),
    notificationEn: Type.String({ minLength: 1, maxLength: 20_000 }),
    version: Type.Integer({ minimum: 1, description: 'the version edited: a stale edit is refused' }),
  },
  { additionalProperties: false },
);
export type BreachNotificationPatch = Static<typeof BreachNotificationPatch>;

export const BreachPeopleQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
    after: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$', description: 'the last hash of the page before' })),
  },
  { additionalProperties: false },
);

export const BreachListQuery = Type.Object(
  {
    agency: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    overdue: Type.Optional(Type.Boolean({ description: 'only those not notified within 72 hours of detection' })),
  },
  { additionalProperties: false },
);
