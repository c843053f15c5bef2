import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { actorOf, hasAgencyRole, requirePlatformAdmin, requireUser, type Principal } from '../../accounts/principal.js';
import { requirePublicUser, type PublicUser } from '../../identity/public-principal.js';
import type { AgencyRow, MasterDataService } from '../../masterdata/masterdata.service.js';
import type { CalendarService } from '../../masterdata/calendar/calendar.service.js';
import type { DatasetRow } from '../../catalog/datasets.repository.js';
import type { Notifier } from '../notify.js';
import { answerDue, clockAt, type Clock } from './clocks.js';
import {
  DataRequestsRepository,
  type AgencyCountsRow,
  type AssignmentRow,
  type DataRequestRow,
  type ListFilter,
  type Outcome,
} from './data-requests.repository.js';
import type { DataRequestBody, DataRequestStep } from './data-requests.schema.js';
import { nextState, stillOpen, type Change } from './steps.js';

/** Who answers requests in an agency: its editors and administrators. */
export const ANSWER_ROLE = 'agency_editor' as const;
/** Requests one person may ask in a day: enough for any real need, bounded against a flood. */
export const ASKS_PER_DAY = 10;
const NOBODY = { userId: null, tokenId: null };
const OUTCOME_WORDS: Record<Outcome, { vi: string; en: string }> = {
  published: { vi: 'dữ liệu đã được công bố', en: 'the data is published' },
  refused: { vi: 'bị từ chối, có nêu lý do và căn cứ pháp lý', en: 'refused, with the reason and legal ground' },
  not_held: { vi: 'cơ quan không giữ dữ liệu này', en: 'the agency does not hold this data' },
};

export interface DataRequestsDeps {
  masterData: MasterDataService;
  calendar: CalendarService;
  /** a data set's record, without a visibility check (the catalog's `findRecord`) */
  dataset(key: string): Promise<DatasetRow | undefined>;
  notifier: Notifier;
  /** the clock (tests ask on the eve of a holiday) */
  now?: () => Date;
}

/** A request with what its pages and the API show beside it. */
export interface DataRequestView {
  row: DataRequestRow;
  agency: AgencyRow | null;
  /** the deadline of an open request, and how it stands now */
  clock: Clock | null;
}

export interface DataRequestDetail extends DataRequestView {
  trail: { assignment: AssignmentRow; agency: AgencyRow | null }[];
  dataset: { slug: string; title_vi: string; title_en: string | null } | null;
}

export interface AgencyCounts extends AgencyCountsRow {
  agency: AgencyRow | null;
}

/**
 * Requests for data that is not published, under the Law on Access to Information 104/2016/QH13: a public user asks,
 * naming the agency that should hold the data or leaving it to the platform's administrators; the agency answers
 * within 10 working days (Art. 28), once extendable by 10: published (the data set), refused (reason and legal
 * ground) or not held (sent on to another agency, whose clock starts). Requests and answers are public.
 */
export class DataRequestsService {
  private readonly repo: DataRequestsRepository;
  private readonly now: () => Date;

  constructor(
    private readonly db: Kysely<any>,
    private readonly deps: DataRequestsDeps,
  ) {
    this.repo = new DataRequestsRepository(db);
    this.now = deps.now ?? (() => new Date());
  }

  /** A public user asks; the agency named (if any) is told. */
  async ask(u: PublicUser | null, body: DataRequestBody): Promise<DataRequestView> {
    const user = requirePublicUser(u);
    const now = this.now();
    if ((await this.repo.askedSince(user.userId, new Date(now.getTime() - 86_400_000))) >= ASKS_PER_DAY)
      throw new DomainError('TOO_MANY_ATTEMPTS', {
        vi: `Mỗi người gửi được tối đa ${ASKS_PER_DAY} yêu cầu dữ liệu trong 24 giờ.`,
        en: `One person may ask for data at most ${ASKS_PER_DAY} times in 24 hours.`,
      });
    // read before the transaction: the embedded database has one connection
    const agency = body.agency ? await this.deps.masterData.agency(body.agency) : null;
    const rules = await this.deps.calendar.rules();
    const id = randomUUID();
    const due = agency ? answerDue(now, false, rules) : null;
    await this.db.transaction().execute(async (trx) => {
      await this.repo.insert(trx, {
        id,
        public_user_id: user.userId,
        display_name: body.showName ? user.name : null,
        title: body.title.trim(),
        description: body.description.trim(),
        purpose: body.purpose.trim(),
        agency_id: agency?.id ?? null,
        status: agency ? 'open' : 'triage',
        created_at: now,
        received_at: agency ? now : null,
        due_at: due,
        extension_reason: null,
        answered_at: null,
        answer: null,
        legal_ground: null,
        dataset_id: null,
      });
      if (agency) await this.repo.assign(trx, { request_id: id, agency_id: agency.id, received_at: now, due_at: due! });
      // the requester acts, not a staff account
      await recordAudit(trx, NOBODY, {
        action: 'data_request.ask',
        entityType: 'data_request',
        entityId: id,
        agencyId: agency?.id ?? null,
        after: { by: 'public_user', publicUser: user.userId, title: body.title, agency: agency?.id ?? null },
      });
    });
    if (agency) await this.tellAgency(agency.id, id, body.title);
    return this.view((await this.repo.get(id))!);
  }

