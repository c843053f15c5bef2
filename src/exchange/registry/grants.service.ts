import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError, invalid } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { actorOf, hasAgencyRole, requireAgencyRole, requireUser, type Principal } from '../../accounts/principal.js';
import { endpointsOf } from '../protocol/paths.js';
import { GrantsRepository } from './grants.repository.js';
import type { MembersService } from './members.service.js';
import type { GrantRow } from './registry.rows.js';
import type { GrantCreate, ServicePatch, ServiceCreate } from './registry.schema.js';
import { change, checkServiceUrl, conflict, type RegistryOptions } from './registry.rules.js';
import {
  grantGaps,
  sensitiveFields,
  sensitiveGrantRefused,
  unknownFields,
  type GrantGap,
} from './personal-data-rule.js';

/** The services subsystems offer, and the grants to them: a client's administrator asks, the provider's approves. */
export class GrantsService {
  private readonly repo: GrantsRepository;

  constructor(
    db: Kysely<any>,
    private readonly o: RegistryOptions,
    private readonly members: MembersService,
  ) {
    this.repo = new GrantsRepository(db);
  }

  async createService(p: Principal, body: ServiceCreate) {
    const s = await this.members.subsystem(body.subsystem);
    if (!s) throw invalid([{ field: 'subsystem', vi: 'Không có hệ thống này.', en: 'No such subsystem.' }]);
    requireAgencyRole(p, s.agency_id, 'agency_admin');
    checkServiceUrl(body.baseUrl);
    if (endpointsOf(body.openapi).length === 0)
      throw invalid([
        {
          field: 'openapi',
          vi: 'Tài liệu OpenAPI không khai báo điểm cuối nào.',
          en: 'The OpenAPI document declares no endpoint.',
        },
      ]);
    const fields = body.fields ?? [];
    const unknown = await unknownFields(this.o.fieldFlags, fields);
    if (unknown.length) throw invalid(unknown);
    const id = randomUUID();
    await change(p, this.repo, async (trx) => {
      if (await this.repo.serviceCodeTaken(trx, s.id, body.code)) {
        throw conflict(
          `Hệ thống đã có dịch vụ mã “${body.code}”.`,
          `The subsystem already has a service “${body.code}”.`,
        );
      }
      await this.repo.insertService(trx, {
        id,
        subsystem_id: s.id,
        code: body.code,
        title: body.title,
        base_url: body.baseUrl,
        openapi: body.openapi,
        fields,
      });
      await recordAudit(trx, actorOf(p), {
        action: 'exchange.service.create',
        entityType: 'exchange_service',
        entityId: id,
        agencyId: s.agency_id,
        after: { code: body.code, title: body.title, baseUrl: body.baseUrl, fields },
      });
    });
    return (await this.repo.service(id))!;
  }
  async updateService(p: Principal, id: string, body: ServicePatch) {
    const v = await this.repo.service(id);
    if (!v) throw new DomainError('NOT_FOUND');
    requireAgencyRole(p, v.agency_id, 'agency_admin');
    if (body.baseUrl) checkServiceUrl(body.baseUrl);
    if (body.fields) {
      const unknown = await unknownFields(this.o.fieldFlags, body.fields);
      if (unknown.length) throw invalid(unknown);
    }
    await change(p, this.repo, async (trx) => {
      await this.repo.updateService(trx, id, {
        title: body.title,
        base_url: body.baseUrl,
        openapi: body.openapi,
        enabled: body.enabled,
        fields: body.fields,
      });
      await recordAudit(trx, actorOf(p), {
        action: 'exchange.service.update',
        entityType: 'exchange_service',
        entityId: id,
        agencyId: v.agency_id,
        before: { title: v.title, baseUrl: v.base_url, enabled: v.enabled, fields: v.fields },
        after: body,
      });
    });
    return (await this.repo.service(id))!;
  }
  /** A grant asked by the client's administrator waits for the provider's; one made by the provider's administrator holds at once. */
  async createGrant(p: Principal, body: GrantCreate) {
    const user = requireUser(p);
    const client = await this.members.subsystem(body.client);
    const service = await this.repo.service(body.service);
    if (!client) throw invalid([{ field: 'client', vi: 'Không có hệ thống này.', en: 'No such subsystem.' }]);
    if (!service) throw invalid([{ field: 'service', vi: 'Không có dịch vụ này.', en: 'No such service.' }]);
    const asProvider = hasAgencyRole(p, service.agency_id, 'agency_admin');
    if (!asProvider) requireAgencyRole(p, client.agency_id, 'agency_admin');
    if (body.expiresAt && new Date(body.expiresAt) <= new Date())
      throw invalid([{ field: 'expiresAt', vi: 'Ngày hết hạn đã qua.', en: 'The expiry is in the past.' }]);
    // a service returning sensitive personal data (Decree 356 Art. 4) is granted only with a basis and a purpose
    const sensitive = await sensitiveFields(this.o.fieldFlags, service.fields);
    const gaps = sensitive.length ? grantGaps({ basis: body.basis ?? null, purposes: body.purposes ?? [] }) : [];
    if (gaps.length) throw sensitiveGrantRefused(sensitive, gaps);
    const id = randomUUID();
    const status = asProvider ? 'approved' : 'requested';
    await change(p, this.repo, async (trx) => {
      await this.repo.insertGrant(trx, {
        id,
        client_subsystem_id: client.id,
        service_id: service.id,
        endpoints: body.endpoints ?? [],
        purposes: body.purposes ?? [],
        legal_basis: body.legalBasis ?? null,
        basis: body.basis ?? null,
        rate_per_second: body.ratePerSecond ?? null,
        daily_quota: body.dailyQuota ?? null,
        expires_at: body.expiresAt ? new Date(body.expiresAt) : null,
        status,
        requested_by: user.userId,
        decided_by: asProvider ? user.userId : null,
        decided_at: asProvider ? new Date() : null,
      });
      await recordAudit(trx, actorOf(p), {
        action: `exchange.grant.${status === 'approved' ? 'create' : 'request'}`,
        entityType: 'exchange_grant',
        entityId: id,
        agencyId: service.agency_id,
        after: { ...body, status },
      });
    });
    return (await this.repo.grant(id))!;
  }
  async decideGrant(p: Principal, id: string, decision: 'approve' | 'reject' | 'revoke') {
    const user = requireUser(p);
    const g = await this.repo.grant(id);
    if (!g) throw new DomainError('NOT_FOUND');
    // approving and rejecting are the provider's; either side may revoke
    if (decision === 'revoke' && hasAgencyRole(p, g.client_agency_id, 'agency_admin')) {
      /* the client may give up its own grant */
    } else requireAgencyRole(p, g.provider_agency_id, 'agency_admin');
    const allowed = decision === 'revoke' ? ['approved', 'requested'] : ['requested'];
    if (!allowed.includes(g.status))
      throw new DomainError('INVALID_STATE', {
        vi: `Quyền truy cập đang ở trạng thái “${g.status}”.`,
        en: `The grant is ${g.status}.`,
      });
    if (decision === 'approve') {
      // asked before the service declared a sensitive field: approving it now would break the rule
      const service = await this.repo.service(g.service_id);
      const sensitive = await sensitiveFields(this.o.fieldFlags, service?.fields ?? []);
      const gaps = sensitive.length ? grantGaps(g) : [];
      if (gaps.length) throw sensitiveGrantRefused(sensitive, gaps);
    }
    const status = decision === 'approve' ? 'approved' : decision === 'reject' ? 'rejected' : 'revoked';
    await change(p, this.repo, async (trx) => {
      await this.repo.decideGrant(trx, id, status, user.userId);
      await recordAudit(trx, actorOf(p), {
        action: `exchange.grant.${decision}`,
        entityType: 'exchange_grant',
        entityId: id,
        agencyId: g.provider_agency_id,
        before: { status: g.status },
        after: { status },
      });
    });
    return (await this.repo.grant(id))!;
  }
  async listGrants(p: Principal, agencyKey?: string): Promise<GrantRow[]> {
    const user = requireUser(p);
    if (agencyKey) {
      const agencyId = await this.o.resolveAgency(agencyKey);
      requireAgencyRole(p, agencyId, 'viewer');
      return this.repo.listGrants(agencyId);
    }
    if (user.isPlatformAdmin && user.via === 'session') return this.repo.listGrants();
    const all = await Promise.all([...user.roles.keys()].map((a) => this.repo.listGrants(a)));
    const seen = new Map<string, GrantRow>();
    for (const g of all.flat()) seen.set(g.id, g);
    return [...seen.values()];
  }

