import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError, invalid } from '../platform/errors.js';
import { recordAudit } from '../platform/audit.js';
import { actorOf, requireUser, type Principal, type User } from '../accounts/principal.js';
import { MEMBER_CLASS, type RegistryService } from '../exchange/registry/registry.service.js';
import { BreachRepository, type BreachRow } from './breach.repository.js';
import type { BreachCreate, BreachNotificationPatch } from './breach.schema.js';
import { draftNotification, type AgencyName, type BreachFacts } from './breach.draft.js';

/** The law's clock: the supervisor is notified within 72 hours of the breach's detection. */
export const NOTIFY_WITHIN_MS = 72 * 3_600_000;
/** A detection time a little ahead of the server's clock is a skew, not a prophecy. */
const SKEW_MS = 5 * 60_000;
/** No breach on this platform predates it: an earlier time is a typing slip (year 0001), not a fact. */
const EARLIEST = new Date('2000-01-01T00:00:00+07:00');
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export type ClockState = 'running' | 'overdue' | 'notified' | 'notified_late';
export interface BreachClock {
  dueAt: Date;
  state: ClockState;
  /** until the deadline (negative: past it); null once notified */
  remainingMs: number | null;
}
export function clockOf(b: Pick<BreachRow, 'detected_at' | 'notified_at'>, now: Date): BreachClock {
  const dueAt = new Date(b.detected_at.getTime() + NOTIFY_WITHIN_MS);
  if (b.notified_at) return { dueAt, state: b.notified_at > dueAt ? 'notified_late' : 'notified', remainingMs: null };
  const remainingMs = dueAt.getTime() - now.getTime();
  return { dueAt, state: remainingMs < 0 ? 'overdue' : 'running', remainingMs };
}

export interface BreachDeps {
  /** the personal-data category labels of dictionary fields (the catalog's flags), for the draft */
  fieldCategories: (ids: string[]) => Promise<{ level: 'basic' | 'sensitive'; vi: string; en: string }[]>;
  /** the agency's name, for the draft */
  agencyName: (agencyId: string) => Promise<AgencyName>;
  now?: () => Date;
}

const NOT_YOURS = () =>
  new DomainError('FORBIDDEN', {
    vi: 'Chỉ quản trị viên của cơ quan bị vi phạm được thực hiện việc này.',
    en: 'Only the affected agency’s administrators may do this.',
  });

/**
 * Personal-data breaches: an agency's administrators record one (what happened, when it was detected, the affected
 * exchange services and the window), the platform lists the people whose data those services returned in the window
 * (keyed hashes and counts, from the access records), runs the 72-hour clock from detection and drafts the
 * notification, which the agency edits and sends. The supervisor (platform administrators) sees every breach and
 * the overdue ones; another agency sees none. Every step is audited.
 */
export class BreachService {
  private readonly repo: BreachRepository;
  private readonly now: () => Date;
  constructor(
    private readonly db: Kysely<any>,
    private readonly registry: RegistryService,
    private readonly instance: string,
    private readonly deps: BreachDeps,
  ) {
    this.repo = new BreachRepository(db);
    this.now = deps.now ?? (() => new Date());
  }

  private static supervisor(u: User) {
    return u.isPlatformAdmin && u.via === 'session';
  }
  /** The agency's own administrators: the supervisor reads a breach but does not write the agency's notification. */
  private static ownAdmin(u: User, agencyId: string) {
    return u.roles.get(agencyId) === 'agency_admin';
  }
  private async readable(p: Principal, id: string): Promise<{ user: User; breach: BreachRow }> {
    const user = requireUser(p);
    const breach = await this.repo.find(id);
    // another agency learns nothing, not even that the breach exists
    if (!breach || !(BreachService.ownAdmin(user, breach.agency_id) || BreachService.supervisor(user)))
      throw new DomainError('NOT_FOUND');
    return { user, breach };
  }

