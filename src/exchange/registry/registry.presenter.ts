import type { AccessRecordRow, GatewayRow, GrantRow, ServiceRow, SubsystemRow } from './registry.rows.js';
import type { MembersService } from './members.service.js';
import { MEMBER_CLASS } from './registry.rules.js';
import { endpointsOf } from '../protocol/paths.js';
import type { GrantGap } from './personal-data-rule.js';

/** Shapes every registry response; raw rows never leave. */
export const presentSubsystem = (s: SubsystemRow) => ({
  id: s.id,
  agencyId: s.agency_id,
  memberClass: MEMBER_CLASS,
  memberCode: s.member_code,
  agencyName: s.agency_name,
  code: s.code,
  name: s.name,
});

/**
 * A service as the directory shows it: what it is, who offers it and its endpoints, for anyone looking for data to ask
 * for. `internal` (the providing agency's administrators and the supervisor, as the service decides) adds the address
 * only the provider's gateway calls.
 */
export const presentService = (v: ServiceRow, instance: string, internal: boolean) => ({
  id: v.id,
  subsystemId: v.subsystem_id,
  code: v.code,
  title: v.title,
  enabled: v.enabled,
  serviceId: `${instance}/${MEMBER_CLASS}/${v.member_code}/${v.subsystem_code}/${v.code}`,
  ...(internal ? { baseUrl: v.base_url } : {}),
  endpoints: endpointsOf(v.openapi),
  fields: v.fields,
});

/** An OpenAPI document without its `servers` (at the top, on each path and each operation): those are internal addresses. */
export function publicOpenApi(doc: unknown): unknown {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return doc;
  const { servers: _top, paths, ...rest } = doc as Record<string, unknown>;
  if (!paths || typeof paths !== 'object' || Array.isArray(paths)) return rest;
  const clean = (o: unknown): unknown => {
    if (!o || typeof o !== 'object' || Array.isArray(o)) return o;
    const { servers: _s, ...kept } = o as Record<string, unknown>;
    return kept;
  };
  return {
    ...rest,
    paths: Object.fromEntries(
      Object.entries(paths as Record<string, unknown>).map(([path, item]) => {
        const kept = clean(item);
        if (!kept || typeof kept !== 'object') return [path, kept];
        return [path, Object.fromEntries(Object.entries(kept).map(([k, op]) => [k, clean(op)]))];
      }),
    ),
  };
}

export const presentGateway = (g: GatewayRow) => ({
  id: g.id,
  agencyId: g.agency_id,
  memberCode: g.member_code,
  agencyName: g.agency_name,
  address: g.address,
  signingKey: g.signing_key,
  certificate: g.certificate,
  createdAt: g.created_at.toISOString(),
  lastSeenAt: g.last_seen_at?.toISOString() ?? null,
  lastReport: g.last_report ?? null,
});

export const presentGrant = (g: GrantRow, instance: string) => ({
  id: g.id,
  status: g.status,
  client: `${instance}/${MEMBER_CLASS}/${g.client_member_code}/${g.client_code}`,
  clientSubsystemId: g.client_subsystem_id,
  service: `${instance}/${MEMBER_CLASS}/${g.provider_member_code}/${g.provider_subsystem_code}/${g.service_code}`,
  serviceId: g.service_id,
  endpoints: g.endpoints,
  purposes: g.purposes,
  legalBasis: g.legal_basis,
  basis: g.basis,
  ratePerSecond: g.rate_per_second,
  dailyQuota: g.daily_quota,
  expiresAt: g.expires_at?.toISOString() ?? null,
  createdAt: g.created_at.toISOString(),
  decidedAt: g.decided_at?.toISOString() ?? null,
});

/** A grant breaking the sensitive-data rule: the grant, the service's sensitive fields, what it lacks. */
export const presentGrantGap = (g: GrantGap, instance: string) => ({
  ...presentGrant(g.grant, instance),
  sensitiveFields: g.sensitiveFields,
  missing: g.missing,
});

type Credentials = Awaited<ReturnType<MembersService['credentials']>>;
const iso = (d: Date | null) => (d ? d.toISOString() : null);
/** A subsystem's credentials: what they are and when, never a key's hash. */
export const presentCredentials = (c: Credentials) => ({
  keys: c.keys.map((k) => ({ id: k.id, label: k.label, createdAt: iso(k.created_at), revokedAt: iso(k.revoked_at) })),
  certificates: c.certificates.map((x) => ({
    id: x.id,
    label: x.label,
    fingerprint: x.fingerprint,
    subject: x.subject,
    notAfter: iso(x.not_after),
    createdAt: iso(x.created_at),
    revokedAt: iso(x.revoked_at),
  })),
});

/**
 * Who read a person's data, one exchange: `gateway` and `logIndex` name the provider gateway's evidence log entry,
 * whose inclusion that gateway proves (records from before migration 0018 have no index).
 */
export const presentAccessRecord = (r: AccessRecordRow) => ({
  at: iso(r.at),
  id: r.message_id,
  client: r.client,
  service: r.service,
  purpose: r.purpose,
  legalBasis: r.legal_basis,
  representedParty: r.represented_party,
  status: r.status,
  gateway: r.gateway_id,
  logIndex: Number(r.log_index) >= 0 ? Number(r.log_index) : null,
  consent: r.consent_id,
});
