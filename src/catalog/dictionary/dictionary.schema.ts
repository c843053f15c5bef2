import { Type, type Static } from '@sinclair/typebox';
import { PERSONAL_DATA_CATEGORIES } from '../personal-data.js';

const lit = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const FRICTIONLESS_TYPES = [
  'string',
  'number',
  'integer',
  'boolean',
  'object',
  'array',
  'date',
  'time',
  'datetime',
  'year',
  'yearmonth',
  'duration',
  'geopoint',
  'geojson',
  'any',
] as const;
/** The shared code lists a field can name (the master data's administrative units, `/api/v1/units`). */
export const CODE_LISTS = ['vn-provinces', 'vn-communes', 'vn-admin-units'] as const;

export const Constraints = Type.Object(
  {
    required: Type.Optional(Type.Boolean()),
    unique: Type.Optional(Type.Boolean()),
    minimum: Type.Optional(Type.Union([Type.Number(), Type.String()])),
    maximum: Type.Optional(Type.Union([Type.Number(), Type.String()])),
    minLength: Type.Optional(Type.Integer({ minimum: 0 })),
    maxLength: Type.Optional(Type.Integer({ minimum: 0 })),
    pattern: Type.Optional(Type.String({ maxLength: 500 })),
    enum: Type.Optional(Type.Array(Type.Union([Type.String(), Type.Number()]), { maxItems: 1000 })),
  },
  { additionalProperties: false },
);

/** A field's stable machine name, e.g. `so_dinh_danh_ca_nhan`. */
export const FieldId = Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' });
export const FieldParam = Type.Object({ id: FieldId });

/** One entry of an inline code list. */
export const Code = Type.Object(
  { code: Text(60), label_vi: Text(200), label_en: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);
export type Code = Static<typeof Code>;

const fieldContent = {
  label_vi: Text(200),
  label_en: Text(200),
  description_vi: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
  description_en: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
  type: lit(FRICTIONLESS_TYPES),
  format: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
  /** UCUM (`kg`, `km2`, `a`) or a plain unit (`người`, `đồng`) */
  unit: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
  constraints: Type.Optional(Constraints),
  code_list: Type.Optional(Type.Union([lit(CODE_LISTS), Type.Null()])),
  codes: Type.Optional(Type.Union([Type.Array(Code, { maxItems: 500 }), Type.Null()])),
  agency_id: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
  /** the personal data the field holds, by Decree 356's categories (catalog/personal-data.ts); null: none */
  personal_data: Type.Optional(Type.Union([lit(PERSONAL_DATA_CATEGORIES), Type.Null()])),
};
export const DictionaryFieldBody = Type.Object({ id: FieldId, ...fieldContent }, { additionalProperties: false });
export type DictionaryFieldBody = Static<typeof DictionaryFieldBody>;
export const DictionaryFieldPatch = Type.Partial(Type.Object(fieldContent), {
  additionalProperties: false,
  minProperties: 1,
});
export type DictionaryFieldPatch = Static<typeof DictionaryFieldPatch>;

/** A proposal: a new field (its id and content) or a change of one (its id and what changes). */
export const ProposalBody = Type.Partial(
  Type.Object({
    id: FieldId,
    /** `new`: refused if the id exists; `change`: refused if it does not; absent: by whether the id exists */
    kind: lit(['new', 'change'] as const),
    ...fieldContent,
  }),
  {
    additionalProperties: false,
  },
);
export type ProposalBody = Static<typeof ProposalBody>;

export const DecisionBody = Type.Object(
  { decision: lit(['approve', 'reject'] as const), comment: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
export type DecisionBody = Static<typeof DecisionBody>;

export const ProposalParam = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const PERSONAL_FILTERS = ['none', 'any', 'basic', 'sensitive'] as const;
export const DictionaryQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  /** an agency's id, or `shared` for the platform's own fields */
  agency: Type.Optional(Type.String({ maxLength: 40 })),
  personal: Type.Optional(lit(PERSONAL_FILTERS)),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
});
export type DictionaryQuery = Static<typeof DictionaryQuery>;

export const ExportQuery = Type.Object({
  /** field ids, comma-separated: a selection; none: every field (of the agency, if given) */
  ids: Type.Optional(Type.String({ maxLength: 20_000 })),
  agency: Type.Optional(Type.String({ maxLength: 40 })),
});

/** A Frictionless Table Schema whose fields become proposals; checked field by field by the service. */
export const ImportBody = Type.Object(
  {
    /** the agency the new fields would belong to; null or absent: the platform's shared fields */
    agency_id: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
    schema: Type.Object({ fields: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 500 }) }),
  },
  { additionalProperties: false },
);
export type ImportBody = Static<typeof ImportBody>;
