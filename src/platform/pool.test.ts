import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase } from './database.js';

const url = process.env.NDP_TEST_DATABASE_URL;

// On a PostgreSQL server only: PGlite has one connection and no server to fork.
describe.skipIf(!url)('the PostgreSQL pool', () => {
  it('keeps a connection that has been idle past pg’s default 10 s, rather than open a new one for the next query', async () => {
    const database = await openDatabase({ url: url!, poolSize: 2 });
    try {
      const pid = async () =>
        (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db)).rows[0]!.pid;
      const first = await pid();
      await new Promise((r) => setTimeout(r, 11_000));
      expect(database.poolStats()).toMatchObject({ total: 1, idle: 1 });
      expect(await pid()).toBe(first); // the same server process: no fork, no cold catalog cache
    } finally {
      await database.close();
    }
  }, 30_000);
});
