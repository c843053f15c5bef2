import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type CompiledQuery } from 'kysely';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';
import type { Database } from './database.js';
import { Jobs } from './jobs.js';

for (const driver of testDrivers()) {
  describe(`the job queue on ${driver.name}`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(driver);
    });
    afterAll(async () => {
      await h.close();
    });

    it('does not stop before a finished job is written as done, so the database can be closed right after', async () => {
      // the statement that marks a job completed is made slow, as under load
      let completionWritten = false;
      const real = h.database.db;
      const slowDb = new Proxy(real, {
        get(target, prop) {
          if (prop === 'executeQuery') {
            return async (q: CompiledQuery) => {
              const slow = /SET completed_on = now\(\)/.test(q.sql);
              const r = await target.executeQuery(q);
              if (slow) {
                await new Promise((res) => setTimeout(res, 400));
                completionWritten = true;
              }
              return r;
            };
          }
          const v = Reflect.get(target, prop, target) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
      const jobs = new Jobs({ ...h.database, db: slowDb } as Database, silent);
      let ran = false;
      jobs.handle('jobs-test', async () => {
        ran = true;
      });
      await jobs.start();
      const id = await jobs.send('jobs-test', {});
      expect(id).not.toBeNull();
      for (let i = 0; i < 100 && !ran; i++) await new Promise((r) => setTimeout(r, 50));
      expect(ran).toBe(true);
      await jobs.stop();
      expect(completionWritten).toBe(true);
      const row = await sql<{ state: string }>`select state::text from jobs.job where id = ${id}::uuid`.execute(h.db);
      expect(row.rows[0]?.state).toBe('completed');
    });
  });
}

const silent = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return silent;
  },
} as never;
