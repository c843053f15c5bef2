import { sql, type Kysely } from 'kysely';

export interface BreachRow {
  id: string;
  agency_id: string;
  detected_at: Date;
  window_from: Date;
  window_until: Date;
  description: string;
  service_ids: string[];
  notification_vi: string;
  notification_en: string;
  status: 'draft' | 'notified';
  notified_at: Date | null;
  notified_by: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** Personal-data breaches agencies record; private to `BreachService`. */
export class BreachRepository {
  constructor(private readonly db: Kysely<any>) {}
  with(trx: Kysely<any>) {
    return new BreachRepository(trx);
  }
  async insert(
    row: Omit<BreachRow, 'status' | 'notified_at' | 'notified_by' | 'created_at' | 'updated_at' | 'version'>,
  ) {
    return (await this.db
      .insertInto('privacy_breaches')
      .values({ ...row, service_ids: sql`${row.service_ids}::uuid[]` })
      .returningAll()
      .executeTakeFirstOrThrow()) as BreachRow;
  }
  find(id: string) {
    return this.db.selectFrom('privacy_breaches').selectAll().where('id', '=', id).executeTakeFirst() as Promise<
      BreachRow | undefined
    >;
  }
  /** Newest detection first; of some agencies, or all (`null`); `overdueBefore`: drafts detected before it, or sent after their due time. */
  list(agencies: string[] | null, overdueBefore: Date | null, limit = 500) {
    let q = this.db.selectFrom('privacy_breaches').selectAll();
    if (agencies) q = agencies.length ? q.where('agency_id', 'in', agencies) : q.where(sql<boolean>`false`);
    if (overdueBefore)
      q = q.where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'draft'), eb('detected_at', '<', overdueBefore)]),
          eb('notified_at', '>', sql<Date>`detected_at + interval '72 hours'`),
        ]),
      );
    return q.orderBy('detected_at', 'desc').limit(limit).execute() as Promise<BreachRow[]>;
  }
  /** The notification's new text, if `version` is still the current one and the draft unsent. */
  async editNotification(id: string, version: number, vi: string, en: string) {
    return (await this.db
      .updateTable('privacy_breaches')
      .set({ notification_vi: vi, notification_en: en, version: version + 1, updated_at: new Date() })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('status', '=', 'draft')
      .returningAll()
      .executeTakeFirst()) as BreachRow | undefined;
  }
  async markNotified(id: string, userId: string | null, at: Date) {
    return (await this.db
      .updateTable('privacy_breaches')
      .set({ status: 'notified', notified_at: at, notified_by: userId, version: sql`version + 1`, updated_at: at })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .returningAll()
      .executeTakeFirst()) as BreachRow | undefined;
  }
}
