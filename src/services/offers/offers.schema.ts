import { Type, type Static } from '@sinclair/typebox';

/** At most this many keys in an event's data, each value a short scalar: an event names a fact, it carries no file. */
export const MAX_DATA_KEYS = 20;
export const EVENT_KIND = '^[a-z][a-z0-9_]{0,39}(\\.[a-z][a-z0-9_]{0,39}){1,3}$';

const Scalar = Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean(), Type.Null()]);

export const EventBody = Type.Object(
  {
    id: Type.String({
      minLength: 1,
      maxLength: 100,
      pattern: '^[A-Za-z0-9._:/-]+$',
      description: 'the event’s id in the announcing register: the same id announced again is recognised',
    }),
    kind: Type.String({ pattern: EVENT_KIND, description: 'e.g. birth.registered, business.registered' }),
    person: Type.String({
      pattern: '^(VN)?[0-9]{12}$',
      description: 'the person the event concerns: the X-Road user id VN + CCCD, or the 12-digit CCCD',
    }),
    occurredAt: Type.String({
      pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9:.]+(Z|[+-][0-9]{2}:[0-9]{2}))?$',
      description: 'when it happened: a date (2026-12-03) or an ISO date-time',
    }),
    data: Type.Optional(
      Type.Record(Type.String({ pattern: '^[a-zA-Z0-9_]{1,40}$' }), Scalar, {
        maxProperties: MAX_DATA_KEYS,
        description: `up to ${MAX_DATA_KEYS} small values the rule’s message may name ({key}); keyed by dictionary element, they prefill the offered procedure’s fields bound to it`,
      }),
    ),
    agency: Type.Optional(
      Type.String({ maxLength: 100, description: 'the announcing agency (id, key or code); by default the token’s' }),
    ),
  },
  { additionalProperties: false },
);
export type EventBody = Static<typeof EventBody>;

export const RuleBody = Type.Object(
  {
    procedure: Type.String({
      maxLength: 60,
      description: 'the code of the procedure offered (the rule’s agency decides it)',
    }),
    event_kind: Type.String({ pattern: EVENT_KIND }),
    from_agency: Type.String({ maxLength: 100, description: 'the announcing agency (id, key or code)' }),
    message_vi: Type.String({ minLength: 1, maxLength: 300, description: '{date}: the event’s date; {key}: its data' }),
    message_en: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 300 }), Type.Null()])),
    offer_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
  },
  { additionalProperties: false },
);
export type RuleBody = Static<typeof RuleBody>;

export const RuleActiveBody = Type.Object({ active: Type.Boolean() }, { additionalProperties: false });

export const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const Decision = Type.Object({
  id: Type.String({ format: 'uuid' }),
  decision: Type.Union([Type.Literal('accept'), Type.Literal('decline')]),
});