  /**
   * The times that make sense together: each a real time since EARLIEST and not in the future (a small skew aside);
   * the window ending after it starts; and the breach not found before it began (the window starts no later than the
   * detection). The window may run on past the detection: a leak is often stopped some time after it is found.
   */
  private static timesProblems(body: BreachCreate, now: Date): { field: string; vi: string; en: string }[] {
    const problems: { field: string; vi: string; en: string }[] = [];
    const latest = now.getTime() + SKEW_MS;
    const check = (field: string, raw: string | undefined, name: { vi: string; en: string }) => {
      const d = raw === undefined ? now : new Date(raw);
      if (Number.isNaN(d.getTime()))
        problems.push({ field, vi: `Hãy nhập ${name.vi} (ngày và giờ).`, en: `Enter ${name.en} (date and time).` });
      else if (d < EARLIEST)
        problems.push({
          field,
          vi: `${cap(name.vi)} phải từ 01/01/2000 trở đi.`,
          en: `${cap(name.en)} must be on or after 01/01/2000.`,
        });
      else if (d.getTime() > latest)
        problems.push({ field, vi: `${cap(name.vi)} ở tương lai.`, en: `${cap(name.en)} is in the future.` });
      else return d;
      return null;
    };
    const detected = check('detectedAt', body.detectedAt, { vi: 'thời điểm phát hiện', en: 'the detection time' });
    const from = check('windowFrom', body.windowFrom, { vi: 'thời điểm bắt đầu', en: 'the start of the window' });
    const until = check('windowUntil', body.windowUntil, { vi: 'thời điểm kết thúc', en: 'the end of the window' });
    if (from && until && until <= from)
      problems.push({
        field: 'windowUntil',
        vi: 'Khoảng thời gian phải kết thúc sau khi bắt đầu.',
        en: 'The window must end after it starts.',
      });
    if (from && detected && from > detected)
      problems.push({
        field: 'windowFrom',
        vi: 'Khoảng thời gian phải bắt đầu trước thời điểm phát hiện: không thể phát hiện vi phạm trước khi nó xảy ra.',
        en: 'The window must start before the detection: a breach cannot be found before it happens.',
      });
    return problems;
  }

  async record(p: Principal, body: BreachCreate): Promise<BreachRow> {
    const user = requireUser(p);
    const agencyId = await this.registry.agencyId(body.agency);
    if (!BreachService.ownAdmin(user, agencyId)) throw NOT_YOURS();
    const problems = BreachService.timesProblems(body, this.now());
    if (!body.description?.trim())
      problems.push({ field: 'description', vi: 'Hãy mô tả điều đã xảy ra.', en: 'Describe what happened.' });
    if (!body.services.length)
      problems.push({
        field: 'services',
        vi: 'Hãy chọn ít nhất một dịch vụ bị ảnh hưởng.',
        en: 'Choose at least one affected service.',
      });
    const detectedAt = body.detectedAt ? new Date(body.detectedAt) : this.now();
    const window = { from: new Date(body.windowFrom), until: new Date(body.windowUntil) };
    // every service read first: PGlite has one connection, the transaction below must not wait on another read
    const services = await Promise.all(body.services.map((id) => this.registry.service(id)));
    services.forEach((v, i) => {
      if (!v || v.agency_id !== agencyId)
        problems.push({
          field: `services/${i}`,
          vi: 'Không phải dịch vụ của cơ quan này.',
          en: 'Not a service of this agency.',
        });
    });
    if (problems.length) throw invalid(problems);
    const own = services.filter((v): v is NonNullable<typeof v> => !!v);
    const found = await this.registry.subjectsOfServices(body.services, agencyId, window, 1);
    const facts: BreachFacts = {
      agency: await this.deps.agencyName(agencyId),
      detectedAt,
      windowFrom: window.from,
      windowUntil: window.until,
      description: body.description,
      services: own.map((v) => ({
        id: `${this.instance}/${MEMBER_CLASS}/${v.member_code}/${v.subsystem_code}/${v.code}`,
        title: v.title,
      })),
      categories: await this.deps.fieldCategories([...new Set(own.flatMap((v) => v.fields))]),
      people: found.people,
      reads: found.reads,
    };
    const draft = draftNotification(facts);
    return this.db.transaction().execute(async (trx) => {
      const row = await this.repo.with(trx).insert({
        id: randomUUID(),
        agency_id: agencyId,
        detected_at: detectedAt,
        window_from: window.from,
        window_until: window.until,
        description: body.description,
        service_ids: body.services,
        notification_vi: draft.vi,
        notification_en: draft.en,
        created_by: user.userId,
      });
      await recordAudit(trx, actorOf(p), {
        action: 'privacy.breach.record',
        entityType: 'privacy_breach',
        entityId: row.id,
        agencyId,
        after: {
          detected_at: row.detected_at,
          window: [row.window_from, row.window_until],
          services: row.service_ids,
          people: found.people,
          reads: found.reads,
        },
      });
      return row;
    });
  }

