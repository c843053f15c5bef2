import { sql, type Kysely } from 'kysely';

/** What the daily housekeeping deletes: old access records, old checkpoints beyond one an hour, subject keys no record needs. */
export class HousekeepingRepository {
  constructor(private readonly db: Kysely<any>) {}

  /** Where the housekeeping of a table has got to (everything before it done), else the table's oldest time; null: empty. */
  async housekeepingStart(name: 'access_records' | 'checkpoints'): Promise<Date | null> {
    const mark = await sql<{
      t: Date;
    }>`select done_before as t from exchange_housekeeping_marks where name = ${name}`.execute(this.db);
    if (mark.rows.length) return mark.rows[0]!.t;
    const oldest =
      name === 'access_records'
        ? await sql<{ t: Date | null }>`select min(at) as t from exchange_access_records`.execute(this.db)
        : await sql<{ t: Date | null }>`select min(received_at) as t from exchange_checkpoints`.execute(this.db);
    return oldest.rows[0]?.t ?? null;
  }
  async markHousekept(name: 'access_records' | 'checkpoints', doneBefore: Date): Promise<void> {
    await sql`insert into exchange_housekeeping_marks (name, done_before) values (${name}, ${doneBefore})
      on conflict (name) do update set done_before = excluded.done_before`.execute(this.db);
  }
  /** Deletes up to `limit` subject access records made in [from, to): how many. The window keeps each pass to its own pages. */
  async forgetAccessRecords(from: Date, to: Date, limit: number): Promise<number> {
    const r =
      await sql`delete from exchange_access_records where ctid in (select ctid from exchange_access_records where at >= ${from} and at < ${to} limit ${limit})`.execute(
        this.db,
      );
    return Number(r.numAffectedRows ?? 0);
  }
  /**
   * Deletes the proof windows received in [from, to) that no access record needs any more (none left in the entries
   * they cover): how many. A window comes a second or so after its records, so their hour is done by then.
   */
  async forgetProofWindows(from: Date, to: Date): Promise<number> {
    const r = await sql`delete from exchange_proof_windows w where w.received_at >= ${from} and w.received_at < ${to}
      and not exists (select 1 from exchange_access_records r
        where r.gateway_id = w.gateway_id and r.log_index >= w.from_index and r.log_index < w.tree_size)`.execute(
      this.db,
    );
    return Number(r.numAffectedRows ?? 0);
  }
  /** Deletes the checkpoints received in [from, to) (whole hours) that are not the latest of their gateway's hour: how many. */
  async thinCheckpoints(from: Date, to: Date): Promise<number> {
    const r = await sql`delete from exchange_checkpoints c using (
        select gateway_id, size from (
          select gateway_id, size, row_number() over (partition by gateway_id, date_trunc('hour', received_at) order by size desc) as n
          from exchange_checkpoints where received_at >= ${from} and received_at < ${to}) ranked
        where n > 1) d
      where c.gateway_id = d.gateway_id and c.size = d.size`.execute(this.db);
    return Number(r.numAffectedRows ?? 0);
  }
  /** Drops the kept subject keys that stopped being used before `at` (every record made under them is gone): how many. */
  async dropSubjectKeysBefore(at: Date): Promise<number> {
    const r = await sql<{
      dropped: number;
    }>`with old as (select previous_subject_keys as keys from exchange_authority where id = 1 for update)
      update exchange_authority set previous_subject_keys = (select coalesce(jsonb_agg(k), '[]'::jsonb) from jsonb_array_elements(old.keys) k where (k->>'until')::timestamptz >= ${at})
      from old where id = 1 returning jsonb_array_length(old.keys) - jsonb_array_length(previous_subject_keys) as dropped`.execute(
      this.db,
    );
    return r.rows[0]?.dropped ?? 0;
  }
}
