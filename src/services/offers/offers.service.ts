import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { actorOf, hasAgencyRole, requireAgencyRole, requireUser, type Principal } from '../../accounts/principal.js';
import { requireCitizen, type PublicUser } from '../../identity/public-principal.js';
import type { ProcedureRow } from '../procedures/procedure.js';
import type { ProceduresService } from '../procedures/procedures.service.js';
import type { EventFacts, Prefill } from '../prefill/prefill.types.js';
import {
  effectiveStatus,
  type EventRow,
  type OfferRow,
  type OfferRuleRow,
  type OfferStatus,
  type OfferView,
} from './offer.js';
import { OffersRepository } from './offers.repository.js';
import type { EventBody, RuleBody } from './offers.schema.js';

/** Who writes a deciding agency's rules: its administrators (as its procedures). */
export const RULE_ROLE = 'agency_admin' as const;
/** Who announces a register's events: its agency's editors (an API token of the system that keeps the register). */
export const ANNOUNCE_ROLE = 'agency_editor' as const;
const DAY = 86_400_000;

/**
 * What acceptance needs from the other sub-parts: a prefill of the offered procedure for the person, and the
 * submission of a dossier that accepts every prefilled value (`services.part.ts` wires prefill/ and dossiers/).
 */
export interface OfferJourney {
  prefill(u: PublicUser, code: string, opts: { offerId: string; facts: EventFacts }): Promise<Prefill>;
  submitAccepted(u: PublicUser, prefill: Prefill): Promise<{ id: string; reference: string }>;
}

export interface OffersDeps {
  procedures: ProceduresService;
  /** an agency by id, key or code (masterdata) */
  agencyId(key: string): Promise<string>;
  /** agencies' names by id (masterdata), for the dashboard */
  agencyNames(ids: string[]): Promise<Map<string, AgencyName>>;
  /** the exchange's keyed hash of an X-Road user id under the registry's current subject key */
  subjectHash(xRoadUserId: string): Promise<string>;
  /** the signed-in citizen's keyed hashes under every subject key the registry keeps */
  subjectHashes(u: PublicUser | null): Promise<string[]>;
  /** events an announcing agency may send in a minute */
  eventsPerMinute?: number;
  now?: () => Date;
}

export type AgencyName = { name_vi: string; name_en: string | null };
export type Announced = { outcome: 'created' | 'repeated' | 'ignored'; event: EventRow | null; offers: OfferView[] };
/** An offer with the procedure it offers. */
export type OfferShown = OfferView & { procedure: ProcedureRow };
/** What an acceptance led to: a submitted dossier, or the apply form with what registers gave. */
export type Accepted = {
  offer: OfferShown;
  dossier: { id: string; reference: string } | null;
  applyUrl: string | null;
};

/**
 * Proactive offers: a deciding agency's rule turns each event of a kind that one register announces into an offer of
 * its procedure to the person the event concerns; the person accepts it in one click (prefilled, and submitted at
 * once when the registers gave every required field) or declines it. Events are kept only when a rule takes them.
 */
export class OffersService {
  private readonly repo: OffersRepository;
  private readonly now: () => Date;
  /** set by `services.part.ts` once prefill and dossiers exist; tests put a fake here */
  journey: OfferJourney | null = null;

  constructor(
    private readonly db: Kysely<any>,
    private readonly deps: OffersDeps,
  ) {
    this.repo = new OffersRepository(db);
    this.now = deps.now ?? (() => new Date());
  }

  async createRule(p: Principal, body: RuleBody): Promise<OfferRuleRow> {
    requireUser(p);
    const procedure = await this.deps.procedures.get(p, body.procedure);
    requireAgencyRole(p, procedure.agency_id, RULE_ROLE);
    const fromAgency = await this.deps.agencyId(body.from_agency).catch(() => {
      throw invalidField('from_agency', 'Không có cơ quan này.', 'No such agency.');
    });
    const row: OfferRuleRow = {
      id: randomUUID(),
      agency_id: procedure.agency_id,
      event_kind: body.event_kind,
      from_agency_id: fromAgency,
      procedure_id: procedure.id,
      message_vi: body.message_vi.trim(),
      message_en: body.message_en?.trim() || null,
      offer_days: body.offer_days ?? 90,
      active: true,
      created_at: this.now(),
    };
    await this.db.transaction().execute(async (trx) => {
      await this.repo.insertRule(trx, row);
      await recordAudit(trx, actorOf(p), {
        action: 'services.offer_rule.create',
        entityType: 'service_offer_rule',
        entityId: row.id,
        agencyId: row.agency_id,
        after: { event_kind: row.event_kind, from_agency: fromAgency, procedure: procedure.code },
      });
    });
    return row;
  }

