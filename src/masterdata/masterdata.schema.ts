import { Type, type Static } from '@sinclair/typebox';

export const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
};

export const AGENCY_KINDS = [
  'ministry',
  'ministerial_agency',
  'government_agency',
  'province',
  'commune',
  'other',
] as const;
const Kind = Type.Union(AGENCY_KINDS.map((k) => Type.Literal(k)));

export const AgencyListQuery = Type.Object(
  {
    kind: Type.Optional(Kind),
    parent: Type.Optional(Type.String({ maxLength: 100 })),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    ...Paging,
  },
  { additionalProperties: false },
);

const agencyFields = {
  code: Type.String({
    pattern: '^\\d{3}\\.\\d{2}\\.\\d{2}\\.[A-Z]\\d{2}$',
    description: 'Electronic identifier code (QĐ 20/2020/QĐ-TTg), e.g. 000.00.00.G12',
  }),
  slug: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,99}$' }),
  name_vi: Type.String({ minLength: 1, maxLength: 300 }),
  name_en: Type.Optional(Type.String({ maxLength: 300 })),
  abbreviation: Type.Optional(Type.String({ maxLength: 30 })),
  kind: Kind,
  parent_id: Type.Optional(Type.String({ format: 'uuid' })),
  unit_code: Type.Optional(Type.String({ pattern: '^\\d{2}(\\d{3})?$' })),
  website: Type.Optional(Type.String({ format: 'uri', maxLength: 500 })),
  email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
};
export const AgencyBody = Type.Object(agencyFields, { additionalProperties: false });
export type AgencyBody = Static<typeof AgencyBody>;
export const AgencyPatch = Type.Partial(Type.Object(agencyFields), { additionalProperties: false, minProperties: 1 });

export const KeyParam = Type.Object({ key: Type.String({ minLength: 1, maxLength: 120 }) });
export const CodeParam = Type.Object({ code: Type.String({ pattern: '^\\d{2}(\\d{3})?$' }) });

export const UnitListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    level: Type.Optional(Type.Union([Type.Literal('province'), Type.Literal('commune')])),
    province: Type.Optional(Type.String({ pattern: '^\\d{2}$' })),
    ...Paging,
  },
  { additionalProperties: false },
);
export const CrosswalkQuery = Type.Object(
  { old: Type.String({ pattern: '^\\d{2,5}$' }) },
  { additionalProperties: false },
);

export const LicenceBody = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9.+-]{1,39}$' }),
    title_vi: Type.String({ minLength: 1, maxLength: 200 }),
    title_en: Type.String({ minLength: 1, maxLength: 200 }),
    url: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 500 }),
    is_open: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type LicenceBody = Static<typeof LicenceBody>;