  /** The public listing, newest first. */
  async list(f: Omit<ListFilter, 'agencyId'> & { agency?: string }) {
    const agencyId = f.agency ? (await this.deps.masterData.agency(f.agency)).id : undefined;
    const { rows, total } = await this.repo.list({ ...f, agencyId });
    return { requests: await this.views(rows), total };
  }

  /** One request, public: its answer, the agencies it went to, the data set that answered it. */
  async get(id: string): Promise<DataRequestDetail> {
    const row = await this.repo.get(id);
    if (!row) throw new DomainError('NOT_FOUND');
    const assignments = await this.repo.assignments(id);
    const agencies = await this.agencies([row.agency_id, ...assignments.map((a) => a.agency_id)]);
    const d = row.dataset_id ? await this.deps.dataset(row.dataset_id) : undefined;
    return {
      ...(await this.view(row)),
      trail: assignments.map((assignment) => ({ assignment, agency: agencies.get(assignment.agency_id) ?? null })),
      dataset: d && d.status === 'published' ? { slug: d.slug, title_vi: d.title_vi, title_en: d.title_en } : null,
    };
  }

  /** Whether this public user has given the request a "+1". */
  voted(u: PublicUser | null, id: string): Promise<boolean> {
    return u ? this.repo.voted(id, u.userId) : Promise.resolve(false);
  }

  /** A "+1" from a signed-in public user, once each, while the request is open; returns the count. */
  async vote(u: PublicUser | null, id: string): Promise<number> {
    const user = requirePublicUser(u);
    const r = await this.repo.get(id);
    if (!r) throw new DomainError('NOT_FOUND');
    if (!stillOpen(r))
      throw new DomainError('INVALID_STATE', {
        vi: 'Yêu cầu đã được trả lời hoặc đóng: không nhận thêm "+1".',
        en: 'The request has been answered or closed: it takes no more "+1".',
      });
    await this.db.transaction().execute(async (trx) => {
      if (await this.repo.vote(trx, id, user.userId))
        await recordAudit(trx, NOBODY, {
          action: 'data_request.vote',
          entityType: 'data_request',
          entityId: id,
          after: { by: 'public_user', publicUser: user.userId },
        });
    });
    return (await this.repo.get(id))!.votes;
  }

  /** The open requests the caller answers (and, for a platform administrator, those awaiting triage). */
  async inbox(p: Principal): Promise<DataRequestView[]> {
    const user = requireUser(p);
    const agencyIds = [...user.roles.keys()].filter((id) => hasAgencyRole(p, id, ANSWER_ROLE));
    const triage = user.isPlatformAdmin && user.via === 'session';
    return this.views(await this.repo.open(agencyIds, triage, 500));
  }

  /** An agency's step (or the administrators' triage), checked under a lock, audited; the requester is told. */
  async step(p: Principal, id: string, s: DataRequestStep): Promise<DataRequestDetail> {
    const user = requireUser(p);
    const current = await this.repo.get(id);
    if (!current) throw new DomainError('NOT_FOUND');
    if (s.step === 'assign') requirePlatformAdmin(p);
    else if (!current.agency_id || !hasAgencyRole(p, current.agency_id, ANSWER_ROLE))
      throw new DomainError('FORBIDDEN', {
        vi: 'Chỉ biên tập viên hoặc quản trị của cơ quan nhận yêu cầu mới trả lời được yêu cầu này.',
        en: 'Only the editors and administrators of the agency the request went to can answer it.',
      });
    // everything read before the transaction: the embedded database has one connection
    const target = 'agency' in s ? s.agency : 'redirectTo' in s ? s.redirectTo : undefined;
    const agency = target ? await this.deps.masterData.agency(target) : null;
    const dataset = s.step === 'publish' ? await this.published(s.dataset) : null;
    const rules = await this.deps.calendar.rules();
    const now = this.now();
    let change: Change | undefined;
    await this.db.transaction().execute(async (trx) => {
      const r = (await this.repo.forUpdate(trx, id))!;
      change = nextState(r, s, { now, rules, agency, dataset });
      await this.repo.update(trx, id, change.set);
      if (change.close && r.agency_id && r.received_at)
        await this.repo.updateAssignment(
          trx,
          { requestId: id, agencyId: r.agency_id, receivedAt: r.received_at },
          change.close,
        );
      if (change.set.due_at && r.agency_id && r.received_at && s.step === 'extend')
        await this.repo.updateAssignment(
          trx,
          { requestId: id, agencyId: r.agency_id, receivedAt: r.received_at },
          { due_at: change.set.due_at },
        );
      if (change.assign) await this.repo.assign(trx, { request_id: id, ...change.assign });
      await recordAudit(trx, actorOf(user), {
        action: `data_request.${s.step}`,
        entityType: 'data_request',
        entityId: id,
        agencyId: r.agency_id,
        before: { status: r.status, agency: r.agency_id, due: r.due_at?.toISOString() ?? null },
        after: { ...s, status: change.set.status ?? r.status },
      });
    });
    if (change?.assign) await this.tellAgency(change.assign.agency_id, id, current.title);
    if (change?.close) await this.tellRequester(current, change.close.outcome!);
    return this.get(id);
  }

