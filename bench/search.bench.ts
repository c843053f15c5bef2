import os from 'node:os';
import { Agent, request } from 'undici';
import { loadConfig } from '../src/platform/config.js';
import { migrate } from '../src/platform/migrate.js';
import { createLogger } from '../src/platform/logger.js';
import { MIGRATIONS } from '../src/migrations/index.js';
import { seedMasterData } from '../src/masterdata/seed.js';
import { buildApp } from '../src/app.js';
import { SearchRepository } from '../src/catalog/search.repository.js';
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
    for (const clients of [1, 8]) {
      await load(clients, 100, direct);
      sqlRef.set(clients, await load(clients, REQUESTS, direct));
    }
    for (const [mode, cacheSeconds] of [
      ['no cache', '0'],
      ['search cache', '60'],
    ] as const) {
      const config = loadConfig({
        NDP_DATA_DIR: dataDir,
        NDP_LOG_LEVEL: 'silent',
        PORT: '0',
        NDP_SEARCH_CACHE_SECONDS: cacheSeconds,
      });
      const app = await buildApp(config, database, createLogger(config));
      await app.server.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.server.address() as { port: number }).port;
      const url = (i: number) =>
        `http://127.0.0.1:${port}/api/3/action/package_search?q=${encodeURIComponent(QUERIES[zipf(i)]!)}&rows=10&facet.field=${encodeURIComponent(FACETS)}`;
      if (mode === 'no cache') {
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
        const ref = sqlRef.get(clients)!;
        results.push({ clients, mode, api, sql: ref });
        process.stdout.write(`package_search, ${mode.padEnd(12)} ${fmt(api)}\n`);
        process.stdout.write(
          `same SQL, direct            ${fmt(ref)}   → API/SQL p95 ×${(api.p95 / ref.p95).toFixed(2)}, req/s ×${(api.rps / ref.rps).toFixed(2)}\n`,
        );
      }
      const { hits, misses } = app.services.catalog.search.cache;
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
