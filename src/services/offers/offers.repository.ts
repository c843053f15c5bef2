import { sql, type Kysely } from 'kysely';
import type { EventRow, OfferRow, OfferRuleRow, OfferStatus, OfferView } from './offer.js';

const OFFER_VIEW = [
  'o.id',
  'o.event_id',
  'o.rule_id',
  'o.procedure_id',
  'o.subject_hash',
  'o.status',
  'o.created_at',
  'o.expires_at',
  'o.decided_at',
  'o.dossier_id',
  'e.kind',
  'e.external_id',
  'e.agency_id as event_agency_id',
  'e.data',
  'e.occurred_at',
  'r.message_vi',
  'r.message_en',
] as const;

type ViewRow = OfferRow &
  Pick<EventRow, 'kind' | 'external_id' | 'data' | 'occurred_at'> & {
    event_agency_id: string;
    message_vi: string;
    message_en: string | null;
  };

const toView = ({ kind, external_id, event_agency_id, data, occurred_at, ...o }: ViewRow): OfferView => ({
  ...o,
  event: { kind, external_id, agency_id: event_agency_id, data, occurred_at },
});

/** Rules, events and offers: the only SQL of the offers service. */
export class OffersRepository {
  constructor(private readonly db: Kysely<any>) {}

  async insertRule(trx: Kysely<any>, row: OfferRuleRow) {
    await trx.insertInto('service_offer_rules').values(row).execute();
  }

  async setRuleActive(trx: Kysely<any>, id: string, active: boolean) {
    await trx.updateTable('service_offer_rules').set({ active }).where('id', '=', id).execute();
  }

  async rule(id: string): Promise<OfferRuleRow | undefined> {
    return (await this.db.selectFrom('service_offer_rules').selectAll().where('id', '=', id).executeTakeFirst()) as
      | OfferRuleRow
      | undefined;
  }

  async rulesOf(agencyIds: string[] | 'all'): Promise<OfferRuleRow[]> {
    let q = this.db.selectFrom('service_offer_rules').selectAll();
    if (agencyIds !== 'all') {
      if (!agencyIds.length) return [];
      q = q.where('agency_id', 'in', agencyIds);
    }
    return (await q.orderBy('created_at', 'desc').limit(500).execute()) as OfferRuleRow[];
  }

  async activeRulesFor(fromAgencyId: string, kind: string): Promise<OfferRuleRow[]> {
    return (await this.db
      .selectFrom('service_offer_rules')
      .selectAll()
      .where('from_agency_id', '=', fromAgencyId)
      .where('event_kind', '=', kind)
      .where('active', '=', true)
      .orderBy('created_at')
      .execute()) as OfferRuleRow[];
  }

  async eventByExternalId(agencyId: string, externalId: string): Promise<EventRow | undefined> {
    return (await this.db
      .selectFrom('service_events')
      .selectAll()
      .where('agency_id', '=', agencyId)
      .where('external_id', '=', externalId)
      .executeTakeFirst()) as EventRow | undefined;
  }

  /** Events an agency announced since `since` that were kept (the per-minute bound). */
  async eventsSince(agencyId: string, since: Date): Promise<number> {
    const r = await this.db
      .selectFrom('service_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('agency_id', '=', agencyId)
      .where('received_at', '>', since)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** False when the same (agency, external id) is already there: another request kept it first. */
  async insertEvent(trx: Kysely<any>, row: EventRow): Promise<boolean> {
    const r = await trx
      .insertInto('service_events')
      .values({ ...row, data: JSON.stringify(row.data) })
      .onConflict((oc) => oc.columns(['agency_id', 'external_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return r !== undefined;
  }

  async insertOffers(trx: Kysely<any>, rows: OfferRow[]) {
    if (rows.length) await trx.insertInto('service_offers').values(rows).execute();
  }

  private views(db: Kysely<any> = this.db) {
    return db
      .selectFrom('service_offers as o')
      .innerJoin('service_events as e', 'e.id', 'o.event_id')
      .innerJoin('service_offer_rules as r', 'r.id', 'o.rule_id')
      .select([...OFFER_VIEW]);
  }

  async offersOfEvent(eventId: string): Promise<OfferView[]> {
    const rows = await this.views().where('o.event_id', '=', eventId).orderBy('o.created_at').execute();
    return (rows as ViewRow[]).map(toView);
  }

  async offer(id: string, db: Kysely<any> = this.db): Promise<OfferView | undefined> {
    const row = await this.views(db).where('o.id', '=', id).executeTakeFirst();
    return row ? toView(row as ViewRow) : undefined;
  }

  /** A person's offers (by every keyed hash they are known by), newest first. */
  async offersOfSubject(hashes: string[], status: OfferStatus[]): Promise<OfferView[]> {
    if (!hashes.length) return [];
    const rows = await this.views()
      .where('o.subject_hash', 'in', hashes)
      .where('o.status', 'in', status)
      .orderBy('o.created_at', 'desc')
      .limit(100)
      .execute();
    return (rows as ViewRow[]).map(toView);
  }

  /** The offers of some rules, newest first: the deciding agency's list. */
  async offersOfRules(ruleIds: string[], limit: number): Promise<OfferView[]> {
    if (!ruleIds.length) return [];
    const rows = await this.views()
      .where('o.rule_id', 'in', ruleIds)
      .orderBy('o.created_at', 'desc')
      .limit(limit)
      .execute();
    return (rows as ViewRow[]).map(toView);
  }

  /** Offers per rule and status, an open one past its date counted as expired. */
  async countsByRule(ruleIds: string[], now: Date): Promise<{ rule_id: string; status: OfferStatus; n: number }[]> {
    if (!ruleIds.length) return [];
    const rows = await this.db
      .selectFrom('service_offers')
      .select([
        'rule_id',
        'status',
        (eb) => eb.fn.countAll<string>().as('n'),
        sql<string>`count(*) filter (where expires_at <= ${now})`.as('past'),
      ])
      .where('rule_id', 'in', ruleIds)
      .groupBy(['rule_id', 'status'])
      .execute();
    return rows.flatMap((r) => {
      const n = Number(r.n);
      const past = r.status === 'open' ? Number(r.past) : 0;
      return [
        { rule_id: r.rule_id as string, status: r.status as OfferStatus, n: n - past },
        { rule_id: r.rule_id as string, status: 'expired' as const, n: past },
      ];
    });
  }

  /** Takes an open, unexpired offer for its person's decision; false when another request decided it first. */
  async decide(trx: Kysely<any>, id: string, status: 'accepted' | 'declined', now: Date): Promise<boolean> {
    const r = await trx
      .updateTable('service_offers')
      .set({ status, decided_at: now })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** An acceptance whose prefill or submission failed: the offer is open again. */
  async reopen(trx: Kysely<any>, id: string) {
    await trx
      .updateTable('service_offers')
      .set({ status: 'open', decided_at: null })
      .where('id', '=', id)
      .where('status', '=', 'accepted')
      .where('dossier_id', 'is', null)
      .execute();
  }

  async setDossier(trx: Kysely<any>, id: string, dossierId: string) {
    await trx.updateTable('service_offers').set({ dossier_id: dossierId }).where('id', '=', id).execute();
  }
}
