import { sql, type Kysely } from 'kysely';

export type DataRequestStatus = 'triage' | 'open' | 'in_progress' | 'published' | 'refused' | 'not_held';
export type Outcome = 'published' | 'refused' | 'not_held';

export interface DataRequestRow {
  id: string;
  public_user_id: string;
  display_name: string | null;
  title: string;
  description: string;
  purpose: string;
  agency_id: string | null;
  status: DataRequestStatus;
  created_at: Date;
  received_at: Date | null;
  due_at: Date | null;
  extension_reason: string | null;
  answered_at: Date | null;
  answer: string | null;
  legal_ground: string | null;
  dataset_id: string | null;
  votes: number;
}

export interface AssignmentRow {
  request_id: string;
  agency_id: string;
  received_at: Date;
  due_at: Date;
  answered_at: Date | null;
  outcome: Outcome | null;
  answer: string | null;
}

export interface AgencyCountsRow {
  agency_id: string;
  received: number;
  answered: number;
  answered_in_time: number;
  overdue: number;
}

export interface ListFilter {
  agencyId?: string;
  status?: DataRequestStatus;
  limit: number;
  offset: number;
}

/** Data requests, their agencies' clocks and their "+1"s; the only SQL of the data requests service. */
export class DataRequestsRepository {
  constructor(private readonly db: Kysely<any>) {}

  async insert(trx: Kysely<any>, row: Omit<DataRequestRow, 'votes'>): Promise<void> {
    await trx.insertInto('data_requests').values(row).execute();
  }

  async assign(trx: Kysely<any>, a: Omit<AssignmentRow, 'answered_at' | 'outcome' | 'answer'>): Promise<void> {
    await trx.insertInto('data_request_assignments').values(a).execute();
  }

  get(id: string): Promise<DataRequestRow | undefined> {
    return this.db.selectFrom('data_requests').selectAll().where('id', '=', id).executeTakeFirst() as Promise<
      DataRequestRow | undefined
    >;
  }

  /** Locks the request for a step, so two officers' answers never cross. */
  forUpdate(trx: Kysely<any>, id: string): Promise<DataRequestRow | undefined> {
    return trx.selectFrom('data_requests').selectAll().where('id', '=', id).forUpdate().executeTakeFirst() as Promise<
      DataRequestRow | undefined
    >;
  }

  async update(trx: Kysely<any>, id: string, set: Partial<DataRequestRow>): Promise<void> {
    await trx.updateTable('data_requests').set(set).where('id', '=', id).execute();
  }

  /** Closes the open assignment of a request at its agency with the agency's answer; or moves its deadline. */
  async updateAssignment(
    trx: Kysely<any>,
    key: { requestId: string; agencyId: string; receivedAt: Date },
    set: Partial<Pick<AssignmentRow, 'answered_at' | 'outcome' | 'answer' | 'due_at'>>,
  ): Promise<void> {
    await trx
      .updateTable('data_request_assignments')
      .set(set)
      .where('request_id', '=', key.requestId)
      .where('agency_id', '=', key.agencyId)
      .where('received_at', '=', key.receivedAt)
      .execute();
  }

  /** The public listing, newest first, with the total for the pager. */
  async list(f: ListFilter): Promise<{ rows: DataRequestRow[]; total: number }> {
    let q = this.db.selectFrom('data_requests');
    if (f.agencyId) q = q.where('agency_id', '=', f.agencyId);
    if (f.status) q = q.where('status', '=', f.status);
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const rows = (await q
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(f.limit)
      .offset(f.offset)
      .execute()) as DataRequestRow[];
    return { rows, total };
  }

  /** Open requests of some agencies (or in triage), soonest due first. */
  open(agencyIds: string[], triage: boolean, limit: number): Promise<DataRequestRow[]> {
    if (!agencyIds.length && !triage) return Promise.resolve([]);
    return this.db
      .selectFrom('data_requests')
      .selectAll()
      .where((eb) =>
        eb.or([
          ...(agencyIds.length
            ? [eb.and([eb('agency_id', 'in', agencyIds), eb('status', 'in', ['open', 'in_progress'])])]
            : []),
          ...(triage ? [eb('status', '=', 'triage')] : []),
        ]),
      )
      .orderBy(sql`due_at nulls first`)
      .orderBy('created_at')
      .limit(limit)
      .execute() as Promise<DataRequestRow[]>;
  }

  /** The agencies a request went to, oldest first (its public trail of redirects). */
  assignments(requestId: string): Promise<AssignmentRow[]> {
    return this.db
      .selectFrom('data_request_assignments')
      .selectAll()
      .where('request_id', '=', requestId)
      .orderBy('received_at')
      .execute() as Promise<AssignmentRow[]>;
  }

  /** Records a "+1" once per user; true when it is new (and the request's count went up). */
  async vote(trx: Kysely<any>, requestId: string, publicUserId: string): Promise<boolean> {
    const added = await trx
      .insertInto('data_request_votes')
      .values({ request_id: requestId, public_user_id: publicUserId })
      .onConflict((oc) => oc.columns(['request_id', 'public_user_id']).doNothing())
      .returning('request_id')
      .executeTakeFirst();
    if (!added) return false;
    await trx.updateTable('data_requests').set({ votes: sql`votes + 1` }).where('id', '=', requestId).execute();
    return true;
  }

  async voted(requestId: string, publicUserId: string): Promise<boolean> {
    return !!(await this.db
      .selectFrom('data_request_votes')
      .select('request_id')
      .where('request_id', '=', requestId)
      .where('public_user_id', '=', publicUserId)
      .executeTakeFirst());
  }

  /** Requests a person asked in the last `since`, against a flood. */
  async askedSince(publicUserId: string, since: Date): Promise<number> {
    const r = await this.db
      .selectFrom('data_requests')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('public_user_id', '=', publicUserId)
      .where('created_at', '>', since)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Per agency: requests received, answered, answered by their deadline, and open past it at `now`. */
  async counts(now: Date, agencyIds?: string[]): Promise<AgencyCountsRow[]> {
    let q = this.db
      .selectFrom('data_request_assignments')
      .select([
        'agency_id',
        (eb) => eb.fn.countAll<number>().as('received'),
        sql<number>`count(*) filter (where answered_at is not null)`.as('answered'),
        sql<number>`count(*) filter (where answered_at <= due_at)`.as('answered_in_time'),
        sql<number>`count(*) filter (where answered_at is null and due_at < ${now})`.as('overdue'),
      ])
      .groupBy('agency_id');
    if (agencyIds) {
      if (!agencyIds.length) return [];
      q = q.where('agency_id', 'in', agencyIds);
    }
    const rows = await q.execute();
    return rows.map((r) => ({
      agency_id: r.agency_id as string,
      received: Number(r.received),
      answered: Number(r.answered),
      answered_in_time: Number(r.answered_in_time),
      overdue: Number(r.overdue),
    }));
  }
}
