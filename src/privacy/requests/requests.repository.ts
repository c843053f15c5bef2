import { sql, type Kysely } from 'kysely';

export type RequestKind = 'access' | 'correction' | 'deletion' | 'restriction' | 'objection' | 'withdraw_consent';
export type RequestStatus = 'received' | 'acknowledged' | 'extended' | 'completed' | 'refused';
export type Why = 'holds' | 'read' | 'holds_and_read';

export interface RequestRow {
  id: string;
  filing_id: string;
  public_user_id: string;
  subject_hash: string;
  subject_name: string;
  agency_id: string;
  why: Why;
  kind: RequestKind;
  details: string;
  status: RequestStatus;
  received_at: Date;
  acknowledge_due: Date;
  complete_due: Date;
  third_party: boolean;
  acknowledged_at: Date | null;
  extension_days: number | null;
  extension_reason: string | null;
  closed_at: Date | null;
  outcome: string | null;
}

export type NewRequest = Omit<
  RequestRow,
  'status' | 'third_party' | 'acknowledged_at' | 'extension_days' | 'extension_reason' | 'closed_at' | 'outcome'
>;

/** Data subjects' requests as filed and answered; the only SQL of the requests service. */
export class RequestsRepository {
  constructor(private readonly db: Kysely<any>) {}

  async insert(trx: Kysely<any>, row: NewRequest): Promise<void> {
    await trx
      .insertInto('privacy_requests')
      .values({ ...row, status: 'received' })
      .execute();
  }

  get(id: string): Promise<RequestRow | undefined> {
    return this.db.selectFrom('privacy_requests').selectAll().where('id', '=', id).executeTakeFirst() as Promise<
      RequestRow | undefined
    >;
  }

  /** Locks the request for a step, so two officers' steps never cross. */
  forUpdate(trx: Kysely<any>, id: string): Promise<RequestRow | undefined> {
    return trx
      .selectFrom('privacy_requests')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst() as Promise<RequestRow | undefined>;
  }

  async update(trx: Kysely<any>, id: string, set: Partial<RequestRow>): Promise<void> {
    await trx.updateTable('privacy_requests').set(set).where('id', '=', id).execute();
  }

  ofPerson(publicUserId: string, limit: number): Promise<RequestRow[]> {
    return this.db
      .selectFrom('privacy_requests')
      .selectAll()
      .where('public_user_id', '=', publicUserId)
      .orderBy('received_at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute() as Promise<RequestRow[]>;
  }

  /** The filings a person made since `since` (distinct filings, whatever the number of agencies each reached). */
  async filingsSince(publicUserId: string, since: Date): Promise<number> {
    const r = await this.db
      .selectFrom('privacy_requests')
      .select(sql<string>`count(distinct filing_id)`.as('n'))
      .where('public_user_id', '=', publicUserId)
      .where('received_at', '>', since)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** An agency's inbox: open requests first (soonest due first), then the closed ones, newest first. */
  ofAgencies(agencyIds: string[], limit: number): Promise<RequestRow[]> {
    if (!agencyIds.length) return Promise.resolve([]);
    return this.db
      .selectFrom('privacy_requests')
      .selectAll()
      .where('agency_id', 'in', agencyIds)
      .orderBy(sql`closed_at is not null`)
      .orderBy(sql`case when closed_at is null then complete_due end`)
      .orderBy('received_at', 'desc')
      .limit(limit)
      .execute() as Promise<RequestRow[]>;
  }

  /** Open requests with a clock run out by `now`: unacknowledged past its 2 working days, or unanswered past its term. */
  overdue(now: Date, limit: number): Promise<RequestRow[]> {
    return this.db
      .selectFrom('privacy_requests')
      .selectAll()
      .where('closed_at', 'is', null)
      .where((eb) =>
        eb.or([
          eb('complete_due', '<', now),
          eb.and([eb('acknowledged_at', 'is', null), eb('acknowledge_due', '<', now)]),
        ]),
      )
      .orderBy(sql`least(complete_due, case when acknowledged_at is null then acknowledge_due end)`)
      .limit(limit)
      .execute() as Promise<RequestRow[]>;
  }
}
