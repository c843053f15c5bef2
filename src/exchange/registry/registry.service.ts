import type { Kysely } from 'kysely';
import type { Principal } from '../../accounts/principal.js';
import { AccessRecordsService } from './access-records.service.js';
import { AuthorityService } from './authority.service.js';
import { ConfigurationService } from './configuration.service.js';
import { GatewaysService } from './gateways.service.js';
import { GrantsService } from './grants.service.js';
import { MembersService } from './members.service.js';
import { ProofWindowsService } from './proof-windows.service.js';
import type { RecordProof, RecordRef } from '../protocol/record-proof.js';
import type { GatewayRow, GrantRow } from './registry.rows.js';
import { MEMBER_CLASS, type RegistryOptions, type Static } from './registry.rules.js';
import type {
  ClientCertificateCreate,
  ClientKeyCreate,
  GatewayRegister,
  GatewayReport,
  GrantCreate,
  ProofWindowsReport,
  ServicePatch,
  ServiceCreate,
  SubsystemCreate,
} from './registry.schema.js';

export { MEMBER_CLASS, subjectHash, type RegistryOptions } from './registry.rules.js';
export { GATEWAY_CERTIFICATE_DAYS, type Authority } from './authority.service.js';

/**
 * The registry of the exchange: members' subsystems, services, gateways and grants, kept by agency
 * administrators (a provider's administrator approves grants to its services), and the signed
 * configuration each gateway fetches. Every change bumps the configuration's version and is audited.
 *
 * A façade over the registry's areas, each a service with its own repository: the authority (keys, CA,
 * rotation, subject key), members and their credentials, services and grants, gateways, access records,
 * and the configuration built from them all. Routes, pages and the CLI call this.
 */
export class RegistryService {
  private readonly keys: AuthorityService;
  private readonly members: MembersService;
  private readonly grants: GrantsService;
  private readonly gateways: GatewaysService;
  private readonly records: AccessRecordsService;
  private readonly configuration: ConfigurationService;
  private readonly proofs: ProofWindowsService;

  constructor(
    db: Kysely<any>,
    private readonly o: RegistryOptions,
  ) {
    this.keys = new AuthorityService(db, o);
    this.members = new MembersService(db, o);
    this.grants = new GrantsService(db, o, this.members);
    this.records = new AccessRecordsService(db, o, this.keys);
    this.gateways = new GatewaysService(db, o, this.keys, this.records);
    this.configuration = new ConfigurationService(o, this.keys, this.members, this.grants, this.gateways);
    this.proofs = new ProofWindowsService(db, o);
  }

  agencyId(key: string): Promise<string> {
    return this.o.resolveAgency(key);
  }

  // ── the authority ─────────────────────────────────────────────────────
  /** The registry's keys, secret ones included. Internal: trusted code only (`ndp serve` at start, tests). */
  authority() {
    return this.keys.authority();
  }
  authorityStatus(p: Principal) {
    return this.keys.authorityStatus(p);
  }
  announceAuthority(p: Principal) {
    return this.keys.announceAuthority(p);
  }
  switchAuthority(p: Principal, force = false) {
    return this.keys.switchAuthority(p, force);
  }
  rotateSubjectKey(p: Principal) {
    return this.keys.rotateSubjectKey(p);
  }
  anchor() {
    return this.keys.anchor();
  }

  // ── members and their credentials ─────────────────────────────────────
  createSubsystem(p: Principal, body: SubsystemCreate) {
    return this.members.createSubsystem(p, body);
  }
  createClientKey(p: Principal, subsystemId: string, body: Static<typeof ClientKeyCreate>) {
    return this.members.createClientKey(p, subsystemId, body);
  }
  addClientCertificate(p: Principal, subsystemId: string, body: ClientCertificateCreate) {
    return this.members.addClientCertificate(p, subsystemId, body);
  }
  credentials(p: Principal, subsystemId: string) {
    return this.members.credentials(p, subsystemId);
  }
  revokeCredential(p: Principal, subsystemId: string, kind: 'key' | 'certificate', id: string) {
    return this.members.revokeCredential(p, subsystemId, kind, id);
  }
  isLiveClientKey(p: Principal, subsystemId: string, key: string) {
    return this.members.isLiveClientKey(p, subsystemId, key);
  }
  /** Members' subsystems, of one agency (by its code or id) or all. Public, as the API has always served them. */
  async listSubsystems(agencyKey?: string) {
    return this.members.listSubsystems(agencyKey ? await this.o.resolveAgency(agencyKey) : undefined);
  }
  /** A subsystem by its id. Public (the directory). */
  subsystem(id: string) {
    return this.members.subsystem(id);
  }
  /** A subsystem by its member code and code. Public (the directory). */
  subsystemByCode(memberCode: string, code: string) {
    return this.members.subsystemByCode(memberCode, code);
  }

