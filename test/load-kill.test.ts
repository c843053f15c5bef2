import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { testDrivers } from './drivers.js';
import { openDatabase, type Database } from '../src/platform/database.js';
import { migrate } from '../src/platform/migrate.js';
import { MIGRATIONS } from '../src/migrations/index.js';
import { loadTable } from '../src/datastore/load/loader.js';
import { cleanUpInterruptedLoads } from '../src/datastore/load/table-versions.js';

/** Enough rows that the load is still running when the first progress line arrives. */
function bigCsv(file: string, rows: number) {
  const out = fs.createWriteStream(file);
  out.write('ma,ten,gia_tri,ngay\n');
  for (let i = 0; i < rows; i++) out.write(`${i},Đơn vị số ${i},${(i * 1.5).toFixed(1)},2025-07-01\n`);
  return new Promise((r) => out.end(r));
}

for (const driver of testDrivers()) {
  describe(`a load killed half-way on ${driver.name}`, () => {
    it('leaves the previous version intact and the half-load is cleaned up at the next start', async () => {
      const { database, dataDir, cleanup } = await driver.open();
      const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ndp-kill-'));
      try {
        await migrate(database.db, MIGRATIONS);
        const agency = crypto.randomUUID();
        const dataset = crypto.randomUUID();
        const distribution = crypto.randomUUID();
        await sql`insert into agencies (id, code, slug, name_vi, kind) values (${agency}, '000.00.00.X01', 'x', 'X', 'other')`.execute(
          database.db,
        );
        await sql`insert into datasets (id, slug, agency_id, title_vi, description_vi, access_rights, update_frequency, status) values (${dataset}, 'x', ${agency}, 'x', 'x', 'public', 'UNKNOWN', 'draft')`.execute(
          database.db,
        );
        await sql`insert into distributions (id, dataset_id, position, title_vi, kind) values (${distribution}, ${dataset}, 0, 'x', 'file')`.execute(
          database.db,
        );
        const v1 = await loadTable(database, distribution, () =>
          Readable.from([Buffer.from('ma,ten\n1,một\n2,hai\n')]),
        );
        const big = path.join(work, 'big.csv');
        await bigCsv(big, 400_000);
        const url = driver.name === 'postgres' ? await urlOf(database) : '';
        await database.close(); // the child takes the database over, as a second process would

        const child = spawn(
          process.execPath,
          ['--import', 'tsx', 'test/load-child.ts', url || dataDir, distribution, big],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let out = '';
        await new Promise<void>((resolve, reject) => {
          child.stdout.on('data', (d) => {
            out += d;
            if (out.includes('progress')) child.kill('SIGKILL');
          });
          child.on('exit', () => resolve());
          child.on('error', reject);
        });
        expect(out).not.toContain('done');

        const again = await openDatabase(url ? { url } : { dataDir: path.join(dataDir, 'pg') });
        try {
          expect(await cleanUpInterruptedLoads(again)).toBe(1);
          const versions = await again.db
            .selectFrom('datastore_tables')
            .select(['version', 'status'])
            .orderBy('version')
            .execute();
          expect(versions).toEqual([
            { version: 1, status: 'ready' },
            { version: 2, status: 'failed' },
          ]);
          const rows = await sql<{
            n: number;
          }>`select count(*)::int as n from ${sql.table(`datastore.${v1.tableName}`)}`.execute(again.db);
          expect(rows.rows[0]!.n).toBe(2);
          const tables = await sql<{
            n: number;
          }>`select count(*)::int as n from information_schema.tables where table_schema = 'datastore'`.execute(
            again.db,
          );
          expect(tables.rows[0]!.n).toBe(1);
        } finally {
          await again.close();
        }
      } finally {
        fs.rmSync(work, { recursive: true, force: true });
        await cleanup().catch(() => undefined);
      }
    }, 120_000);
  });
}

/** The connection string of a PostgreSQL test database, read back from the server. */
async function urlOf(database: Database): Promise<string> {
  const r = await sql<{ db: string }>`select current_database() as db`.execute(database.db);
  const u = new URL(process.env.NDP_TEST_DATABASE_URL!);
  u.pathname = `/${r.rows[0]!.db}`;
  return u.toString();
}
