import { sql, type Kysely } from 'kysely';
import type { ResultKeyRow, ResultRow } from './result.js';

/** Results, their agencies' signing keys and numbering: the only SQL of the results service. */
export class ResultsRepository {
  constructor(private readonly db: Kysely<any>) {}

  async currentKey(agencyId: string): Promise<ResultKeyRow | undefined> {
    return (await this.db
      .selectFrom('service_result_keys')
      .selectAll()
      .where('agency_id', '=', agencyId)
      .where('retired_at', 'is', null)
      .executeTakeFirst()) as ResultKeyRow | undefined;
  }

  async key(kid: string): Promise<ResultKeyRow | undefined> {
    return (await this.db.selectFrom('service_result_keys').selectAll().where('kid', '=', kid).executeTakeFirst()) as
      | ResultKeyRow
      | undefined;
  }

  async publicKeys(): Promise<Pick<ResultKeyRow, 'kid' | 'agency_id' | 'public_jwk' | 'created_at' | 'retired_at'>[]> {
    return (await this.db
      .selectFrom('service_result_keys')
      .select(['kid', 'agency_id', 'public_jwk', 'created_at', 'retired_at'])
      .orderBy('created_at')
      .execute()) as ResultKeyRow[];
  }

  /** Inserts a new current key unless another process made one first (the one current key per agency index). */
  async insertKey(row: ResultKeyRow): Promise<void> {
    await this.db
      .insertInto('service_result_keys')
      .values({ ...row, public_jwk: JSON.stringify(row.public_jwk) })
      .onConflict((oc) => oc.column('agency_id').where('retired_at', 'is', null).doNothing())
      .execute();
  }

  async retireKey(trx: Kysely<any>, agencyId: string, at: Date): Promise<string | undefined> {
    const row = await trx
      .updateTable('service_result_keys')
      .set({ retired_at: at })
      .where('agency_id', '=', agencyId)
      .where('retired_at', 'is', null)
      .returning('kid')
      .executeTakeFirst();
    return row?.kid as string | undefined;
  }

  /** The agency's next number in the year, taken in the issuing transaction (the row lock orders concurrent issues). */
  async nextNumber(trx: Kysely<any>, agencyId: string, year: number): Promise<number> {
    const row = await trx
      .insertInto('service_result_counters')
      .values({ agency_id: agencyId, year, last: 1 })
      .onConflict((oc) =>
        oc.columns(['agency_id', 'year']).doUpdateSet({ last: sql`service_result_counters.last + 1` }),
      )
      .returning('last')
      .executeTakeFirstOrThrow();
    return Number(row.last);
  }

  async insert(trx: Kysely<any>, row: ResultRow): Promise<void> {
    await trx
      .insertInto('service_results')
      .values({ ...row, payload: JSON.stringify(row.payload) })
      .execute();
  }

  async byId(id: string): Promise<ResultRow | undefined> {
    return (await this.db.selectFrom('service_results').selectAll().where('id', '=', id).executeTakeFirst()) as
      | ResultRow
      | undefined;
  }

  async byDossier(dossierId: string): Promise<ResultRow | undefined> {
    return (await this.db
      .selectFrom('service_results')
      .selectAll()
      .where('dossier_id', '=', dossierId)
      .executeTakeFirst()) as ResultRow | undefined;
  }

  async revoke(trx: Kysely<any>, id: string, at: Date, reason: string): Promise<void> {
    await trx
      .updateTable('service_results')
      .set({ revoked_at: at, revoke_reason: reason })
      .where('id', '=', id)
      .execute();
  }

  /** The person's latest result of a procedure still in force at `now`. */
  async latestValid(subjectHashes: string[], procedureId: string, now: Date): Promise<ResultRow | undefined> {
    if (!subjectHashes.length) return undefined;
    return (await this.db
      .selectFrom('service_results')
      .selectAll()
      .where('subject_hash', 'in', subjectHashes)
      .where('procedure_id', '=', procedureId)
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', now)]))
      .orderBy('issued_at', 'desc')
      .limit(1)
      .executeTakeFirst()) as ResultRow | undefined;
  }

  async ofUser(publicUserId: string): Promise<ResultRow[]> {
    return (await this.db
      .selectFrom('service_results')
      .selectAll()
      .where('public_user_id', '=', publicUserId)
      .orderBy('issued_at', 'desc')
      .limit(200)
      .execute()) as ResultRow[];
  }
}
