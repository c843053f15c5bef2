import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import {
  actorOf,
  hasAgencyRole,
  requireAgencyRole,
  requirePlatformAdmin,
  requireUser,
  type Principal,
} from '../../accounts/principal.js';
import { requireCitizen, type PublicUser } from '../../identity/public-principal.js';
import type { RegistryService } from '../../exchange/registry/registry.service.js';
import type { AgencyRow, MasterDataService } from '../../masterdata/masterdata.service.js';
import type { CalendarService } from '../../masterdata/calendar/calendar.service.js';
import { acknowledgeDue, completeDue, lateness } from './clocks.js';
import { RequestsRepository, type RequestRow, type Why } from './requests.repository.js';
import type { RequestFiling, RequestStep } from './requests.schema.js';

/** Who handles requests in an agency: its editors and administrators (a viewer never reads a person's request). */
export const HANDLER_ROLE = 'agency_editor' as const;
/** Filings one person may make in a day: enough for any real need, bounded against a flood of agencies' inboxes. */
export const FILINGS_PER_DAY = 10;
/** The access records read to find the agencies: the newest this many (a person's whole history on most days). */
const RECORDS_READ = 5000;
const PAGE = 500;
const NOBODY = { userId: null, tokenId: null };

export interface RequestsDeps {
  registry: RegistryService;
  masterData: MasterDataService;
  calendar: CalendarService;
  /** the clock (tests file requests on the eve of Tết) */
  now?: () => Date;
}

/**
 * Data subjects' requests under Law 91/2025/QH15 and Decree 356/2025/NĐ-CP: a citizen signed in at the e-ID's level 2
 * files one; it reaches every agency that holds or read their data (from the exchange's access records); each agency
 * acknowledges, may mark a processor or third party, extends once, completes or refuses, on statutory clocks; the
 * supervisor sees what is overdue. Every step is audited.
 */
export class RequestsService {
  private readonly repo: RequestsRepository;
  private readonly now: () => Date;

  constructor(
    private readonly db: Kysely<any>,
    private readonly deps: RequestsDeps,
  ) {
    this.repo = new RequestsRepository(db);
    this.now = deps.now ?? (() => new Date());
  }

  /** Files a request: one per agency concerned, all written with their audit records in one transaction; returns them. */
  async file(u: PublicUser | null, subjectHashes: string[], body: RequestFiling) {
    const person = await this.mayFile(u, subjectHashes);
    const targets = await this.agenciesConcerned(subjectHashes);
    if (!targets.size)
      throw new DomainError('INVALID_STATE', {
        vi: 'Chưa có cơ quan nào giữ hoặc đọc dữ liệu của bạn qua nền tảng chia sẻ, nên chưa có nơi nhận yêu cầu.',
        en: 'No agency has held or read your data through the exchange yet, so there is nowhere to send a request.',
      });
    return this.write(person, subjectHashes, targets, body);
  }

  /**
   * Files a correction request to ONE agency that holds the person's data (a public service's form showed a value
   * of its register the person says is wrong), under the same rules, limit and audit as `file`; returns it.
   */
  async fileTo(u: PublicUser | null, subjectHashes: string[], agencyId: string, details: string) {
    const person = await this.mayFile(u, subjectHashes);
    const agency = await this.deps.masterData.agency(agencyId);
    const [filed] = await this.write(person, subjectHashes, new Map([[agency.id, 'holds']]), {
      kind: 'correction',
      details: details.slice(0, 4000),
    });
    return filed!.row;
  }

  /** The checks before any filing: a level-2 citizen whose id number was released, under the daily limit. */
  private async mayFile(u: PublicUser | null, subjectHashes: string[]) {
    const person = requireCitizen(u, 2);
    if (!subjectHashes.length)
      throw new DomainError('INVALID_STATE', {
        vi: 'Lần đăng nhập VNeID chưa cung cấp số định danh, nên chưa thể tìm các cơ quan giữ dữ liệu của bạn. Hãy đăng nhập lại ở mức 2.',
        en: 'Your e-ID sign-in did not release your id number, so the agencies holding your data cannot be found. Sign in again at level 2.',
      });
    const now = this.now();
    if ((await this.repo.filingsSince(person.userId, new Date(now.getTime() - 86_400_000))) >= FILINGS_PER_DAY)
      throw new DomainError('TOO_MANY_ATTEMPTS', {
        vi: `Mỗi người gửi được tối đa ${FILINGS_PER_DAY} yêu cầu trong 24 giờ.`,
        en: `One person may file at most ${FILINGS_PER_DAY} requests in 24 hours.`,
      });
    return person;
  }

