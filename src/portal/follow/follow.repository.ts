import { sql, type Kysely } from 'kysely';

export type FollowKind = 'dataset' | 'agency' | 'search';

export interface FollowRow {
  id: string;
  public_user_id: string;
  target_kind: FollowKind;
  target: string;
  search: unknown;
  label: string;
  created_at: Date;
}

export type EventKind = 'dataset.published' | 'version.current' | 'file.added';

export interface EventRow {
  id: string;
  kind: EventKind;
  dataset_id: string;
  agency_id: string;
  distribution_id: string | null;
  version: number | null;
  slug: string;
  title_vi: string;
  title_en: string | null;
  file_title: string | null;
  occurred_at: Date;
}

/** How long a published data set waits before it is told (search indexes follow within 2 s). */
export const SETTLE_MS = 3000;

const EVENT_COLUMNS = [
  'id',
  'kind',
  'dataset_id',
  'agency_id',
  'distribution_id',
  'version',
  'slug',
  'title_vi',
  'title_en',
  'file_title',
  'occurred_at',
] as const;

/** The SQL of follows, the e-mail preference and the outbox of catalog events. Private to the follow service. */
export class FollowRepository {
  constructor(private readonly db: Kysely<any>) {}

  with(trx: Kysely<any>): FollowRepository {
    return new FollowRepository(trx);
  }

  async insert(f: Omit<FollowRow, 'created_at'>): Promise<FollowRow> {
    await this.db
      .insertInto('follows')
      .values({ ...f, search: f.search === null ? null : JSON.stringify(f.search) })
      .onConflict((oc) => oc.columns(['public_user_id', 'target_kind', 'target']).doNothing())
      .execute();
    return (await this.db
      .selectFrom('follows')
      .selectAll()
      .where('public_user_id', '=', f.public_user_id)
      .where('target_kind', '=', f.target_kind)
      .where('target', '=', f.target)
      .executeTakeFirstOrThrow()) as FollowRow;
  }

  async remove(userId: string, id: string): Promise<FollowRow | undefined> {
    return (await this.db
      .deleteFrom('follows')
      .where('id', '=', id)
      .where('public_user_id', '=', userId)
      .returningAll()
      .executeTakeFirst()) as FollowRow | undefined;
  }

  ofUser(userId: string, limit: number): Promise<FollowRow[]> {
    return this.db
      .selectFrom('follows')
      .selectAll()
      .where('public_user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute() as Promise<FollowRow[]>;
  }

  find(userId: string, kind: FollowKind, target: string): Promise<FollowRow | undefined> {
    return this.db
      .selectFrom('follows')
      .selectAll()
      .where('public_user_id', '=', userId)
      .where('target_kind', '=', kind)
      .where('target', '=', target)
      .executeTakeFirst() as Promise<FollowRow | undefined>;
  }

  async countOf(userId: string): Promise<number> {
    const r = await this.db
      .selectFrom('follows')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('public_user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Who follows these data sets or agencies. */
  followersOf(targets: { kind: FollowKind; id: string }[]): Promise<{ public_user_id: string }[]> {
    if (!targets.length) return Promise.resolve([]);
    return this.db
      .selectFrom('follows')
      .select('public_user_id')
      .distinct()
      .where((eb) => eb.or(targets.map((t) => eb.and([eb('target_kind', '=', t.kind), eb('target', '=', t.id)]))))
      .execute();
  }

  /** Every distinct search followed (bounded), with its followers. */
  async searches(limit: number): Promise<{ target: string; search: unknown; users: string[] }[]> {
    const rows = await this.db
      .selectFrom('follows')
      .select([
        'target',
        sql<unknown>`min(search::text)`.as('search'),
        sql<string[]>`array_agg(public_user_id)`.as('users'),
      ])
      .where('target_kind', '=', 'search')
      .groupBy('target')
      .orderBy('target')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      target: r.target as string,
      search: JSON.parse(r.search as string),
      users: r.users as string[],
    }));
  }

  async emailOn(userIds: string[]): Promise<Set<string>> {
    if (!userIds.length) return new Set();
    const off = await this.db
      .selectFrom('follow_prefs')
      .select('public_user_id')
      .where('public_user_id', 'in', userIds)
      .where('email', '=', false)
      .execute();
    const offSet = new Set(off.map((r) => r.public_user_id as string));
    return new Set(userIds.filter((id) => !offSet.has(id)));
  }

  async setEmail(userId: string, on: boolean): Promise<void> {
    await this.db
      .insertInto('follow_prefs')
      .values({ public_user_id: userId, email: on })
      .onConflict((oc) => oc.column('public_user_id').doUpdateSet({ email: on }))
      .execute();
  }

  // ── the outbox ──────────────────────────────────────────────────────────
  async insertEvent(e: Omit<EventRow, 'occurred_at'>): Promise<void> {
    await this.db.insertInto('follow_events').values(e).execute();
  }

  /** Takes up to `limit` events not yet fanned out (none another process holds), holding them for a minute. */
  async claimEvents(now: Date, limit: number): Promise<EventRow[]> {
    const until = new Date(now.getTime() + 60_000);
    return (await this.db
      .updateTable('follow_events')
      .set({ claimed_until: until })
      .where(
        'id',
        'in',
        this.db
          .selectFrom('follow_events')
          .select('id')
          .where('fanned_out_at', 'is', null)
          .where((w) => w.or([w('claimed_until', 'is', null), w('claimed_until', '<', now)]))
          // a new data set is matched against followed searches once every process's search index has it
          .where((w) =>
            w.or([w('kind', '!=', 'dataset.published'), w('occurred_at', '<=', new Date(now.getTime() - SETTLE_MS))]),
          )
          .orderBy('occurred_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returning([...EVENT_COLUMNS])
      .execute()) as EventRow[];
  }

  async fannedOut(id: string, at: Date): Promise<void> {
    await this.db
      .updateTable('follow_events')
      .set({ fanned_out_at: at, claimed_until: null })
      .where('id', '=', id)
      .execute();
  }

  event(id: string): Promise<EventRow | undefined> {
    return this.db
      .selectFrom('follow_events')
      .select([...EVENT_COLUMNS])
      .where('id', '=', id)
      .executeTakeFirst() as Promise<EventRow | undefined>;
  }

  /** The newest events of a data set or an agency (its feed). */
  eventsOf(on: { dataset: string } | { agency: string }, limit: number): Promise<EventRow[]> {
    const [column, id] = 'dataset' in on ? ['dataset_id', on.dataset] : ['agency_id', on.agency];
    return this.db
      .selectFrom('follow_events')
      .select([...EVENT_COLUMNS])
      .where(column, '=', id)
      .orderBy('occurred_at', 'desc')
      .limit(limit)
      .execute() as Promise<EventRow[]>;
  }
}
