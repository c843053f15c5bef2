import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../src/platform/database.js';

export interface TestDriver {
  name: 'pglite' | 'postgres';
  open(): Promise<{ database: Database; dataDir: string; cleanup(): Promise<void> }>;
}

/** PGlite always; PostgreSQL too when NDP_TEST_DATABASE_URL is set (a fresh database per suite). */
export function testDrivers(): TestDriver[] {
  const drivers: TestDriver[] = [
    {
      name: 'pglite',
      async open() {
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ndp-test-'));
        const database = await openDatabase({ dataDir: path.join(dataDir, 'pg') });
        return {
          database,
          dataDir,
          cleanup: async () => {
            await database.close();
            fs.rmSync(dataDir, { recursive: true, force: true });
          },
        };
      },
    },
  ];
  const url = process.env.NDP_TEST_DATABASE_URL;
  if (url) {
    drivers.push({
      name: 'postgres',
      async open() {
        const name = `ndp_t_${randomBytes(6).toString('hex')}`;
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`create database ${name}`);
        await admin.end();
        const u = new URL(url);
        u.pathname = `/${name}`;
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ndp-test-'));
        const database = await openDatabase({ url: u.toString(), poolSize: 8 });
        return {
          database,
          dataDir,
          cleanup: async () => {
            await database.close();
            const c = new pg.Client({ connectionString: url });
            await c.connect();
            await c.query(`drop database if exists ${name} with (force)`);
            await c.end();
            fs.rmSync(dataDir, { recursive: true, force: true });
          },
        };
      },
    });
  }
  return drivers;
}