  /** Per agency: requests received, answered, answered in time, overdue now (issue 22's index reads these). */
  async counts(agencyKey?: string): Promise<AgencyCounts[]> {
    const ids = agencyKey ? [(await this.deps.masterData.agency(agencyKey)).id] : undefined;
    const rows = await this.repo.counts(this.now(), ids);
    const agencies = await this.agencies(rows.map((r) => r.agency_id));
    return rows.map((r) => ({ ...r, agency: agencies.get(r.agency_id) ?? null }));
  }

  /** The agencies a requester may pick from: ministries, provinces and the like (communes are found by triage). */
  async agencyChoices(): Promise<AgencyRow[]> {
    const { rows } = await this.deps.masterData.listAgencies({ limit: 5000, offset: 0 });
    return rows.filter((a) => a.kind !== 'commune');
  }

  /** The clock the service runs on (pages show days left as of it). */
  clock(): Date {
    return this.now();
  }

  private async published(key: string): Promise<DatasetRow> {
    const d = await this.deps.dataset(key);
    if (d?.status !== 'published')
      throw new DomainError('VALIDATION_FAILED', {
        vi: `Không có bộ dữ liệu đã công bố “${key}”.`,
        en: `There is no published data set “${key}”.`,
      });
    return d;
  }

  private async view(row: DataRequestRow): Promise<DataRequestView> {
    return (await this.views([row]))[0]!;
  }

  private async views(rows: DataRequestRow[]): Promise<DataRequestView[]> {
    const agencies = await this.agencies(rows.map((r) => r.agency_id));
    const open = rows.some((r) => r.due_at && (r.status === 'open' || r.status === 'in_progress'));
    const rules = open ? await this.deps.calendar.rules() : null;
    const now = this.now();
    return rows.map((row) => ({
      row,
      agency: row.agency_id ? (agencies.get(row.agency_id) ?? null) : null,
      clock:
        rules && row.due_at && (row.status === 'open' || row.status === 'in_progress')
          ? clockAt(row.due_at, now, rules)
          : null,
    }));
  }

  private async agencies(ids: (string | null)[]): Promise<Map<string, AgencyRow>> {
    const wanted = [...new Set(ids.filter((x): x is string => !!x))];
    return new Map((await this.deps.masterData.agenciesByIds(wanted)).map((a) => [a.id, a]));
  }

  // a notice lost is no reason to undo the request: delivery (and its retries) belongs to the follow part
  private async tellAgency(agencyId: string, id: string, title: string): Promise<void> {
    await this.deps.notifier
      .notify({
        to: { agencyId },
        kind: 'data_request.received',
        subject: { vi: 'Yêu cầu cung cấp dữ liệu mới', en: 'A new request for data' },
        text: {
          vi: `Cơ quan nhận được yêu cầu “${title}”; hạn trả lời là 10 ngày làm việc.`,
          en: `Your agency received the request “${title}”; it is due in 10 working days.`,
        },
        link: `/data-requests/${id}`,
      })
      .catch(() => undefined);
  }

  private async tellRequester(r: DataRequestRow, outcome: Outcome): Promise<void> {
    await this.deps.notifier
      .notify({
        to: { publicUserId: r.public_user_id },
        kind: 'data_request.answered',
        subject: { vi: 'Yêu cầu dữ liệu của bạn đã được trả lời', en: 'Your request for data was answered' },
        text: {
          vi: `Yêu cầu “${r.title}” đã có trả lời: ${OUTCOME_WORDS[outcome].vi}.`,
          en: `The request “${r.title}” has an answer: ${OUTCOME_WORDS[outcome].en}.`,
        },
        link: `/data-requests/${r.id}`,
      })
      .catch(() => undefined);
  }
}
