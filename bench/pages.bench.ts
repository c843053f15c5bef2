import os from 'node:os';
import { Agent, request } from 'undici';
import { sql } from 'kysely';
import { loadConfig } from '../src/platform/config.js';
import { migrate } from '../src/platform/migrate.js';
import { createLogger } from '../src/platform/logger.js';
import { MIGRATIONS } from '../src/migrations/index.js';
import { seedMasterData } from '../src/masterdata/seed.js';
import { buildApp } from '../src/app.js';
import { progressBar } from '../src/cli/progress.js';
import { load, fmt } from './load.js';
import { loadSyntheticCatalog } from './synthetic-catalog.js';
import { QUERIES, zipf } from './queries.js';
import { openTarget, TARGETS } from './targets.js';

const N = Number(process.env.NDP_BENCH_DATASETS ?? 100_000);
const REQUESTS = Number(process.env.NDP_BENCH_REQUESTS ?? 1000);
const CLIENTS = 8;

async function benchTarget(kind: 'postgres' | 'pglite') {
  process.stdout.write(
    `\n== ${kind}: ${N.toLocaleString('en')} synthetic data sets, ${CLIENTS} clients, ${REQUESTS} requests per page type\n`,
  );
  const { database, dataDir, drop } = await openTarget(kind, 'pages');
  try {
    await migrate(database.db, MIGRATIONS);
    await seedMasterData(database.db);
    const bar = progressBar('loading catalog', N);
    await loadSyntheticCatalog(database.db, N, (n) => bar.update(n, 'data sets'));
    bar.stop();
    // Every data set gets one linked file, as published data sets have.
    await sql`insert into distributions (id, dataset_id, position, title_vi, kind, url, format, media_type)
              select gen_random_uuid(), id, 0, 'Tệp dữ liệu', 'link', 'https://data.example.gov.vn/' || slug || '.csv', 'CSV', 'text/csv' from datasets`.execute(
      database.db,
    );
    const slugs = (await database.db.selectFrom('datasets').select('slug').execute()).map((r) => r.slug as string);

    const config = loadConfig({ NDP_DATA_DIR: dataDir, NDP_LOG_LEVEL: 'silent', PORT: '0' });
    const app = await buildApp(config, database, createLogger(config));
    await app.server.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.server.address() as { port: number }).port}`;
    const agent = new Agent({ connections: 64 });
    const get = async (url: string) => {
      const res = await request(base + url, { dispatcher: agent });
      const body = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
      return body;
    };
    // A data set drawn across the whole catalog each time, so no cache can help the data set page.
    const slugAt = (i: number) => slugs[(i * 7919) % slugs.length]!;
    const kinds: [string, (i: number) => string, (i: number) => string][] = [
      ['home', () => '/', () => '/api/v1/datasets?limit=6&sort=issued_desc'],
      [
        'search',
        (i) => `/datasets?q=${encodeURIComponent(QUERIES[zipf(i)]!)}`,
        (i) => `/api/v1/datasets?q=${encodeURIComponent(QUERIES[zipf(i)]!)}&limit=20&facet_limit=12`,
      ],
      ['data set', (i) => `/dataset/${slugAt(i)}`, (i) => `/api/v1/datasets/${slugAt(i)}`],
    ];
    for (const [name, page, api] of kinds) {
      await load(CLIENTS, 50, async (i) => {
        await get(page(i));
      });
      const html = await load(CLIENTS, REQUESTS, async (i) => {
        await get(page(i));
      });
      const json = await load(CLIENTS, REQUESTS, async (i) => {
        await get(api(i));
      });
      process.stdout.write(`${name.padEnd(9)} page (HTML)   ${fmt(html)}\n`);
      process.stdout.write(
        `${''.padEnd(9)} same data, JSON API ${fmt(json)}   → HTML/JSON p95 ×${(html.p95 / json.p95).toFixed(2)}\n`,
      );
    }
    // Page weight: the HTML of a data set page plus the stylesheet and script it loads, before compression.
    const datasetHtml = await get(`/dataset/${slugAt(1)}`);
    const css = await get('/assets/site.css');
    const js = await get('/assets/site.js');
    const weight = Buffer.byteLength(datasetHtml) + Buffer.byteLength(css) + Buffer.byteLength(js);
    process.stdout.write(
      `data set page weight: ${(weight / 1024).toFixed(1)} kB (HTML ${(Buffer.byteLength(datasetHtml) / 1024).toFixed(1)} kB + CSS ${(Buffer.byteLength(css) / 1024).toFixed(1)} kB + JS ${(Buffer.byteLength(js) / 1024).toFixed(1)} kB), uncompressed\n`,
    );
    await agent.close();
    await app.server.close();
  } finally {
    await drop();
  }
}

process.stdout.write(`pages benchmark — ${os.cpus().length} cores, node ${process.version}\n`);
for (const kind of TARGETS) await benchTarget(kind);