  private async write(person: PublicUser, subjectHashes: string[], targets: Map<string, Why>, body: RequestFiling) {
    const now = this.now();
    // the calendar is read before the transaction: the embedded database has one connection
    const rules = await this.deps.calendar.rules();
    const filingId = randomUUID();
    const ids: string[] = [];
    await this.db.transaction().execute(async (trx) => {
      for (const [agencyId, why] of targets) {
        const id = randomUUID();
        ids.push(id);
        await this.repo.insert(trx, {
          id,
          filing_id: filingId,
          public_user_id: person.userId,
          subject_hash: subjectHashes[0]!,
          subject_name: person.name,
          agency_id: agencyId,
          why,
          kind: body.kind,
          details: body.details,
          received_at: now,
          acknowledge_due: acknowledgeDue(now, rules),
          complete_due: completeDue(now, false, null),
        });
        // the person acts, not a staff account: the trail names them as a prefix of the keyed hash only
        await recordAudit(trx, NOBODY, {
          action: 'privacy.request.file',
          entityType: 'privacy_request',
          entityId: id,
          agencyId,
          after: {
            by: 'data_subject',
            subject: subjectHashes[0]!.slice(0, 32),
            kind: body.kind,
            filing: filingId,
            why,
          },
        });
      }
    });
    return (await this.ofPerson(person)).filter((x) => x.row.filing_id === filingId);
  }

  /** The person's own requests, newest first, with the agencies' names. */
  async ofPerson(u: PublicUser | null) {
    const person = requireCitizen(u, 2);
    return this.withAgencies(await this.repo.ofPerson(person.userId, 500));
  }

  /** One of the person's own requests; another person's is as unknown as one that does not exist. */
  async ownRequest(u: PublicUser | null, id: string) {
    const person = requireCitizen(u, 2);
    const r = await this.repo.get(id);
    if (!r || r.public_user_id !== person.userId) throw new DomainError('NOT_FOUND');
    return (await this.withAgencies([r]))[0]!;
  }

  /** An agency's inbox (one agency, or every agency where the caller handles requests). */
  async inbox(p: Principal, agencyKey?: string) {
    const user = requireUser(p);
    let agencyIds: string[];
    if (agencyKey) {
      const id = (await this.deps.masterData.agency(agencyKey)).id;
      requireAgencyRole(p, id, HANDLER_ROLE);
      agencyIds = [id];
    } else {
      agencyIds = [...user.roles.keys()].filter((id) => hasAgencyRole(p, id, HANDLER_ROLE));
    }
    return this.withAgencies(await this.repo.ofAgencies(agencyIds, 500));
  }

  /** One request of an agency the caller handles requests for; any other is as unknown as one that does not exist. */
  async forAgency(p: Principal, id: string) {
    requireUser(p);
    const r = await this.repo.get(id);
    if (!r || !hasAgencyRole(p, r.agency_id, HANDLER_ROLE)) throw new DomainError('NOT_FOUND');
    return (await this.withAgencies([r]))[0]!;
  }

