import { Type, type Static } from '@sinclair/typebox';
import { FIELD_TYPES } from './procedure.js';

const Key = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', description: 'the field’s name in the form' });
const Element = Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()], {
  description: 'the data dictionary element (id) the field is bound to; null: asked of the applicant',
});
const Label = Type.String({ minLength: 1, maxLength: 200 });
const OptionalText = (max: number) => Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()]));

export const ProcedureFieldBody = Type.Object(
  {
    key: Key,
    label_vi: Label,
    label_en: OptionalText(200),
    element: Element,
    type: Type.Union(FIELD_TYPES.map((t) => Type.Literal(t))),
    required: Type.Boolean(),
    help_vi: OptionalText(500),
    help_en: OptionalText(500),
  },
  { additionalProperties: false },
);

export const ResultFieldBody = Type.Object(
  {
    key: Key,
    label_vi: Label,
    label_en: OptionalText(200),
    element: Element,
    from: Type.Union([Key, Type.Null()], { description: 'the form field it copies; null: written when issued' }),
  },
  { additionalProperties: false },
);

export const ProcedureBody = Type.Object(
  {
    code: Type.String({
      pattern: '^[0-9]\\.[0-9]{6}(\\.[0-9A-Z.]{1,30})?$',
      description: 'the code in the national list of administrative procedures, e.g. 1.004873',
    }),
    name_vi: Type.String({ minLength: 3, maxLength: 300 }),
    name_en: OptionalText(300),
    description_vi: Type.Optional(Type.String({ maxLength: 4000 })),
    description_en: OptionalText(4000),
    legal_basis: Type.String({ minLength: 3, maxLength: 1000 }),
    processing_days: Type.Integer({ minimum: 0, maximum: 365 }),
    fields: Type.Array(ProcedureFieldBody, { minItems: 1, maxItems: 60 }),
    result: Type.Object(
      {
        kind: Type.Union([Type.Literal('certificate'), Type.Literal('decision')]),
        title_vi: Label,
        title_en: OptionalText(200),
        validity_days: Type.Union([Type.Integer({ minimum: 1, maximum: 36500 }), Type.Null()]),
        fields: Type.Array(ResultFieldBody, { maxItems: 40 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type ProcedureBody = Static<typeof ProcedureBody>;

const Element_ = Type.String({ minLength: 1, maxLength: 100 });
const registerSource = {
  kind: Type.Literal('register'),
  database: Type.String({ format: 'uuid', description: 'the register of databases entry' }),
  service: Type.String({
    pattern: '^[^/\\s]+/[^/\\s]+/[^/\\s]+/[^/\\s]+/[^/\\s]+$',
    maxLength: 300,
    description: 'the exchange service, instance/class/member/subsystem/service',
  }),
  path: Type.String({
    pattern: '^/[A-Za-z0-9._~/{}-]*$',
    maxLength: 300,
    description: 'the path under the service; {person} stands for the person’s id number',
  }),
  field: Type.String({ pattern: '^(/[^/]+)+$', maxLength: 300, description: 'a JSON pointer into the answer' }),
};
const resultSource = {
  kind: Type.Literal('result'),
  procedure: Type.String({ format: 'uuid' }),
  field: Key,
};
const closed = { additionalProperties: false } as const;

/** A register's source as the dashboard's form sends it. */
export const RegisterSourceBody = Type.Object({ element: Element_, ...registerSource }, closed);
export const SourceBody = Type.Union([RegisterSourceBody, Type.Object({ element: Element_, ...resultSource }, closed)]);
/** `PUT /api/v1/services/sources/{element}`: the element is in the path. */
export const SourcePutBody = Type.Union([Type.Object(registerSource, closed), Type.Object(resultSource, closed)]);
export type SourceBody = Static<typeof SourceBody>;

export const DeskBody = Type.Object(
  {
    client: Type.String({ pattern: '^[^/\\s]+/[^/\\s]+/[^/\\s]+/[^/\\s]+$', maxLength: 300 }),
    gatewayUrl: Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 300 }),
    apiKey: Type.String({ minLength: 8, maxLength: 200 }),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 30000 })),
  },
  { additionalProperties: false },
);
export type DeskBody = Static<typeof DeskBody>;

/** `POST /api/v1/services/procedures`: the procedure and, here or in the query, its agency (key, slug or code). */
export const ProcedureCreateBody = Type.Object(
  { ...ProcedureBody.properties, agency: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) },
  closed,
);
export const AgencyQuery = Type.Object({ agency: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) });
export const ListQuery = Type.Object({
  agency: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  mine: Type.Optional(
    Type.Boolean({ description: 'every procedure, drafts too, of the agencies the caller works in' }),
  ),
});
export const StatusBody = Type.Object(
  { action: Type.Union([Type.Literal('publish'), Type.Literal('withdraw')]) },
  closed,
);
export const CodeParams = Type.Object({ code: Type.String({ maxLength: 60 }) });
export const ElementParams = Type.Object({ element: Type.String({ minLength: 1, maxLength: 100 }) });
export const AgencyParams = Type.Object({ agency: Type.String({ minLength: 1, maxLength: 100 }) });
