import { Type, type Static } from '@sinclair/typebox';
import { FREQUENCIES } from '../masterdata/vocabularies.js';
import { Constraints, FieldId, FRICTIONLESS_TYPES } from './dictionary/dictionary.schema.js';

const lit = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Slug = Type.String({
  pattern: '^[a-z0-9][a-z0-9_-]{1,99}$',
  description: 'URL name (lower case, digits, - and _)',
});
const UnitCode = Type.String({ pattern: '^\\d{2}(\\d{3})?$' });
const DateOnly = Type.String({ format: 'date' });

export const ACCESS_RIGHTS = ['public', 'restricted', 'non_public'] as const;
export const DATASET_STATUSES = ['draft', 'published', 'archived'] as const;

const datasetFields = {
  slug: Type.Optional(Slug),
  agency_id: Type.String({ format: 'uuid' }),
  database_id: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])),
  title_vi: Text(300),
  title_en: Type.Optional(Type.String({ maxLength: 300 })),
  description_vi: Text(20_000),
  description_en: Type.Optional(Type.String({ maxLength: 20_000 })),
  keywords: Type.Optional(Type.Array(Text(80), { maxItems: 50, uniqueItems: true })),
  themes: Type.Optional(Type.Array(Text(40), { maxItems: 20, uniqueItems: true })),
  spatial: Type.Optional(Type.Array(UnitCode, { maxItems: 500, uniqueItems: true })),
  temporal_start: Type.Optional(Type.Union([DateOnly, Type.Null()])),
  temporal_end: Type.Optional(Type.Union([DateOnly, Type.Null()])),
  licence_id: Type.Optional(Type.Union([Text(40), Type.Null()])),
  access_rights: Type.Optional(lit(ACCESS_RIGHTS)),
  update_frequency: Type.Optional(lit(FREQUENCIES)),
  contact_name: Type.Optional(Type.String({ maxLength: 200 })),
  contact_email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
};
export const DatasetBody = Type.Object(datasetFields, { additionalProperties: false });
export type DatasetBody = Static<typeof DatasetBody>;
const { agency_id: _agency, ...patchable } = datasetFields;
export const DatasetPatch = Type.Partial(Type.Object(patchable), { additionalProperties: false, minProperties: 1 });
export type DatasetPatch = Static<typeof DatasetPatch>;

export const StatusBody = Type.Object({ status: lit(DATASET_STATUSES) }, { additionalProperties: false });

export const LinkBody = Type.Object(
  {
    title_vi: Text(300),
    title_en: Type.Optional(Type.String({ maxLength: 300 })),
    description: Type.Optional(Type.String({ maxLength: 5000 })),
    url: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 }),
    format: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9.+-]{1,20}$' })),
    media_type: Type.Optional(Type.String({ pattern: '^[a-z]+/[a-zA-Z0-9.+-]+$', maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type LinkBody = Static<typeof LinkBody>;

export { CODE_LISTS, FRICTIONLESS_TYPES } from './dictionary/dictionary.schema.js';

/** A Frictionless Table Schema whose fields may point at dictionary entries. */
export const TableSchemaBody = Type.Object(
  {
    fields: Type.Array(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 120 }),
          dictionary: Type.Optional(FieldId),
          type: Type.Optional(lit(FRICTIONLESS_TYPES)),
          format: Type.Optional(Type.String({ maxLength: 100 })),
          title: Type.Optional(Type.String({ maxLength: 200 })),
          description: Type.Optional(Type.String({ maxLength: 2000 })),
          constraints: Type.Optional(Constraints),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1000 },
    ),
    primaryKey: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String(), { maxItems: 20 })])),
    missingValues: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export type TableSchemaBody = Static<typeof TableSchemaBody>;

const registerFields = {
  agency_id: Type.String({ format: 'uuid' }),
  name_vi: Text(300),
  name_en: Type.Optional(Type.String({ maxLength: 300 })),
  purpose: Text(5000),
  scope: Text(5000),
  content: Text(10000),
  collection_mechanism: Text(5000),
  update_mechanism: Text(5000),
  data_sources: Text(5000),
  legal_basis: Text(5000),
  category: lit(['national', 'specialised', 'shared', 'master', 'big_data'] as const),
  access_class: lit(['open', 'shared', 'private'] as const),
  importance: lit(['core', 'important', 'other'] as const),
  status: lit(['planned', 'building', 'operating', 'retired'] as const),
};
export const DatabaseBody = Type.Object(registerFields, { additionalProperties: false });
export type DatabaseBody = Static<typeof DatabaseBody>;
const { agency_id: _a2, ...registerPatchable } = registerFields;
export const DatabasePatch = Type.Partial(Type.Object(registerPatchable), {
  additionalProperties: false,
  minProperties: 1,
});
export type DatabasePatch = Static<typeof DatabasePatch>;

export const SEARCH_SORTS = [
  'relevance',
  'modified_desc',
  'modified_asc',
  'title_asc',
  'title_desc',
  'issued_desc',
  'name_asc',
  'id_asc',
  // the most viewed (all time, or the last 14 days as CKAN's views_recent) and most downloaded first (portal/counts)
  'views_desc',
  'views_recent_desc',
  'downloads_desc',
] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

export const SearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 500 })),
    agency: Type.Optional(Type.Array(Type.String({ maxLength: 120 }), { maxItems: 20 })),
    theme: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 })),
    format: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 20 })),
    licence: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 })),
    keyword: Type.Optional(Type.Array(Type.String({ maxLength: 80 }), { maxItems: 20 })),
    province: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{2}$' }), { maxItems: 34 })),
    status: Type.Optional(lit(DATASET_STATUSES)),
    sort: Type.Optional(lit(SEARCH_SORTS)),
    limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, default: 20 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
    facet_limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuery>;

export const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 120 }) });
export const PagingQuery = Type.Object(
  {
    agency: Type.Optional(Type.String({ maxLength: 120 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);