  /** Agencies' names by id, for pages (public: the agencies' register). */
  async agencyNames(ids: string[]): Promise<Map<string, AgencyName>> {
    const unique = [...new Set(ids)];
    return new Map(await Promise.all(unique.map(async (id) => [id, await this.deps.agencyName(id)] as const)));
  }

  async get(p: Principal, id: string) {
    const { breach } = await this.readable(p, id);
    return { breach, clock: clockOf(breach, this.now()) };
  }

  /**
   * The people whose data the breach's services returned in its window: keyed hashes (the exchange's, never an id
   * number) with their reads, a page at a time; and the totals. Audited: it reads personal data itself.
   */
  async people(p: Principal, id: string, page: { limit: number; after?: string }) {
    const { breach } = await this.readable(p, id);
    const found = await this.registry.subjectsOfServices(
      breach.service_ids,
      breach.agency_id,
      { from: breach.window_from, until: breach.window_until },
      page.limit,
      page.after ?? null,
    );
    await recordAudit(this.db, actorOf(p), {
      action: 'privacy.breach.people',
      entityType: 'privacy_breach',
      entityId: id,
      agencyId: breach.agency_id,
      after: { listed: found.subjects.length, people: found.people, after: page.after ?? null },
    });
    return found;
  }

  async editNotification(p: Principal, id: string, patch: BreachNotificationPatch) {
    const { user, breach } = await this.readable(p, id);
    if (!BreachService.ownAdmin(user, breach.agency_id)) throw NOT_YOURS();
    if (breach.status !== 'draft')
      throw new DomainError('INVALID_STATE', {
        vi: 'Thông báo đã được gửi: không sửa được nữa.',
        en: 'The notification has been sent: it can no longer be changed.',
      });
    return this.db.transaction().execute(async (trx) => {
      const row = await this.repo
        .with(trx)
        .editNotification(id, patch.version, patch.notificationVi, patch.notificationEn);
      if (!row)
        throw new DomainError('CONFLICT', {
          vi: 'Thông báo vừa được người khác sửa: hãy tải lại và sửa lại.',
          en: 'Someone else changed the notification meanwhile: reload and edit again.',
        });
      await recordAudit(trx, actorOf(p), {
        action: 'privacy.breach.edit',
        entityType: 'privacy_breach',
        entityId: id,
        agencyId: breach.agency_id,
        before: { version: breach.version },
        after: { version: row.version },
      });
      return row;
    });
  }

  /** Sends the notification to the supervisor: kept as sent, the clock stops (late if past 72 hours). */
  async notify(p: Principal, id: string) {
    const { user, breach } = await this.readable(p, id);
    if (!BreachService.ownAdmin(user, breach.agency_id)) throw NOT_YOURS();
    const at = this.now();
    return this.db.transaction().execute(async (trx) => {
      const row = await this.repo.with(trx).markNotified(id, user.userId, at);
      if (!row)
        throw new DomainError('INVALID_STATE', {
          vi: 'Thông báo đã được gửi.',
          en: 'The notification has already been sent.',
        });
      await recordAudit(trx, actorOf(p), {
        action: 'privacy.breach.notify',
        entityType: 'privacy_breach',
        entityId: id,
        agencyId: breach.agency_id,
        after: { notified_at: at, state: clockOf(row, at).state },
      });
      return { breach: row, clock: clockOf(row, at) };
    });
  }

  /**
   * Breaches as `p` may see them: the supervisor every agency's (or one's), an administrator their agencies'.
   * `overdue`: not notified within 72 hours (still open past it, or sent late).
   */
  async list(p: Principal, opts: { agency?: string; overdue?: boolean } = {}) {
    const user = requireUser(p);
    const now = this.now();
    let agencies: string[] | null;
    if (opts.agency) {
      const agencyId = await this.registry.agencyId(opts.agency);
      if (!(BreachService.supervisor(user) || BreachService.ownAdmin(user, agencyId))) throw NOT_YOURS();
      agencies = [agencyId];
    } else if (BreachService.supervisor(user)) agencies = null;
    else {
      agencies = [...user.roles.entries()].filter(([, r]) => r === 'agency_admin').map(([a]) => a);
      if (!agencies.length) throw NOT_YOURS();
    }
    const rows = await this.repo.list(agencies, opts.overdue ? new Date(now.getTime() - NOTIFY_WITHIN_MS) : null);
    return rows.map((breach) => ({ breach, clock: clockOf(breach, now) }));
  }
}