  async setRuleActive(p: Principal, id: string, active: boolean): Promise<OfferRuleRow> {
    const rule = await this.repo.rule(id);
    if (!rule || !hasAgencyRole(p, rule.agency_id, 'viewer')) throw ruleNotFound();
    requireAgencyRole(p, rule.agency_id, RULE_ROLE);
    await this.db.transaction().execute(async (trx) => {
      await this.repo.setRuleActive(trx, id, active);
      await recordAudit(trx, actorOf(p), {
        action: 'services.offer_rule.active',
        entityType: 'service_offer_rule',
        entityId: id,
        agencyId: rule.agency_id,
        before: { active: rule.active },
        after: { active },
      });
    });
    return { ...rule, active };
  }

  /** The rules of the agencies where the caller holds `min` (a platform administrator's session: every agency's). */
  async rules(p: Principal, min: 'viewer' | typeof RULE_ROLE = RULE_ROLE): Promise<OfferRuleRow[]> {
    const user = requireUser(p);
    if (user.isPlatformAdmin && user.via === 'session') return this.repo.rulesOf('all');
    return this.repo.rulesOf([...user.roles.keys()].filter((a) => hasAgencyRole(user, a, min)));
  }

  /** The dashboard's view: the rules the caller's agencies keep, their offers per status, the latest offers. */
  async board(p: Principal) {
    const rules = await this.rules(p, 'viewer');
    const ids = rules.map((r) => r.id);
    const now = this.now();
    const counts = new Map<string, Record<OfferStatus, number>>(
      ids.map((id) => [id, { open: 0, accepted: 0, declined: 0, expired: 0 }]),
    );
    for (const c of await this.repo.countsByRule(ids, now)) counts.get(c.rule_id)![c.status] += c.n;
    const procedures = await this.proceduresOf(rules.map((r) => r.procedure_id));
    const latest = await this.repo.offersOfRules(ids, 50);
    const names = await this.deps.agencyNames([...new Set(rules.map((r) => r.from_agency_id))]);
    const unknown = { name_vi: '—', name_en: null };
    return {
      rules: rules.map((r) => ({
        rule: r,
        procedure: procedures.get(r.procedure_id)!,
        from: names.get(r.from_agency_id) ?? unknown,
        counts: counts.get(r.id)!,
      })),
      latest: latest.map((o) => ({
        ...o,
        status: effectiveStatus(o, now),
        procedure: procedures.get(o.procedure_id)!,
      })),
    };
  }

