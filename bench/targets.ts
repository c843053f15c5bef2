import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../src/platform/database.js';

export const PG_ADMIN = process.env.NDP_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh database for one benchmark: a new PostgreSQL database, or PGlite in a temporary data directory. */
export async function openTarget(
  kind: 'postgres' | 'pglite',
  name: string,
): Promise<{ database: Database; dataDir: string; drop(): Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ndp-bench-'));
  if (kind === 'pglite') {
    const database = await openDatabase({ dataDir: path.join(dataDir, 'pg') });
    return {
      database,
      dataDir,
      drop: async () => {
        await database.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const db = `ndp_bench_${name}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`drop database if exists ${db} with (force)`);
  await admin.query(`create database ${db}`);
  await admin.end();
  const u = new URL(PG_ADMIN);
  u.pathname = `/${db}`;
  const database = await openDatabase({ url: u.toString(), poolSize: 10 });
  return {
    database,
    dataDir,
    drop: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: PG_ADMIN });
      await c.connect();
      await c.query(`drop database if exists ${db} with (force)`);
      await c.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const TARGETS = (['postgres', 'pglite'] as const).filter(
  (k) => !process.env.NDP_BENCH_TARGET || process.env.NDP_BENCH_TARGET === k,
);
