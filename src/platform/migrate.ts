import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

export interface Migration {
  id: string;
  sql: string;
}

// Arbitrary constant: every ndp process takes the same advisory lock.
const MIGRATION_LOCK = 4_205_171_142;

/**
 * Applies forward-only migrations in order, each in its own transaction, under
 * an advisory lock so that two processes starting together do not race. An
 * applied migration whose text changed is refused: history is never rewritten.
 */
export async function migrate(db: Kysely<any>, migrations: Migration[]): Promise<string[]> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
    try {
      await sql`create table if not exists ndp_migrations (
        id text primary key, checksum text not null, applied_at timestamptz not null default now())`.execute(conn);
      const done = await sql<{ id: string; checksum: string }>`select id, checksum from ndp_migrations`.execute(conn);
      const applied = new Map(done.rows.map((r) => [r.id, r.checksum]));
      const ran: string[] = [];
      for (const m of migrations) {
        const checksum = createHash('sha256').update(m.sql).digest('hex');
        const known = applied.get(m.id);
        if (known) {
          if (known !== checksum)
            throw new Error(`Migration ${m.id} was changed after it was applied; add a new migration instead.`);
          continue;
        }
        await conn.transaction().execute(async (trx) => {
          await sql.raw(m.sql).execute(trx);
          await sql`insert into ndp_migrations (id, checksum) values (${m.id}, ${checksum})`.execute(trx);
        });
        ran.push(m.id);
      }
      return ran;
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
    }
  });
}
