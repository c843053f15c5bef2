import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testDrivers } from '../../test/drivers.js';
import type { Database } from './database.js';

async function* chunks(...parts: string[]) {
  for (const p of parts) yield p;
}

for (const driver of testDrivers()) {
  describe(`bulk loading with COPY on ${driver.name}`, () => {
    let database: Database;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ database, cleanup } = await driver.open());
      await sql`create schema if not exists datastore_test`.execute(database.db);
      await sql`create table datastore_test."dân số" (ma int, ten text, so numeric)`.execute(database.db);
    });
    afterAll(() => cleanup());

    it('loads chunks of COPY text, nulls and Vietnamese included', async () => {
      const n = await database.copyIn(
        'datastore_test.dân số',
        ['ma', 'ten', 'so'],
        chunks('1\tHà Nội\t8435650\n2\tĐồng Tháp\t\\N\n', '3\tHuế\t1160220.5\n'),
      );
      expect(n).toBe(3);
      const r = await sql<{
        ten: string;
        so: string | null;
      }>`select ten, so from datastore_test."dân số" order by ma`.execute(database.db);
      expect(r.rows).toEqual([
        { ten: 'Hà Nội', so: '8435650' },
        { ten: 'Đồng Tháp', so: null },
        { ten: 'Huế', so: '1160220.5' },
      ]);
    });

    it('leaves nothing behind when a chunk fails half-way', async () => {
      await expect(
        database.copyIn(
          'datastore_test.dân số',
          ['ma', 'ten', 'so'],
          chunks('4\tCần Thơ\t1\n', 'not-a-number\tx\t2\n'),
        ),
      ).rejects.toThrow();
      const r = await sql<{ n: number }>`select count(*)::int as n from datastore_test."dân số"`.execute(database.db);
      expect(r.rows[0]!.n).toBe(3);
      // The connection is usable afterwards.
      expect((await sql<{ x: number }>`select 1 as x`.execute(database.db)).rows[0]!.x).toBe(1);
    });
  });
}
