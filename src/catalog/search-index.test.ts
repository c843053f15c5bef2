import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSyntheticCatalog } from '../../bench/synthetic-catalog.js';
import { buildApp, type App } from '../app.js';
import { MIGRATIONS } from '../migrations/index.js';
import { seedMasterData } from '../masterdata/seed.js';
import { loadConfig } from '../platform/config.js';
import { openDatabase, type Database } from '../platform/database.js';
import { createLogger } from '../platform/logger.js';
import { migrate } from '../platform/migrate.js';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { SearchIndexKeeper } from './search-index-keeper.js';
import { SearchIndexRepository } from './search-index.repository.js';
import { SearchRepository, type SearchFilter } from './search.repository.js';
import { toTsQuery } from './search.service.js';

const QUERIES = ['dan so', 'giáo dục Hà Nội', 'ngan sach 2020', 'lao dong theo th', 'xyzzy', ''];

for (const driver of testDrivers()) {
  describe(`the in-memory search index answers as PostgreSQL does, on ${driver.name}`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(driver);
      await loadSyntheticCatalog(h.db, 600, () => undefined);
    });
    afterAll(() => h.close());

    it('finds the same data sets, counts the same facets and orders them alike, with filters and exclusions', async () => {
      const keeper = new SearchIndexKeeper(new SearchIndexRepository(h.db));
      await keeper.start();
      expect(keeper.index.size).toBe(600);
      const sql = new SearchRepository(h.db);
      const theme = (await sql.search({ match: null, rank: null, status: 'published' }, 'modified_desc', 1, 0, 5, true))
        .facets.theme[0]!.value;
      for (const q of QUERIES) {
        const { match, rank, each } = toTsQuery(q);
        const plain = each.map((w) => w.replace(/:\*$/, ''));
        for (const extra of [{}, { themes: [theme] }, { exclude: { themes: [theme] } }, { formats: ['csv'] }]) {
          const f: SearchFilter = { match, rank, status: 'published', ...extra };
          const want = await sql.search(f, 'modified_desc', 20, 5, 10, true);
          const got = keeper.index.search(f, { each: plain, exact: plain }, 'modified_desc', 20, 5, 10, true, false);
          expect({ q, extra, total: got.total, ids: got.ids }).toEqual({ q, extra, total: want.total, ids: want.ids });
          expect(got.facets).toEqual(want.facets);
        }
      }
      // relevance: the title's words first, as ts_rank on the title-and-keywords vector does
      const { match, rank, each } = toTsQuery('dân số');
      const want = await sql.search({ match, rank, status: 'published' }, 'relevance', 10, 0, 10, false);
      const plain = each.map((w) => w.replace(/:\*$/, ''));
      const got = keeper.index.search(
        { match, rank, status: 'published' },
        { each: plain, exact: plain },
        'relevance',
        10,
        0,
        10,
        false,
        false,
      );
      expect(got.ids).toEqual(want.ids);
      expect(keeper.index.bytes()).toBeGreaterThan(0);
    });
  });
}

const url = process.env.NDP_TEST_DATABASE_URL;
describe.skipIf(!url)('two ndp serve processes on one PostgreSQL database', () => {
  const name = `ndp_t_${randomBytes(6).toString('hex')}`;
  let databases: Database[] = [];
  let apps: App[] = [];
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(url!);
    u.pathname = `/${name}`;
    databases = [await openDatabase({ url: u.toString() }), await openDatabase({ url: u.toString() })];
    await migrate(databases[0]!.db, MIGRATIONS);
    await seedMasterData(databases[0]!.db);
    await loadSyntheticCatalog(databases[0]!.db, 50, () => undefined);
    const config = loadConfig({ NDP_LOG_LEVEL: 'silent', NDP_SEARCH_CACHE_SECONDS: '60' });
    apps = [
      await buildApp(config, databases[0]!, createLogger(config)),
      await buildApp(config, databases[1]!, createLogger(config)),
    ];
    for (const a of apps) await a.services.catalog.startSearchIndex();
  });
  afterAll(async () => {
    for (const a of apps) {
      await a.jobs.stop();
      await a.server.close();
    }
    for (const d of databases) await d.close();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  });

  it('a data set written by one shows in the other’s results within 2 seconds, and leaves them as fast', async () => {
    const [a, b] = apps as [App, App];
    const search = async () =>
      (await b.server.inject({ method: 'GET', url: '/api/v1/datasets?q=quokka' })).json() as { total: number };
    expect((await search()).total).toBe(0); // and now kept in b's page cache
    const row = await databases[0]!.db
      .selectFrom('datasets')
      .select(['id', 'title_vi'])
      .limit(1)
      .executeTakeFirstOrThrow();
    const principal = {
      kind: 'user',
      userId: null,
      isPlatformAdmin: true,
      roles: new Map(),
      via: 'session',
      tokenId: null,
    };
    const until = async (want: number) => {
      const t0 = Date.now();
      while ((await search()).total !== want && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 20));
      return Date.now() - t0;
    };
    await a.services.catalog.datasets.update(principal as never, row.id, { title_vi: `${row.title_vi} quokka` });
    expect(await until(1)).toBeLessThan(2000);
    await a.services.catalog.datasets.setStatus(principal as never, row.id, 'archived');
    expect(await until(0)).toBeLessThan(2000);
    expect(b.services.catalog.search.answered.index).toBeGreaterThan(0);
    expect(b.services.catalog.search.answered.database).toBe(0);
  });
});
