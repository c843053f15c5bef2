import { GRANT_BASES } from '../protocol/consent.js';
import { Type, type Static } from '@sinclair/typebox';

/** Request schemas of the registry's API; types inferred from them. */
const Code = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
  description: 'letters, digits, dot, dash and underscore',
});
export const EndpointSchema = Type.Object(
  {
    method: Type.Union(['*', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].map((m) => Type.Literal(m))),
    path: Type.String({
      minLength: 1,
      maxLength: 512,
      pattern: '^/[^?#%\\\\]*$',
      description: 'a path; `*` is one segment, a final `**` any rest',
    }),
  },
  { additionalProperties: false },
);

export const SubsystemCreate = Type.Object(
  {
    agency: Type.String({ minLength: 1, maxLength: 120 }),
    code: Code,
    name: Type.String({ minLength: 1, maxLength: 300 }),
  },
  { additionalProperties: false },
);
export type SubsystemCreate = Static<typeof SubsystemCreate>;

export const ClientKeyCreate = Type.Object(
  { label: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export const ClientCertificateCreate = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: 200 }),
    certificate: Type.String({
      minLength: 1,
      maxLength: 20_000,
      description: 'the system’s TLS client certificate, PEM',
    }),
  },
  { additionalProperties: false },
);
export type ClientCertificateCreate = Static<typeof ClientCertificateCreate>;

/** The data dictionary's fields (ids) a service returns: a grant to one returning sensitive personal data needs a basis and a purpose. */
const ServiceFields = Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' }), {
  maxItems: 200,
  uniqueItems: true,
  description: 'ids of the data dictionary’s fields the service returns',
});
export const ServiceCreate = Type.Object(
  {
    subsystem: Type.String({ format: 'uuid' }),
    code: Code,
    title: Type.String({ minLength: 1, maxLength: 300 }),
    baseUrl: Type.String({
      format: 'uri',
      maxLength: 2000,
      description: 'the service inside the provider’s network, http(s)',
    }),
    openapi: Type.Object(
      { openapi: Type.String({ pattern: '^3\\.' }), paths: Type.Record(Type.String(), Type.Unknown()) },
      { additionalProperties: true, description: 'OpenAPI 3 document' },
    ),
    fields: Type.Optional(ServiceFields),
  },
  { additionalProperties: false },
);
export type ServiceCreate = Static<typeof ServiceCreate>;

export const ServicePatch = Type.Partial(
  Type.Object(
    {
      title: Type.String({ minLength: 1, maxLength: 300 }),
      baseUrl: Type.String({ format: 'uri', maxLength: 2000 }),
      enabled: Type.Boolean(),
      fields: ServiceFields,
      openapi: Type.Object(
        { openapi: Type.String({ pattern: '^3\\.' }), paths: Type.Record(Type.String(), Type.Unknown()) },
        { additionalProperties: true },
      ),
    },
    { additionalProperties: false },
  ),
  { additionalProperties: false },
);
export type ServicePatch = Static<typeof ServicePatch>;

export const GatewayRegister = Type.Object(
  {
    agency: Type.String({ minLength: 1, maxLength: 120 }),
    address: Type.String({
      format: 'uri',
      maxLength: 300,
      pattern: '^https://',
      description: 'https://host:port where other gateways reach it',
    }),
    signingKey: Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$', description: 'Ed25519 public key, 32 bytes in base64' }),
    tlsPublicKey: Type.String({
      minLength: 100,
      maxLength: 1000,
      pattern: '^-----BEGIN PUBLIC KEY-----',
      description: 'P-256 public key, SPKI PEM',
    }),
  },
  { additionalProperties: false },
);
export type GatewayRegister = Static<typeof GatewayRegister>;

