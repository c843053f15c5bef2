import { signConfiguration, type ExchangeConfiguration } from '../protocol/configuration.js';
import { endpointsOf } from '../protocol/paths.js';
import { rawEd25519, spkiPin } from '../protocol/pki.js';
import type { AuthorityService } from './authority.service.js';
import type { GatewaysService } from './gateways.service.js';
import type { GrantsService } from './grants.service.js';
import type { MembersService } from './members.service.js';
import type { GatewayRow } from './registry.rows.js';
import { MEMBER_CLASS, type RegistryOptions } from './registry.rules.js';

/**
 * Builds each gateway's own configuration from the registry's areas — members and their credentials, services,
 * grants, gateways, the authority's keys — and signs it (JWS, the registry's Ed25519 key). Every gateway fetches
 * one every minute: the CA's upkeep (renewals, retiring the CA before a switch) runs here first.
 */
export class ConfigurationService {
  constructor(
    private readonly o: RegistryOptions,
    private readonly authority: AuthorityService,
    private readonly members: MembersService,
    private readonly grants: GrantsService,
    private readonly gateways: GatewaysService,
  ) {}

  /** The gateway's own configuration, signed. Internal: the gateway was authenticated by the caller (`authenticateGateway`). */
  async configurationFor(gateway: GatewayRow): Promise<string> {
    await this.authority.renewCertificates();
    await this.authority.retirePreviousCa();
    const a = await this.authority.authority();
    const version = await this.gateways.fetching(gateway.id);
    const [gateways, services, grants, members, keys, certificates] = await Promise.all([
      this.gateways.activeGateways(),
      this.grants.listServices(),
      this.grants.approvedGrants(gateway.agency_id),
      this.members.members(),
      this.members.clientKeys(gateway.agency_id),
      this.members.clientCertificates(gateway.agency_id),
    ]);
    const gatewayOf = new Map(gateways.map((g) => [g.agency_id, g.id]));
    const now = new Date();
    const memberMap = new Map<string, ExchangeConfiguration['members'][number]>();
    for (const m of members) {
      const entry = memberMap.get(m.member_code) ?? {
        memberClass: MEMBER_CLASS,
        memberCode: m.member_code,
        name: m.name,
        subsystems: [],
      };
      entry.subsystems.push({ code: m.subsystem_code, name: m.subsystem_name });
      memberMap.set(m.member_code, entry);
    }
    const clients = new Map<string, { keyHashes: string[]; certificates: string[] }>();
    const client = (code: string) => {
      let c = clients.get(code);
      if (!c) {
        c = { keyHashes: [], certificates: [] };
        clients.set(code, c);
      }
      return c;
    };
    for (const k of keys) client(k.subsystem_code).keyHashes.push(k.key_hash);
    for (const c of certificates) client(c.subsystem_code).certificates.push(c.fingerprint);
    const config: ExchangeConfiguration = {
      instance: this.o.instance,
      version,
      issuedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.o.validityHours * 3_600_000).toISOString(),
      gateway: gateway.id,
      ca: this.authority.trustedCas(a),
      members: [...memberMap.values()],
      gateways: gateways.map((g) => ({
        id: g.id,
        memberClass: MEMBER_CLASS,
        memberCode: g.member_code,
        address: g.address,
        signingKey: g.signing_key,
        tlsPin: spkiPin(g.tls_public_key),
        certificate: g.certificate,
      })),
      services: services
        .filter((v) => v.enabled && gatewayOf.has(v.agency_id))
        .map((v) => ({
          memberClass: MEMBER_CLASS,
          memberCode: v.member_code,
          subsystemCode: v.subsystem_code,
          serviceCode: v.code,
          title: v.title,
          endpoints: endpointsOf(v.openapi),
          gateway: gatewayOf.get(v.agency_id)!,
          ...(v.agency_id === gateway.agency_id ? { baseUrl: v.base_url, openapi: v.openapi } : {}),
        })),
      grants: grants
        .filter((g) => !g.expires_at || g.expires_at > now)
        .map((g) => ({
          id: g.id,
          client: { memberClass: MEMBER_CLASS, memberCode: g.client_member_code, subsystemCode: g.client_code },
          service: {
            memberClass: MEMBER_CLASS,
            memberCode: g.provider_member_code,
            subsystemCode: g.provider_subsystem_code,
            serviceCode: g.service_code,
          },
          endpoints: g.endpoints,
          purposes: g.purposes,
          legalBasis: g.legal_basis,
          basis: g.basis,
          ratePerSecond: g.rate_per_second,
          dailyQuota: g.daily_quota,
          expiresAt: g.expires_at?.toISOString() ?? null,
        })),
      clients: [...clients.entries()].map(([subsystemCode, c]) => ({ subsystemCode, ...c })),
      ...(a.next ? { nextSigningKey: rawEd25519(a.next).toString('base64') } : {}),
    };
    return signConfiguration(config, a.signing);
  }
}
