import type { Kysely } from 'kysely';
import { invalid } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import {
  actorOf,
  requireAgencyRole,
  requirePlatformAdmin,
  requireUser,
  type Principal,
} from '../../accounts/principal.js';
import { groupAccessRecords } from '../protocol/access-records.js';
import { AccessRecordsRepository } from './access-records.repository.js';
import type { AuthorityService } from './authority.service.js';
import type { AccessContext, AccessRecordRow } from './registry.rows.js';
import type { GatewayReport } from './registry.schema.js';
import { subjectHash, type RegistryOptions } from './registry.rules.js';

/** Subject access records: who read a person's data through the exchange, as the gateways report it; kept under a keyed hash. */
export class AccessRecordsService {
  private readonly repo: AccessRecordsRepository;

  constructor(
    private readonly db: Kysely<any>,
    private readonly o: RegistryOptions,
    private readonly authority: AuthorityService,
  ) {
    this.repo = new AccessRecordsRepository(db);
  }

  /** Context ids by their content: a context never changes once made, so every process may keep its own. */
  private readonly contexts = new Map<string, number>();
  private async accessContext(c: AccessContext): Promise<number> {
    // null and '' kept apart, as the gateways group them
    const key = JSON.stringify([c.client, c.service, c.purpose, c.legal_basis, c.represented_party ?? null]);
    let id = this.contexts.get(key);
    if (id === undefined) {
      id = await this.repo.accessContext(c);
      if (this.contexts.size >= 10_000) this.contexts.clear();
      this.contexts.set(key, id);
    }
    return id;
  }

  /** Keeps the access records of a gateway's report: how many. Internal: the gateway was authenticated by the caller. */
  async record(gatewayId: string, body: Pick<GatewayReport, 'accessRecords' | 'accessRecordGroups'>): Promise<number> {
    const a = await this.authority.authority();
    const groups = [...(body.accessRecordGroups ?? []), ...groupAccessRecords(body.accessRecords ?? [])];
    let total = 0;
    for (const r of groups) {
      if (
        r.subjects.length !== r.at.length ||
        r.subjects.length !== r.ids.length ||
        r.subjects.length !== r.indexes.length ||
        (r.consents && r.consents.length !== r.subjects.length)
      ) {
        throw invalid([
          {
            field: 'accessRecordGroups',
            vi: 'Mỗi nhóm phải có số chủ thể, số thời điểm, số mã thông điệp và số vị trí trong nhật ký bằng nhau.',
            en: 'Each group must hold as many subjects as times, message ids and log indexes.',
          },
        ]);
      }
      total += r.subjects.length;
    }
    if (total > 10_000)
      throw invalid([
        {
          field: 'accessRecordGroups',
          vi: 'Một báo cáo chứa tối đa 10.000 bản ghi truy cập.',
          en: 'A report holds at most 10,000 access records.',
        },
      ]);
    for (const r of groups) {
      const context = await this.accessContext({
        client: r.client,
        service: r.service,
        purpose: r.purpose,
        legal_basis: r.legalBasis,
        represented_party: r.representedParty ?? null,
      });
      await this.repo.insertAccessRecords(
        gatewayId,
        context,
        r.status,
        r.subjects.map((s) => subjectHash(a.subjectKey, s)),
        r.at,
        r.ids,
        r.indexes,
        r.consents,
      );
    }
    return total;
  }

  /**
   * Who read a person's data: the supervisor across the exchange, or an agency's administrators for the reads of
   * their own services (records their agency's gateways made, the data their agency holds: Decree 13's controller
   * answers its data subjects). The citizen's own page comes with e-ID sign-in. Each lookup is audited (the person
   * as the keyed hash only), since it reads personal data itself.
   */
  async accessRecords(p: Principal, subject: string, agencyKey?: string) {
    requireUser(p);
    const agencyId = agencyKey ? await this.o.resolveAgency(agencyKey) : null;
    if (agencyId) requireAgencyRole(p, agencyId, 'agency_admin');
    else requirePlatformAdmin(p);
    const a = await this.authority.authority();
    const id = subject.trim().toUpperCase();
    const rows = await this.repo.accessRecords(
      [a.subjectKey, ...a.previousSubjectKeys].map((k) => subjectHash(k, id)),
      500,
      agencyId,
    );
    await recordAudit(this.db, actorOf(p), {
      action: 'exchange.access_records.read',
      entityType: 'exchange_access_records',
      entityId: subjectHash(a.subjectKey, id).slice(0, 32),
      after: { agency: agencyId, records: rows.length },
    });
    return rows;
  }

  /**
   * The people whose data the services (X-Road ids) returned in a window, by the agency's gateways' records: keyed
   * hashes and counts, a page at a time (at most 1,000). Internal: the caller (privacy's breach records) checked the
   * principal administers the agency, and audits the lookup.
   */
  subjectsOfServices(
    services: string[],
    agencyId: string,
    window: { from: Date; until: Date },
    limit: number,
    after: string | null = null,
  ) {
    return this.repo.subjectsOfServices(
      services,
      agencyId,
      window.from,
      window.until,
      Math.min(Math.max(limit, 1), 1000),
      after,
    );
  }

  /**
   * A person's own records, for "my data": `subjects` are the keyed hashes (hex) the e-ID sign-in gave. Internal: the
   * caller (privacy's service) checked the person signed in at level 2, and audits the lookup.
   */
  recordsOfSubject(
    subjects: string[],
    limit: number,
    before: { at: Date; gatewayId: string; logIndex: number } | null = null,
  ): Promise<AccessRecordRow[]> {
    if (!subjects.length) return Promise.resolve([]);
    return this.repo.subjectRecords(subjects, Math.min(Math.max(limit, 1), 500), before);
  }
  /** One record of the person whose hashes these are, or undefined (another's or none). Internal, as above. */
  subjectRecordAt(subjects: string[], gatewayId: string, logIndex: number): Promise<AccessRecordRow | undefined> {
    if (!subjects.length) return Promise.resolve(undefined);
    return this.repo.subjectRecordAt(subjects, gatewayId, logIndex);
  }

  /** The person's records that relied on one of their consents, and how many relied on each. Internal, as above. */
  subjectConsentUses(subjects: string[], consentId: string, limit: number): Promise<AccessRecordRow[]> {
    if (!subjects.length) return Promise.resolve([]);
    return this.repo.subjectConsentUses(subjects, consentId, Math.min(Math.max(limit, 1), 500));
  }
  async subjectConsentCounts(subjects: string[]): Promise<Map<string, number>> {
    if (!subjects.length) return new Map();
    const rows = await this.repo.subjectConsentCounts(subjects);
    return new Map(rows.map((r) => [r.consent_id, Number(r.uses)]));
  }
}