export const GrantCreate = Type.Object(
  {
    client: Type.String({ format: 'uuid', description: 'the consumer subsystem' }),
    service: Type.String({ format: 'uuid' }),
    endpoints: Type.Optional(
      Type.Array(EndpointSchema, {
        maxItems: 100,
        description: 'empty or absent: every endpoint the service declares',
      }),
    ),
    purposes: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }), {
        maxItems: 20,
        description: 'purpose codes; a request must name one of them (X-Ndp-Purpose)',
      }),
    ),
    legalBasis: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    basis: Type.Optional(
      Type.Union(
        GRANT_BASES.map((b) => Type.Literal(b)),
        {
          description:
            'the legal basis as a code (Law 91/2025/QH15): consent — every call must carry the person’s consent artefact — or a case of processing without consent',
        },
      ),
    ),
    ratePerSecond: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    dailyQuota: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000 })),
    expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type GrantCreate = Static<typeof GrantCreate>;

export const GrantDecision = Type.Object(
  { decision: Type.Union([Type.Literal('approve'), Type.Literal('reject'), Type.Literal('revoke')]) },
  { additionalProperties: false },
);

export const GatewayReport = Type.Object(
  {
    checkpoint: Type.Optional(Type.String({ maxLength: 4000 })),
    metrics: Type.Optional(Type.Unknown()),
    accessRecords: Type.Optional(
      Type.Array(
        Type.Object(
          {
            subject: Type.String({ minLength: 3, maxLength: 64 }),
            at: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z$' }),
            id: Type.String({ minLength: 1, maxLength: 200 }),
            index: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
            client: Type.String({ maxLength: 1024 }),
            service: Type.String({ maxLength: 1024 }),
            purpose: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
            legalBasis: Type.Union([Type.String({ maxLength: 500 }), Type.Null()]),
            status: Type.Integer(),
          },
          { additionalProperties: false },
        ),
        { maxItems: 10_000 },
      ),
    ),
    // the same records grouped by what they share (client, service, purpose, legal basis, status): a third of the size,
    // and a third of the work to write, read and insert; a gateway sends these, `accessRecords` is still read
    accessRecordGroups: Type.Optional(
      Type.Array(
        Type.Object(
          {
            client: Type.String({ maxLength: 1024 }),
            service: Type.String({ maxLength: 1024 }),
            purpose: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
            legalBasis: Type.Union([Type.String({ maxLength: 500 }), Type.Null()]),
            status: Type.Integer(),
            // X-Road-Represented-Party, as the gateways checked it; absent or null when the client acted for itself
            representedParty: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 512 }), Type.Null()])),
            subjects: Type.Array(Type.String({ minLength: 3, maxLength: 64 }), { maxItems: 10_000 }),
            at: Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z$' }), { maxItems: 10_000 }),
            ids: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 10_000 }),
            // each record's entry in the reporting gateway's evidence log
            indexes: Type.Array(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }), { maxItems: 10_000 }),
            // each record's consent id ('' where it relied on none); absent when none did
            consents: Type.Optional(
              Type.Array(Type.Union([Type.Literal(''), Type.String({ format: 'uuid' })]), { maxItems: 10_000 }),
            ),
          },
          { additionalProperties: false },
        ),
        { maxItems: 1_000 },
      ),
    ),
  },
  { additionalProperties: false },
);
export type GatewayReport = Static<typeof GatewayReport>;

/** The most leaves a proof window may hold: a proof built from one costs as many hashes. */
export const PROOF_WINDOW_MAX_LEAVES = 64;
const b64 = (maxBytes: number) => ({ maxLength: Math.ceil(maxBytes / 3) * 4, pattern: '^[A-Za-z0-9+/]*={0,2}$' });
export const ProofWindowsReport = Type.Object(
  {
    windows: Type.Array(
      Type.Object(
        {
          from: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
          // the roots of the complete subtrees before `from`, largest first, and the leaf hashes from `from` on:
          // 32-byte hashes, concatenated, base64
          frontier: Type.String(b64(64 * 32)),
          leaves: Type.String({ minLength: 4, ...b64(PROOF_WINDOW_MAX_LEAVES * 32) }),
          checkpoint: Type.String({ maxLength: 4000 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);
export type ProofWindowsReport = Static<typeof ProofWindowsReport>;