  /**
   * An event announced by a register's system: kept with the offers every active rule for (agency, kind) makes, in
   * one transaction with its audit record, before the answer. The same id again makes nothing new.
   */
  async announce(p: Principal, body: EventBody): Promise<Announced> {
    const user = requireUser(p);
    const agencyId = body.agency ? await this.agencyOrForbidden(body.agency) : this.onlyAgency(user);
    requireAgencyRole(p, agencyId, ANNOUNCE_ROLE);
    const repeated = await this.repo.eventByExternalId(agencyId, body.id);
    if (repeated) return this.repeated(repeated);
    const occurredAt = readDate(body.occurredAt);
    const now = this.now();
    if (occurredAt.getTime() > now.getTime() + DAY)
      throw invalidField('occurredAt', 'Sự kiện chưa xảy ra.', 'The event has not happened yet.');
    const rules = await this.repo.activeRulesFor(agencyId, body.kind);
    if (!rules.length) return { outcome: 'ignored', event: null, offers: [] };
    const limit = this.deps.eventsPerMinute ?? 600;
    if ((await this.repo.eventsSince(agencyId, new Date(now.getTime() - 60_000))) >= limit)
      throw new DomainError('TOO_MANY_ATTEMPTS', {
        vi: `Mỗi cơ quan gửi tối đa ${limit} sự kiện một phút; hãy gửi lại sau.`,
        en: `An agency announces at most ${limit} events a minute; send again shortly.`,
      });
    const person = body.person.startsWith('VN') ? body.person : `VN${body.person}`;
    const event: EventRow = {
      id: randomUUID(),
      agency_id: agencyId,
      external_id: body.id,
      kind: body.kind,
      subject_hash: await this.deps.subjectHash(person),
      data: body.data ?? {},
      occurred_at: occurredAt,
      received_at: now,
    };
    const offers: OfferRow[] = rules.map((r) => ({
      id: randomUUID(),
      event_id: event.id,
      rule_id: r.id,
      procedure_id: r.procedure_id,
      subject_hash: event.subject_hash,
      status: 'open',
      created_at: now,
      expires_at: new Date(now.getTime() + r.offer_days * DAY),
      decided_at: null,
      dossier_id: null,
    }));
    const kept = await this.db.transaction().execute(async (trx) => {
      if (!(await this.repo.insertEvent(trx, event))) return false;
      await this.repo.insertOffers(trx, offers);
      await recordAudit(trx, actorOf(p), {
        action: 'services.event.announce',
        entityType: 'service_event',
        entityId: event.id,
        agencyId,
        after: { kind: event.kind, id: event.external_id, offers: offers.map((o) => o.id) },
      });
      return true;
    });
    if (!kept) return this.repeated((await this.repo.eventByExternalId(agencyId, body.id))!);
    return { outcome: 'created', event, offers: await this.repo.offersOfEvent(event.id) };
  }

  /** The person's open offers, found by every keyed hash they are known by. */
  async mine(u: PublicUser | null): Promise<OfferShown[]> {
    requireCitizen(u, 2);
    const now = this.now();
    const open = (await this.repo.offersOfSubject(await this.deps.subjectHashes(u), ['open'])).filter(
      (o) => effectiveStatus(o, now) === 'open',
    );
    return this.shown(open);
  }

  /** One of the person's offers; another person's is not found. */
  async own(u: PublicUser | null, id: string): Promise<OfferShown> {
    requireCitizen(u, 2);
    const hashes = await this.deps.subjectHashes(u);
    const offer = await this.repo.offer(id);
    if (!offer || !hashes.includes(offer.subject_hash)) throw offerNotFound();
    const [shown] = await this.shown([{ ...offer, status: effectiveStatus(offer, this.now()) }]);
    return shown!;
  }

  /**
   * One click: the offer is taken (so a second click makes no second dossier), the procedure prefilled from the
   * registers and, when they gave every required field, the dossier submitted accepting every value; otherwise the
   * apply form opens on that prefill (`?prefill=`: the registers are not asked twice). A failure on the way leaves the offer open.
   */
  async accept(u: PublicUser | null, id: string): Promise<Accepted> {
    const offer = await this.own(u, id);
    const journey = this.journey;
    if (!journey)
      throw new DomainError('INVALID_STATE', {
        vi: 'Chưa nhận được hồ sơ trực tuyến lúc này; hãy thử lại sau.',
        en: 'Applications cannot be received yet; try again later.',
      });
    if (offer.procedure.status !== 'published')
      throw new DomainError('INVALID_STATE', {
        vi: 'Thủ tục này không còn được nhận trực tuyến.',
        en: 'This procedure is no longer taken online.',
      });
    await this.decide(offer, 'accepted');
    try {
      // the announced event is evidence: its values (keyed by dictionary element) fill the fields bound to them
      const facts: EventFacts = {
        values: offer.event.data,
        agency_id: offer.event.agency_id,
        event: {
          kind: offer.event.kind,
          id: offer.event.external_id,
          occurred_at: new Date(offer.event.occurred_at).toISOString(),
        },
      };
      const prefill = await journey.prefill(u!, offer.procedure.code, { offerId: id, facts });
      const complete = offer.procedure.fields
        .filter((f) => f.required)
        .every((f) => {
          const got = prefill.fields[f.key];
          return got !== undefined && 'value' in got;
        });
      if (!complete)
        return {
          offer: { ...offer, status: 'accepted' },
          dossier: null,
          applyUrl: `/services/${encodeURIComponent(offer.procedure.code)}/apply?prefill=${prefill.id}&offer=${id}`,
        };
      const dossier = await journey.submitAccepted(u!, prefill);
      await this.db.transaction().execute((trx) => this.repo.setDossier(trx, id, dossier.id));
      return { offer: { ...offer, status: 'accepted', dossier_id: dossier.id }, dossier, applyUrl: null };
    } catch (err) {
      await this.db.transaction().execute((trx) => this.repo.reopen(trx, id));
      throw err;
    }
  }

