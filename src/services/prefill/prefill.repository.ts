import type { Kysely } from 'kysely';
import type { PrefillFields } from './prefill.types.js';

export interface PrefillRow {
  id: string;
  procedure_id: string;
  procedure_version: number;
  public_user_id: string;
  subject_hash: string;
  fields: PrefillFields;
  created_at: Date;
  expires_at: Date;
}

/** The only SQL of prefills (`service_prefills`); private to `PrefillService`. */
export class PrefillRepository {
  constructor(private readonly db: Kysely<any>) {}

  async insert(trx: Kysely<any>, row: PrefillRow): Promise<void> {
    await trx
      .insertInto('service_prefills')
      .values({ ...row, fields: JSON.stringify(row.fields) })
      .execute();
  }

  async byId(id: string): Promise<PrefillRow | undefined> {
    return (await this.db.selectFrom('service_prefills').selectAll().where('id', '=', id).executeTakeFirst()) as
      | PrefillRow
      | undefined;
  }

  /** How many prefills a person started since `since`: the per-person limit. */
  async countSince(userId: string, since: Date): Promise<number> {
    const row = await this.db
      .selectFrom('service_prefills')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('public_user_id', '=', userId)
      .where('created_at', '>', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The person's newest prefill of a procedure's version made after `since` and still valid at `now`. */
  async latestOf(userId: string, procedureId: string, version: number, since: Date, now: Date) {
    return (await this.db
      .selectFrom('service_prefills')
      .selectAll()
      .where('public_user_id', '=', userId)
      .where('procedure_id', '=', procedureId)
      .where('procedure_version', '=', version)
      .where('created_at', '>', since)
      .where('expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst()) as PrefillRow | undefined;
  }
}
