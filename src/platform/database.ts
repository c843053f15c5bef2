import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';

/**
 * One database layer for both stores: PGlite is reached through its
 * node-postgres shim, so Kysely's PostgresDialect and every repository work
 * unchanged on the embedded database and on a PostgreSQL server.
 */
export type Driver = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<any>;
  driver: Driver;
  close(): Promise<void>;
}

// bigint (count(*), bigserial) arrives as text; our counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));
// numeric stays a string (exact); date stays 'YYYY-MM-DD' text, not a local-midnight Date.
pg.types.setTypeParser(1082, (v) => v);

export interface DatabaseOptions {
  url?: string;
  dataDir?: string;
  poolSize?: number;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10 });
    // Fail at start, with the server's own words, rather than at the first request.
    const client = await pool.connect();
    client.release();
    const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
    return { db, driver: 'postgres', close: () => db.destroy() };
  }
  const dir = opts.dataDir ?? 'memory://';
  if (!dir.startsWith('memory://')) fs.mkdirSync(path.dirname(path.resolve(dir)), { recursive: true });
  const pglite = await PGlite.create(dir);
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    driver: 'pglite',
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}