  async decline(u: PublicUser | null, id: string): Promise<OfferShown> {
    const offer = await this.own(u, id);
    await this.decide(offer, 'declined');
    return { ...offer, status: 'declined', decided_at: this.now() };
  }

  private async decide(offer: OfferShown, status: 'accepted' | 'declined') {
    const now = this.now();
    await this.db.transaction().execute(async (trx) => {
      if (!(await this.repo.decide(trx, offer.id, status, now)))
        throw new DomainError('INVALID_STATE', {
          vi: 'Đề nghị này đã được trả lời hoặc đã hết hạn.',
          en: 'This offer has already been answered or has expired.',
        });
      // the person acts, not a staff account: the trail names them as the keyed hash only
      await recordAudit(
        trx,
        { userId: null, tokenId: null },
        {
          action: `services.offer.${status === 'accepted' ? 'accept' : 'decline'}`,
          entityType: 'service_offer',
          entityId: offer.id,
          agencyId: offer.procedure.agency_id,
          after: { by: 'data_subject', subject: offer.subject_hash.slice(0, 32) },
        },
      );
    });
  }

  private async repeated(event: EventRow): Promise<Announced> {
    return { outcome: 'repeated', event, offers: await this.repo.offersOfEvent(event.id) };
  }

  private async shown(offers: OfferView[]): Promise<OfferShown[]> {
    const procedures = await this.proceduresOf(offers.map((o) => o.procedure_id));
    return offers.map((o) => ({ ...o, procedure: procedures.get(o.procedure_id)! }));
  }

  private async proceduresOf(ids: string[]): Promise<Map<string, ProcedureRow>> {
    const unique = [...new Set(ids)];
    const rows = await Promise.all(unique.map((id) => this.deps.procedures.byId(id)));
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** A token speaks for its one agency; a session naming none is asked to. */
  private onlyAgency(user: ReturnType<typeof requireUser>): string {
    const agencies = [...user.roles.keys()];
    if (agencies.length !== 1)
      throw invalidField('agency', 'Hãy nêu cơ quan công bố sự kiện.', 'Name the announcing agency.');
    return agencies[0]!;
  }

  private async agencyOrForbidden(key: string): Promise<string> {
    return this.deps.agencyId(key).catch(() => {
      throw new DomainError('FORBIDDEN', {
        vi: 'Bạn không có quyền trên dữ liệu của cơ quan này.',
        en: "You have no rights on this agency's data.",
      });
    });
  }
}

function readDate(s: string): Date {
  const d = new Date(s.length === 10 ? `${s}T00:00:00+07:00` : s);
  if (Number.isNaN(d.getTime())) throw invalidField('occurredAt', 'Ngày không hợp lệ.', 'Not a valid date.');
  return d;
}

const invalidField = (field: string, vi: string, en: string) =>
  new DomainError('VALIDATION_FAILED', { vi, en }, [{ field, vi, en }]);
const ruleNotFound = () => new DomainError('NOT_FOUND', { vi: 'Không tìm thấy quy tắc.', en: 'No such rule.' });
const offerNotFound = () => new DomainError('NOT_FOUND', { vi: 'Không tìm thấy đề nghị.', en: 'No such offer.' });