  /** An agency's step on a request, checked against the request's state under a lock, audited with before and after. */
  async step(p: Principal, id: string, s: RequestStep) {
    await this.forAgency(p, id);
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      const r = (await this.repo.forUpdate(trx, id))!;
      const set = nextState(r, s, now);
      await this.repo.update(trx, id, set);
      await recordAudit(trx, actorOf(p), {
        action: `privacy.request.${s.step}`,
        entityType: 'privacy_request',
        entityId: id,
        agencyId: r.agency_id,
        before: { status: r.status, completeDue: r.complete_due.toISOString(), thirdParty: r.third_party },
        after: { ...set, ...('reason' in s ? { reason: s.reason } : {}), ...('note' in s ? { note: s.note } : {}) },
      });
    });
    return this.forAgency(p, id);
  }

  /** Open requests past a clock, every agency's, with how late (the supervisor, a platform administrator). */
  async overdue(p: Principal) {
    requirePlatformAdmin(p);
    const now = this.now();
    const rows = await this.withAgencies(await this.repo.overdue(now, 1000));
    return rows.map(({ row, agency }) => ({ row, agency, late: lateness(row, now) }));
  }

  /** The clock the service runs on (pages show lateness as of it). */
  clock(): Date {
    return this.now();
  }

  /**
   * The agencies concerned by a person's data: those whose services returned it (they hold it) and those whose
   * systems read it (clients), from the exchange's access records. An agency the master data does not know (a
   * member code of another instance) is left out.
   */
  private async agenciesConcerned(hashes: string[]): Promise<Map<string, Why>> {
    const roles = new Map<string, { holds: boolean; read: boolean }>();
    const known = new Map<string, string | null>();
    const agencyOf = async (address: string) => {
      const code = address.split('/')[2];
      if (!code) return null;
      if (!known.has(code))
        known.set(
          code,
          await this.deps.masterData.agency(code).then(
            (a) => a.id,
            () => null,
          ),
        );
      return known.get(code)!;
    };
    let before: { at: Date; gatewayId: string; logIndex: number } | undefined;
    for (let read = 0; read < RECORDS_READ; read += PAGE) {
      const page = await this.deps.registry.recordsOfSubject(hashes, PAGE, before);
      for (const rec of page) {
        // a refused attempt (status 403) read nothing: its client is no agency that read the person's data
        const parties = [[rec.service, 'holds'] as const, ...(rec.status < 400 ? [[rec.client, 'read'] as const] : [])];
        for (const [address, role] of parties) {
          const id = await agencyOf(address);
          if (!id) continue;
          const seen = roles.get(id) ?? { holds: false, read: false };
          seen[role] = true;
          roles.set(id, seen);
        }
      }
      if (page.length < PAGE) break;
      const last = page.at(-1)!;
      before = { at: last.at, gatewayId: last.gateway_id, logIndex: Number(last.log_index) };
    }
    return new Map(
      [...roles].map(([id, r]) => [id, r.holds && r.read ? 'holds_and_read' : r.holds ? 'holds' : 'read'] as const),
    );
  }

  private async withAgencies(rows: RequestRow[]): Promise<{ row: RequestRow; agency: AgencyRow }[]> {
    const agencies = new Map(
      (await this.deps.masterData.agenciesByIds([...new Set(rows.map((r) => r.agency_id))])).map((a) => [a.id, a]),
    );
    return rows.map((row) => ({ row, agency: agencies.get(row.agency_id)! }));
  }
}

const refusedStep = (vi: string, en: string) => new DomainError('INVALID_STATE', { vi, en });

/** What a step changes, or why it may not be taken now. Plain function: the rules of the status steps. */
export function nextState(r: RequestRow, s: RequestStep, now: Date): Partial<RequestRow> {
  const closed = r.status === 'completed' || r.status === 'refused';
  if (closed)
    throw refusedStep(
      'Yêu cầu đã được giải quyết xong; không thể thay đổi nữa.',
      'The request has been answered; it can no longer change.',
    );
  switch (s.step) {
    case 'acknowledge': {
      if (r.status !== 'received')
        throw refusedStep('Yêu cầu đã được xác nhận tiếp nhận.', 'The request has already been acknowledged.');
      const thirdParty = s.thirdParty ?? r.third_party;
      return {
        status: 'acknowledged',
        acknowledged_at: now,
        third_party: thirdParty,
        complete_due: completeDue(r.received_at, thirdParty, r.extension_days),
      };
    }
    case 'third_party':
      return { third_party: s.thirdParty, complete_due: completeDue(r.received_at, s.thirdParty, r.extension_days) };
    case 'extend':
      if (r.extension_days !== null)
        throw refusedStep(
          `Thời hạn đã được gia hạn một lần (${r.extension_days} ngày); pháp luật chỉ cho phép gia hạn một lần.`,
          `The deadline was already extended once (${r.extension_days} days); the law allows a single extension.`,
        );
      if (r.status !== 'acknowledged')
        throw refusedStep(
          'Hãy xác nhận tiếp nhận yêu cầu trước khi gia hạn.',
          'Acknowledge the request before extending its deadline.',
        );
      return {
        status: 'extended',
        extension_days: s.days,
        extension_reason: s.reason,
        complete_due: completeDue(r.received_at, r.third_party, s.days),
      };
    case 'complete':
    case 'refuse':
      return {
        status: s.step === 'complete' ? 'completed' : 'refused',
        acknowledged_at: r.acknowledged_at ?? now,
        closed_at: now,
        outcome: s.step === 'complete' ? s.note : s.reason,
      };
  }
}
