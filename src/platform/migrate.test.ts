import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testDrivers } from '../../test/drivers.js';
import { migrate } from './migrate.js';
import type { Database } from './database.js';

for (const driver of testDrivers()) {
  describe(`migrations on ${driver.name}`, () => {
    let database: Database;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ database, cleanup } = await driver.open());
    });
    afterAll(() => cleanup());

    it('applies each migration once, in order, and records it', async () => {
      const ms = [
        { id: 'a', sql: 'create table t1 (x int);' },
        { id: 'b', sql: 'insert into t1 values (1); insert into t1 values (2);' },
      ];
      expect(await migrate(database.db, ms)).toEqual(['a', 'b']);
      expect(await migrate(database.db, ms)).toEqual([]);
      const r = await sql<{ n: number }>`select count(*)::int as n from t1`.execute(database.db);
      expect(r.rows[0]!.n).toBe(2);
    });

    it('rolls back a failing migration whole and refuses an edited one', async () => {
      await expect(
        migrate(database.db, [{ id: 'c', sql: 'insert into t1 values (3); select * from no_such_table;' }]),
      ).rejects.toThrow();
      const r = await sql<{ n: number }>`select count(*)::int as n from t1`.execute(database.db);
      expect(r.rows[0]!.n).toBe(2);
      await expect(migrate(database.db, [{ id: 'a', sql: 'create table t1 (y int);' }])).rejects.toThrow(
        /changed after it was applied/,
      );
    });

    it('lets concurrent starts apply a migration only once (advisory lock)', async () => {
      const ms = [{ id: 'd', sql: 'create table t2 (x int);' }];
      const results = await Promise.all([migrate(database.db, ms), migrate(database.db, ms)]);
      expect(results.flat()).toEqual(['d']);
    });
  });
}