  // ── services and grants ───────────────────────────────────────────────
  createService(p: Principal, body: ServiceCreate) {
    return this.grants.createService(p, body);
  }
  updateService(p: Principal, id: string, body: ServicePatch) {
    return this.grants.updateService(p, id, body);
  }
  /** Services offered through the exchange, of one agency (by its code or id) or all. Public, as the API has always served them. */
  async listServices(agencyKey?: string) {
    return this.grants.listServices(agencyKey ? await this.o.resolveAgency(agencyKey) : undefined);
  }
  /** A service by its id, with its OpenAPI document. Public. */
  service(id: string) {
    return this.grants.service(id);
  }
  /** The services as `p` may see them: the internal address only for the providing agency's administrators and the supervisor. */
  async servicesFor(p: Principal, agencyKey?: string) {
    return this.grants.servicesFor(p, agencyKey ? await this.o.resolveAgency(agencyKey) : undefined);
  }
  /** A service as `p` may see it (see `servicesFor`). */
  serviceFor(p: Principal, id: string) {
    return this.grants.serviceFor(p, id);
  }
  createGrant(p: Principal, body: GrantCreate) {
    return this.grants.createGrant(p, body);
  }
  decideGrant(p: Principal, id: string, decision: 'approve' | 'reject' | 'revoke') {
    return this.grants.decideGrant(p, id, decision);
  }
  /** Every grant's declared basis code and citation. Internal: privacy's "my data" names the basis of each read. */
  declaredBases() {
    return this.grants.declaredBases();
  }
  listGrants(p: Principal, agencyKey?: string): Promise<GrantRow[]> {
    return this.grants.listGrants(p, agencyKey);
  }
  /** Grants to services returning sensitive personal data that lack a legal basis or a purpose (the provider's administrators; all for the supervisor). */
  personalDataGaps(p: Principal, agencyKey?: string) {
    return this.grants.personalDataGaps(p, agencyKey);
  }

  // ── gateways, their configuration and reports ─────────────────────────
  registerGateway(p: Principal, body: GatewayRegister) {
    return this.gateways.registerGateway(p, body);
  }
  authenticateGateway(
    method: string,
    path: string,
    headers: Record<string, string | string[] | undefined>,
    body: Uint8Array,
  ): Promise<GatewayRow> {
    return this.gateways.authenticateGateway(method, path, headers, body);
  }
  configurationFor(gateway: GatewayRow): Promise<string> {
    return this.configuration.configurationFor(gateway);
  }
  report(g: GatewayRow, body: GatewayReport): Promise<{ accepted: number }> {
    return this.gateways.report(g, body);
  }
  monitoring(p: Principal) {
    return this.gateways.monitoring(p);
  }
  /** The signed log checkpoints a gateway reported, newest first. Public: an auditor's copy. */
  checkpoints(gatewayId: string) {
    return this.gateways.checkpoints(gatewayId);
  }
  /** One of a person's own records (by their keyed hashes), or undefined. Internal: privacy's "my data" checked the person. */
  recordOfSubject(subjects: string[], gatewayId: string, logIndex: number) {
    return this.records.subjectRecordAt(subjects, gatewayId, logIndex);
  }
  /** A person's own records that relied on one consent, newest first. Internal, as `recordOfSubject`. */
  consentUsesOfSubject(subjects: string[], consentId: string, limit: number) {
    return this.records.subjectConsentUses(subjects, consentId, limit);
  }
  /** How many of a person's own records relied on each consent (consent id → count). Internal, as `recordOfSubject`. */
  consentUseCounts(subjects: string[]) {
    return this.records.subjectConsentCounts(subjects);
  }
  /** An agency's active gateway, if any. Internal: trusted code at start (the demo network), no principal. */
  async activeGateway(agencyId: string): Promise<GatewayRow | undefined> {
    return (await this.gateways.activeGateways(agencyId))[0];
  }
  accessRecords(p: Principal, subject: string, agencyKey?: string) {
    return this.records.accessRecords(p, subject, agencyKey);
  }
  /**
   * The people whose data an agency's services returned in a window (keyed hashes and counts), for a breach record.
   * Internal: the caller checked the principal and audits; services are the registry's ids (uuid) of the agency's.
   */
  async subjectsOfServices(
    serviceIds: string[],
    agencyId: string,
    window: { from: Date; until: Date },
    limit: number,
    after: string | null = null,
  ) {
    const services = (await Promise.all(serviceIds.map((id) => this.grants.service(id)))).flatMap((v) =>
      v && v.agency_id === agencyId
        ? [`${this.o.instance}/${MEMBER_CLASS}/${v.member_code}/${v.subsystem_code}/${v.code}`]
        : [],
    );
    return this.records.subjectsOfServices(services, agencyId, window, limit, after);
  }
  /** A person's own records by their keyed hashes, newest first. Internal: see AccessRecordsService.recordsOfSubject. */
  recordsOfSubject(subjects: string[], limit: number, before?: { at: Date; gatewayId: string; logIndex: number }) {
    return this.records.recordsOfSubject(subjects, limit, before ?? null);
  }
  /** A provider gateway's proof windows, each checked before it is kept. Internal: the caller authenticated `g`. */
  receiveProofWindows(g: GatewayRow, body: ProofWindowsReport) {
    return this.proofs.receive(g, body);
  }
  /**
   * Each record's inclusion proof in its provider gateway's log with the gateway's signed checkpoint, in the order
   * asked; null where no window has come for its entry yet. Internal: the caller checked the person may see them.
   */
  recordProofs(refs: RecordRef[]): Promise<(RecordProof | null)[]> {
    return this.proofs.recordProofs(refs);
  }
}