  /**
   * Every grant's declared basis, by who calls what for which purposes under which citation: what a person's own
   * records are read against to name the basis of each read. Internal: privacy's "my data" (no principal: it shows
   * the person only the grants behind their own records).
   */
  async declaredBases() {
    return (await this.repo.listGrants()).map((g) => ({
      client: `${g.client_member_code}/${g.client_code}`,
      service: `${g.provider_member_code}/${g.provider_subsystem_code}/${g.service_code}`,
      purposes: g.purposes,
      legalBasis: g.legal_basis,
      basis: g.basis,
    }));
  }
  /**
   * Grants in force or asked for, to the agency's services (every agency's for the supervisor), that break the rule:
   * the service returns sensitive personal data, the grant lacks a legal basis or a purpose. Made before the service
   * declared its fields or before a field was flagged; the provider's administrators revoke them (and grant again).
   */
  async personalDataGaps(p: Principal, agencyKey?: string): Promise<GrantGap[]> {
    const user = requireUser(p);
    let agencies: string[] | undefined;
    if (agencyKey) {
      const agencyId = await this.o.resolveAgency(agencyKey);
      requireAgencyRole(p, agencyId, 'agency_admin');
      agencies = [agencyId];
    } else if (!(user.isPlatformAdmin && user.via === 'session')) {
      agencies = [...user.roles.keys()].filter((id) => hasAgencyRole(p, id, 'agency_admin'));
      if (!agencies.length) throw new DomainError('FORBIDDEN');
    }
    const services = (await this.repo.listServices()).filter(
      (v) => v.fields.length && (!agencies || agencies.includes(v.agency_id)),
    );
    const sensitiveOf = new Map<string, string[]>();
    for (const v of services) {
      const s = await sensitiveFields(this.o.fieldFlags, v.fields);
      if (s.length) sensitiveOf.set(v.id, s);
    }
    if (!sensitiveOf.size) return [];
    const grants = await this.repo.grantsToServices([...sensitiveOf.keys()], ['approved', 'requested']);
    return grants.flatMap((grant) => {
      const missing = grantGaps(grant);
      return missing.length ? [{ grant, sensitiveFields: sensitiveOf.get(grant.service_id)!, missing }] : [];
    });
  }

  /** Services offered through the exchange, of one agency or all. Public, as the API has always served them. */
  listServices(agencyId?: string) {
    return this.repo.listServices(agencyId);
  }
  /**
   * Services as `p` may see them: `internal` — the address the provider's gateway calls, and the servers its OpenAPI
   * document names — only for the providing agency's administrators and the supervisor (issue 18.15).
   */
  async servicesFor(p: Principal, agencyId?: string) {
    return (await this.repo.listServices(agencyId)).map((v) => ({
      service: v,
      internal: hasAgencyRole(p, v.agency_id, 'agency_admin'),
    }));
  }
  async serviceFor(p: Principal, id: string) {
    const v = await this.repo.service(id);
    return v ? { service: v, internal: hasAgencyRole(p, v.agency_id, 'agency_admin') } : undefined;
  }
  /** A service by its id, with its OpenAPI document. Public, as the API has always served it. */
  service(id: string) {
    return this.repo.service(id);
  }
  /** The approved grants where the agency is client or provider. Internal: for its authenticated gateway's configuration. */
  approvedGrants(agencyId: string) {
    return this.repo.approvedGrants(agencyId);
  }
}
