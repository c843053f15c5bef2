import os from 'node:os';
import { Agent, request } from 'undici';
import { loadConfig } from '../src/platform/config.js';
import { migrate } from '../src/platform/migrate.js';
import { createLogger } from '../src/platform/logger.js';
import { MIGRATIONS } from '../src/migrations/index.js';
import { seedMasterData } from '../src/masterdata/seed.js';
import { buildApp } from '../src/app.js';
import { SearchRepository } from '../src/catalog/search.repository.js';
import { SearchIndexKeeper } from '../src/catalog/search-index-keeper.js';
import { SearchIndexRepository } from '../src/catalog/search-index.repository.js';
import { toTsQuery } from '../src/catalog/search.service.js';
import { progressBar } from '../src/cli/progress.js';
import { load, fmt, type LoadResult } from './load.js';
import { loadSyntheticCatalog } from './synthetic-catalog.js';
import { QUERIES, zipf } from './queries.js';
import { openTarget, TARGETS } from './targets.js';

const N = Number(process.env.NDP_BENCH_DATASETS ?? 100_000);
const REQUESTS = Number(process.env.NDP_BENCH_REQUESTS ?? 2000);
const FACETS = '["organization","groups","res_format","license_id","tags"]';

async function benchTarget(kind: 'postgres' | 'pglite') {
  process.stdout.write(`\n== ${kind}: ${N.toLocaleString('en')} synthetic data sets\n`);
  const { database, dataDir, drop } = await openTarget(kind, 'search');
  try {
    await migrate(database.db, MIGRATIONS);
    await seedMasterData(database.db);
    const bar = progressBar('loading catalog', N);
    const t0 = performance.now();
    await loadSyntheticCatalog(database.db, N, (n) => bar.update(n, 'data sets'));
    bar.stop();
    process.stdout.write(`loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

    const agent = new Agent({ connections: 64 });
    const repo = new SearchRepository(database.db);
    // The reference: the same SQL statement (page, total, five facets) sent straight to the database: no HTTP, no cache, no presenters.
    const direct = (i: number) =>
      repo
        .search({ ...toTsQuery(QUERIES[zipf(i)]), status: 'published' }, 'relevance', 10, 0, 50, true)
        .then(() => undefined);
    const results: { clients: number; mode: string; api: LoadResult; sql: LoadResult }[] = [];
    const sqlRef = new Map<number, LoadResult>();
    // NDP_BENCH_SKIP_SQL=1 leaves out PostgreSQL's own runs (at 1,000,000 data sets they take hours)
    for (const clients of process.env.NDP_BENCH_SKIP_SQL === '1' ? [] : [1, 8]) {
      await load(clients, 100, direct);
      sqlRef.set(clients, await load(clients, REQUESTS, direct));
      process.stdout.write(`same SQL, direct (reference)    ${fmt(sqlRef.get(clients)!)}\n`);
    }
    // cold: the in-memory index with no page cache (the default server, cache off); the same through PostgreSQL
    // only (NDP_SEARCH_INDEX=false); and the default server with its page cache
    for (const [mode, cacheSeconds, index] of [
      ['index, no cache', '0', 'true'],
      ['SQL, no cache', '0', 'false'],
      ['index + cache', '60', 'true'],
    ] as const) {
      // NDP_BENCH_SKIP_SQL=1: the cold index only (at 1,000,000 data sets PostgreSQL's runs take hours)
      if (mode !== 'index, no cache' && process.env.NDP_BENCH_SKIP_SQL === '1') continue;
      const config = loadConfig({
        NDP_DATA_DIR: dataDir,
        NDP_LOG_LEVEL: 'silent',
        PORT: '0',
        NDP_SEARCH_CACHE_SECONDS: cacheSeconds,
        NDP_SEARCH_INDEX: index,
      });
      (globalThis as { gc?: () => void }).gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      const app = await buildApp(config, database, createLogger(config));
      const { catalog } = app.services;
      const t1 = performance.now();
      await catalog.startSearchIndex();
      if (index === 'true') {
        (globalThis as { gc?: () => void }).gc?.();
        const heap = process.memoryUsage().heapUsed - heapBefore;
        const size = catalog.searchIndexSize();
        process.stdout.write(
          `search index: ${size.datasets.toLocaleString('en')} data sets read in ${((performance.now() - t1) / 1000).toFixed(1)} s; keeps ${(size.bytes / 2 ** 20).toFixed(0)} MiB (counted), heap +${(heap / 2 ** 20).toFixed(0)} MiB (measured${(globalThis as { gc?: unknown }).gc ? ', after gc' : ', run with --expose-gc for a firmer figure'})\n`,
        );
      }
      if (mode === 'index, no cache') {
        // the index's own share: the same queries on an index of our own, in this process, no HTTP and no database
        const keeper = new SearchIndexKeeper(new SearchIndexRepository(database.db));
        await keeper.start();
        const alone = await load(1, REQUESTS, async (i) => {
          const { match, rank, each } = toTsQuery(QUERIES[zipf(i)]);
          const plain = each.map((w) => w.replace(/:\*$/, ''));
          const words = { each: plain, exact: plain };
          keeper.index.search({ match, rank, status: 'published' }, words, 'relevance', 10, 0, 50, true, false);
        });
        process.stdout.write(`the index alone (page, total, facets)  ${fmt(alone)}\n`);
      }
      await app.server.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.server.address() as { port: number }).port;
      const url = (i: number) =>
        `http://127.0.0.1:${port}/api/3/action/package_search?q=${encodeURIComponent(QUERIES[zipf(i)]!)}&rows=10&facet.field=${encodeURIComponent(FACETS)}`;
      if (cacheSeconds === '0') {
        const sample = (await (await request(url(0), { dispatcher: agent })).body.json()) as {
          result: { count: number };
        };
        process.stdout.write(`sample: "${QUERIES[0]}" → ${sample.result.count} matches\n`);
      }
      for (const clients of [1, 8]) {
        const api = await load(clients, REQUESTS, async (i) => {
          const res = await request(url(i), { dispatcher: agent });
          if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
          await res.body.text();
        });
        const ref = sqlRef.get(clients);
        if (ref) results.push({ clients, mode, api, sql: ref });
        process.stdout.write(
          `package_search, ${mode.padEnd(16)} ${fmt(api)}   (load: ${os
            .loadavg()
            .map((x) => x.toFixed(2))
            .join(' ')})\n`,
        );
      }
      const { hits, misses } = catalog.search.cache;
      const { index: inIndex, database: inDb } = catalog.search.answered;
      process.stdout.write(`answered by the index ${inIndex}, by PostgreSQL ${inDb}\n`);
      if (cacheSeconds !== '0') process.stdout.write(`cache: ${hits} hits, ${misses} misses\n`);
      await app.server.close();
    }
    await agent.close();
    return results;
  } finally {
    await drop();
  }
}

process.stdout.write(
  `search benchmark — ${os.cpus().length} cores, node ${process.version}, ${REQUESTS} requests per setting, ${QUERIES.length} distinct queries (e.g. ${QUERIES.slice(0, 3).join(' | ')} | ${QUERIES.at(-1)}), 5 facets\n`,
);
for (const kind of TARGETS) await benchTarget(kind);
