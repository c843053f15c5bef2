import fs from 'node:fs';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { buildAgencyUser, buildTable } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { SQL_LIMITS } from './sql.service.js';

const CENSUS = fs.readFileSync(
  new URL('../../../test/fixtures/census2019_population_by_district.csv', import.meta.url),
);
const ETHNIC = fs.readFileSync(new URL('../../../test/fixtures/dan_toc_vietnam_census2019.csv', import.meta.url));
const LINES = CENSUS.toString('utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((l) => l.split(','));
const DEFAULTS = { ...SQL_LIMITS };

for (const driver of testDrivers()) {
  describe(`datastore_search_sql on ${driver.name}`, () => {
    let h: Harness;
    let census = '';
    let ethnic = '';
    let restricted = '';
    let draft = '';
    let censusTable = '';
    const query = (text: string, headers: Record<string, string> = {}) =>
      h.inject({
        method: 'GET',
        url: `/api/3/action/datastore_search_sql?${new URLSearchParams({ sql: text })}`,
        headers,
      });

    beforeAll(async () => {
      h = await startHarness(driver);
      const user = await buildAgencyUser(h);
      const upload = async (fileName: string, csv: Buffer, access: 'public' | 'restricted', publish: boolean) => {
        const t = await buildTable(h, {
          user,
          fileName,
          csv,
          access_rights: access,
          status: publish ? 'published' : 'draft',
        });
        return { id: t.id, table: t.load.tableName };
      };
      const c = await upload('dan_so.csv', CENSUS, 'public', true);
      census = c.id;
      censusTable = c.table;
      ethnic = (await upload('dan_toc.csv', ETHNIC, 'public', true)).id;
      restricted = (await upload('dan_so_mat.csv', CENSUS, 'restricted', true)).id;
      draft = (await upload('dan_so_nhap.csv', CENSUS, 'public', false)).id;
    });
    afterEach(() => Object.assign(SQL_LIMITS, DEFAULTS));
    afterAll(() => h.close());

    it('answers a grouped SELECT over a published table, with fields', async () => {
      const r = (
        await query(
          `SELECT province_vi, count(*) AS districts, sum(total) AS people FROM "${census}" WHERE province_vi IN ('Hà Nội', 'An Giang') GROUP BY province_vi ORDER BY people DESC`,
        )
      ).json();
      expect(r.success).toBe(true);
      const hanoi = LINES.filter((l) => l[1] === 'Hà Nội');
      expect(r.result.records[0]).toEqual({
        province_vi: 'Hà Nội',
        districts: hanoi.length,
        people: String(hanoi.reduce((s, l) => s + Number(l[6]), 0)),
      });
      expect(r.result.fields.map((f: { id: string }) => f.id)).toEqual(['province_vi', 'districts', 'people']);
      expect(r.result.records_truncated).toBeUndefined();
    });

    it('joins two tables, uses WITH, windows and qualified columns', async () => {
      const r = (
        await query(
          `WITH big AS (SELECT "${census}".district_vi, total, rank() OVER (ORDER BY total DESC) AS r FROM "${census}") SELECT b.district_vi, b.r, e.ten_dan_toc FROM big b CROSS JOIN (SELECT ten_dan_toc FROM "${ethnic}" ORDER BY dan_so_2019 DESC LIMIT 1) e WHERE b.r <= 2 ORDER BY b.r`,
        )
      ).json();
      expect(r.success).toBe(true);
      const top = [...LINES].sort((a, b) => Number(b[6]) - Number(a[6]));
      expect(r.result.records).toEqual([
        { district_vi: top[0]![4], r: 1, ten_dan_toc: 'Kinh' },
        { district_vi: top[1]![4], r: 2, ten_dan_toc: 'Kinh' },
      ]);
    });

    it('caps the rows and says so', async () => {
      SQL_LIMITS.rows = 1000;
      const r = (await query(`SELECT a.district_code FROM "${census}" a, "${census}" b`)).json();
      expect(r.result.records).toHaveLength(1000);
      expect(r.result.records_truncated).toBe(true);
    });

    it('stops an answer past the byte cap and refuses it with RESULT_TOO_LARGE, not a huge body', async () => {
      const sqlApi = h.app.services.sql;
      const before = sqlApi.maxBytes;
      sqlApi.maxBytes = 1024 * 1024;
      try {
        // about 700 rows of 60 kB: 42 MB uncapped
        const r = await query(`select lpad('x', 60000, 'y') as pad from "${census}"`);
        expect(r.statusCode).toBe(409);
        expect(r.body.length).toBeLessThan(10_000);
        const e = r.json().error;
        expect(e.__type).toBe('Validation Error');
        expect(e.code).toEqual(['RESULT_TOO_LARGE']);
        expect(e.sql[0]).toMatch(/exceeds 1 MiB/);
        expect(e.sql[0]).toMatch(/vượt quá 1 MiB/);
        // a narrow answer under the cap is served
        expect((await query(`select lpad('x', 100, 'y') as pad from "${census}" limit 100`)).statusCode).toBe(200);
      } finally {
        sqlApi.maxBytes = before;
      }
    });

    it('a client over its share of concurrent queries gets 429 while another client is served', async () => {
      const gate = h.app.services.queryGate;
      const busy = '198.51.100.77';
      const held = [await gate.acquire(`a:${busy}`), await gate.acquire(`a:${busy}`)];
      try {
        const text = `select count(*) as n from "${census}"`;
        const url = `/api/3/action/datastore_search_sql?${new URLSearchParams({ sql: text })}`;
        const over = await h.inject({ method: 'GET', url, remoteAddress: busy });
        expect(over.statusCode).toBe(429);
        expect(over.json().error.__type).toBe('Too Many Requests');
        expect(over.json().error.message).toMatch(/at most 2 at once/);
        const rows = await h.inject({
          method: 'GET',
          url: `/api/v1/tables/${census}/rows?limit=1`,
          remoteAddress: busy,
        });
        expect(rows.statusCode).toBe(429);
        expect(rows.json().error.code).toBe('TOO_MANY_REQUESTS');
        expect(rows.json().error.vi).toMatch(/tối đa 2/);
        const other = await h.inject({ method: 'GET', url, remoteAddress: '198.51.100.78' });
        expect(other.statusCode).toBe(200);
        expect(
          (
            await h.inject({
              method: 'GET',
              url: `/api/v1/tables/${census}/rows?limit=1`,
              remoteAddress: '198.51.100.78',
            })
          ).statusCode,
        ).toBe(200);
      } finally {
        for (const release of held) release();
      }
      expect(gate.stats()).toEqual({ running: 0, waiting: 0 });
    });

    it.skipIf(driver.name !== 'postgres')('runs SQL API queries on their own pool, not the server’s', async () => {
      const r = await query(`select count(*) as n from "${census}"`);
      expect(r.statusCode).toBe(200);
      expect(h.database.queryPoolStats().total).toBeGreaterThanOrEqual(1);
      const seen = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and application_name = 'ndp-query'`.execute(h.db);
      expect(seen.rows[0]!.n).toBeGreaterThanOrEqual(1);
      // the server's own pool never runs as the query role's connections do
      const mine = await sql<{ a: string }>`select current_setting('application_name') as a`.execute(h.db);
      expect(mine.rows[0]!.a).not.toBe('ndp-query');
    });

    it('refuses a query the planner thinks too heavy before running it', async () => {
      SQL_LIMITS.cost = 1000;
      const r = await query(`SELECT count(*) FROM "${census}" a, "${census}" b, "${census}" c`);
      expect(r.statusCode).toBe(409);
      expect(r.json().error.sql[0]).toMatch(/too heavy.*quá nặng/);
    });

    it.runIf(driver.name === 'postgres')('stops a query that runs past the statement timeout', async () => {
      SQL_LIMITS.timeoutMs = 1;
      const r = await query(`SELECT count(*) FROM "${census}" a, "${census}" b`);
      expect(r.statusCode).toBe(409);
      expect(r.json().error.sql[0]).toMatch(/longer than/);
    });

    it('refuses a NUL byte in the statement as CKAN refuses any bad statement (409 Validation Error), not 500', async () => {
      for (const text of [`select 'a\u0000b' as x from "${census}"`, `select 1 from "${census}"\u0000`]) {
        const r = await query(text);
        expect(r.statusCode, text).toBe(409);
        const e = r.json().error;
        expect(e.__type).toBe('Validation Error');
        expect(JSON.stringify(e)).toMatch(/NUL/);
      }
    });

    it('refuses tables that are restricted, unpublished or missing', async () => {
      expect((await query(`SELECT * FROM "${restricted}"`)).statusCode).toBe(403);
      expect((await query(`SELECT * FROM "${draft}"`)).statusCode).toBe(404);
      const editor = await h.tokenFor('bo-tai-chinh', 'agency_editor');
      // even the publishing agency cannot read its draft through the SQL API
      expect((await query(`SELECT * FROM "${draft}"`, { authorization: `Bearer ${editor.token}` })).statusCode).toBe(
        404,
      );
      expect(
        (await query(`SELECT * FROM "${restricted}"`, { authorization: `Bearer ${editor.token}` })).statusCode,
      ).toBe(200);
      expect((await query('SELECT * FROM "00000000-0000-0000-0000-000000000000"')).statusCode).toBe(404);
    });

    const tricks: [string, (ids: { census: string; table: string }) => string][] = [
      ['drop', () => 'DROP TABLE datasets'],
      ['delete', ({ census }) => `DELETE FROM "${census}"`],
      ['update', ({ census }) => `UPDATE "${census}" SET total = 0`],
      ['insert', ({ census }) => `INSERT INTO "${census}" (total) VALUES (1)`],
      ['truncate', ({ census }) => `TRUNCATE "${census}"`],
      ['stacked statements', ({ census }) => `SELECT 1 FROM "${census}"; DROP TABLE datasets`],
      ['stacked after comment', ({ census }) => `SELECT 1 FROM "${census}" /* x */; DELETE FROM users`],
      ['data-modifying WITH', ({ census }) => `WITH x AS (DELETE FROM "${census}" RETURNING *) SELECT * FROM x`],
      ['SELECT INTO', ({ census }) => `SELECT * INTO stolen FROM "${census}"`],
      ['row locks', ({ census }) => `SELECT * FROM "${census}" FOR UPDATE`],
      ['platform table', () => 'SELECT * FROM users'],
      ['platform table, schema-qualified', () => 'SELECT * FROM public.users'],
      ['physical table name', ({ table }) => `SELECT * FROM datastore.${table}`],
      ['physical table name, unqualified', ({ table }) => `SELECT * FROM ${table}`],
      ['catalog table', () => 'SELECT * FROM pg_catalog.pg_authid'],
      ['catalog table, unqualified', () => 'SELECT * FROM pg_shadow'],
      ['information_schema', () => 'SELECT * FROM information_schema.tables'],
      ['catalog in a subquery', ({ census }) => `SELECT * FROM "${census}" WHERE EXISTS (SELECT 1 FROM pg_user)`],
      [
        'catalog through UNION',
        ({ census }) => `SELECT province_vi FROM "${census}" UNION SELECT usename FROM pg_user`,
      ],
      [
        'catalog name hidden behind a WITH',
        () => 'SELECT * FROM pg_class, (WITH pg_class AS (SELECT 1) SELECT * FROM pg_class) x',
      ],
      ['pg_read_file', () => "SELECT pg_read_file('/etc/passwd')"],
      ['pg_read_file, qualified', () => "SELECT pg_catalog.pg_read_file('/etc/passwd')"],
      ['pg_ls_dir', () => "SELECT pg_ls_dir('.')"],
      ['lo_import', () => "SELECT lo_import('/etc/passwd')"],
      ['pg_sleep', () => 'SELECT pg_sleep(60)'],
      ['dblink', () => "SELECT * FROM dblink('host=127.0.0.1', 'select 1') AS t(x int)"],
      ['query_to_xml runs any SQL', () => "SELECT query_to_xml('select * from users', true, true, '')"],
      ['set_config lifts the timeout', () => "SELECT set_config('statement_timeout', '0', false)"],
      ['current_setting', () => "SELECT current_setting('data_directory')"],
      ['version', () => 'SELECT version()'],
      ['generate_series as a row bomb', () => 'SELECT * FROM generate_series(1, 1000000000000)'],
      ['cast to regclass', () => "SELECT 'users'::regclass"],
      ['current_user', () => 'SELECT current_user'],
      ['COPY TO PROGRAM', () => "COPY (SELECT 1) TO PROGRAM 'id'"],
      ['SET ROLE', () => 'SET ROLE postgres'],
      ['transaction control', () => 'COMMIT'],
      ['DO block', () => 'DO $$ BEGIN PERFORM pg_sleep(10); END $$'],
      ['CREATE FUNCTION', () => "CREATE FUNCTION f() RETURNS int AS 'select 1' LANGUAGE sql"],
      ['EXPLAIN ANALYZE of a delete', ({ census }) => `EXPLAIN ANALYZE DELETE FROM "${census}"`],
      ['PREPARE', () => 'PREPARE p AS SELECT 1'],
      ['NOTIFY', () => "NOTIFY ndp, 'x'"],
      ['VACUUM', () => 'VACUUM'],
      ['ALTER SYSTEM', () => "ALTER SYSTEM SET log_statement = 'none'"],
      ['recursive WITH', () => 'WITH RECURSIVE r AS (SELECT 1 UNION ALL SELECT 1 FROM r) SELECT * FROM r'],
      ['bind parameter', () => 'SELECT $1'],
      ['unicode-escaped identifier', () => 'SELECT * FROM U&"\\0070g_authid"'],
      ['empty', () => '   '],
    ];

    it(`refuses ${tricks.length} injection and escape tricks, and the data is untouched`, async () => {
      expect(tricks.length).toBeGreaterThanOrEqual(30);
      const passed: string[] = [];
      for (const [name, make] of tricks) {
        const r = await query(make({ census, table: censusTable }));
        if (r.statusCode < 400 || r.json().success !== false)
          passed.push(`${name}: ${r.statusCode} ${r.body.slice(0, 200)}`);
      }
      expect(passed).toEqual([]);
      const count = await sql<{
        n: number;
      }>`select count(*)::int as n from ${sql.table(`datastore.${censusTable}`)}`.execute(h.db);
      expect(count.rows[0]!.n).toBe(LINES.length);
      expect((await sql<{ n: number }>`select count(*)::int as n from users`.execute(h.db)).rows[0]!.n).toBeGreaterThan(
        0,
      );
    });

    it('runs the checked query as a role that can read nothing but loaded tables', async () => {
      await expect(
        h.db.transaction().execute(async (trx) => {
          await sql`set local role ndp_datastore_reader`.execute(trx);
          await sql`select * from users`.execute(trx);
        }),
      ).rejects.toThrow(/permission denied/);
      const ok = await h.db.transaction().execute(async (trx) => {
        await sql`set local role ndp_datastore_reader`.execute(trx);
        return sql<{ n: number }>`select count(*)::int as n from ${sql.table(`datastore.${censusTable}`)}`.execute(trx);
      });
      expect(ok.rows[0]!.n).toBe(LINES.length);
    });
  });
}
