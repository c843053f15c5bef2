import fs from 'node:fs';
import path from 'node:path';
import { Agent, request } from 'undici';
import { sql } from 'kysely';
import { loadConfig } from '../src/platform/config.js';
import { migrate } from '../src/platform/migrate.js';
import { createLogger } from '../src/platform/logger.js';
import { MIGRATIONS } from '../src/migrations/index.js';
import { seedMasterData } from '../src/masterdata/seed.js';
import { buildApp } from '../src/app.js';
import { loadTable } from '../src/datastore/load/loader.js';
import { parseView } from '../src/datastore/query/view.js';
import { DatastoreRepository } from '../src/datastore/query/datastore.repository.js';
import { progressBar } from '../src/cli/progress.js';
import { load, fmt, type LoadResult } from './load.js';
import { openTarget, TARGETS } from './targets.js';
import { writeTableFile } from './table-file.js';

/**
 * `npm run bench -- query`: `datastore_search` and the native table API with
 * one filter and a sort over the generated 1,000,000-row table, 8 concurrent
 * clients; the reference is the same SQL sent straight to the database
 * through the repository (no HTTP, no validation, no presenters).
 */
const ROWS = Number(process.env.NDP_BENCH_ROWS ?? 1_000_000);
const REQUESTS = Number(process.env.NDP_BENCH_REQUESTS ?? 2000);
const PROVINCES = 16;

async function benchTarget(kind: 'postgres' | 'pglite', file: string) {
  process.stdout.write(`\n== ${kind}\n`);
  const target = await openTarget(kind, 'query');
  const { database, dataDir } = target;
  try {
    await migrate(database.db, MIGRATIONS);
    await seedMasterData(database.db);
    const config = loadConfig({
      NDP_DATA_DIR: dataDir,
      NDP_LOG_LEVEL: 'silent',
      PORT: '0',
      NDP_MAX_UPLOAD_BYTES: String(64 * 1024 ** 3),
    });
    const app = await buildApp(config, database, createLogger(config), { queueLoads: false });
    await app.server.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.server.address() as { port: number }).port;
    const { accounts, masterData, catalog, datastore } = app.services;
    const agency = await masterData.agency('bo-tai-chinh');
    await accounts.bootstrapUser({
      email: 'bench@mof.gov.vn',
      name: 'Bench',
      password: 'correct horse battery',
      platformAdmin: true,
    });
    const p = await accounts.principalFor('bench@mof.gov.vn');
    await accounts.setMembership(p, p.userId, agency.id, 'agency_admin');
    const editor = await accounts.principalFor('bench@mof.gov.vn');
    const d = await catalog.datasets.create(editor, {
      agency_id: agency.id,
      title_vi: 'Hồ sơ tổng hợp',
      description_vi: 'bench',
      licence_id: 'CC-BY-4.0',
      access_rights: 'public',
    });
    const dist = await catalog.datasets.addFile(editor, d.dataset.id, {
      fileName: 'ho_so.csv',
      mimeType: 'text/csv',
      stream: fs.createReadStream(file),
    });
    await catalog.datasets.setStatus(editor, d.dataset.id, 'published');
    const bar = progressBar('loading', ROWS);
    const t0 = performance.now();
    const loaded = await loadTable(
      database,
      dist!.id,
      () => app.files.open(dist!.storage_key!),
      null,
      (n) => bar.update(n, 'rows'),
    );
    bar.stop();
    process.stdout.write(
      `loaded ${loaded.rows.toLocaleString('en')} rows with indexes in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
    );
    const table = await datastore.version(editor, dist!.id);

    const agent = new Agent({ connections: 16 });
    // province codes as written in the file, zeros kept: `01` … `16`
    const province = (i: number) => String(1 + ((i * 7) % PROVINCES)).padStart(2, '0');
    const ckanUrl = (i: number) =>
      `http://127.0.0.1:${port}/api/3/action/datastore_search?resource_id=${dist!.id}&filters=${encodeURIComponent(JSON.stringify({ ma_tinh: province(i) }))}&sort=${encodeURIComponent('thu_nhap desc')}&limit=100`;
    const nativeUrl = (i: number) =>
      `http://127.0.0.1:${port}/api/v1/tables/${dist!.id}/rows?ma_tinh=eq.${province(i)}&order=thu_nhap.desc&limit=100`;
    const get = (url: string) => async () => {
      const res = await request(url, { dispatcher: agent });
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}: ${await res.body.text()}`);
      await res.body.text();
    };
    const sample = (await (await request(ckanUrl(0), { dispatcher: agent })).body.json()) as {
      result: { total: number; records: unknown[] };
    };
    process.stdout.write(
      `sample: ma_tinh=${province(0)} → total ${sample.result.total}, page of ${sample.result.records.length}\n`,
    );

    // the reference: the repository's own SQL, without the service or HTTP around it
    const repo = new DatastoreRepository(database.db);
    const column = (id: string) => table.columns.find((c) => c.id === id)!;
    const directCkan = (i: number) =>
      repo
        .rows(table, {
          fields: table.columns,
          filters: [{ column: column('ma_tinh'), values: [String(province(i))] }],
          sort: [
            { column: column('thu_nhap'), desc: true },
            { column: '_row', desc: false },
          ],
          limit: 100,
          offset: 0,
        })
        .then(() => undefined);
    const directNative = (i: number) =>
      repo
        .viewPage(
          table,
          parseView(table.columns, { ma_tinh: `eq.${province(i)}`, order: 'thu_nhap.desc' }, 100),
          null,
          100,
        )
        .then(() => undefined);

    const rows: [string, LoadResult][] = [];
    for (const [name, fn] of [
      ['SQL direct (datastore_search)', directCkan],
      ['datastore_search (HTTP)', (i: number) => get(ckanUrl(i))()],
      ['SQL direct (native)', directNative],
      ['native /rows (HTTP)', (i: number) => get(nativeUrl(i))()],
    ] as const) {
      await load(8, 200, fn); // warm-up: a slow filter-and-sort shape also queues its composite index
      await datastore.indexes?.settled();
      rows.push([name, await load(8, REQUESTS, fn)]);
    }
    const plan = await sql<{
      'QUERY PLAN': string;
    }>`explain (analyze, buffers) select * from ${sql.table(`datastore.${table.table_name}`)} where ma_tinh = ${province(0)} order by thu_nhap desc, _row limit 100`.execute(
      database.db,
    );
    process.stdout.write(
      `plan of the filter-and-sort shape:\n${plan.rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}\n`,
    );
    const report = (await datastore.versionsOf(dist!.id))[0]!.report as {
      adaptive_indexes?: { columns: string[]; built_ms: number }[];
    };
    for (const x of report.adaptive_indexes ?? [])
      process.stdout.write(`adaptive index built during warm-up: (${x.columns.join(', ')}) in ${x.built_ms} ms\n`);
    for (const [name, r] of rows) process.stdout.write(`${name.padEnd(32)} ${fmt(r)}\n`);
    process.stdout.write(
      `p95 ratio datastore_search/direct ${(rows[1]![1].p95 / rows[0]![1].p95).toFixed(2)}×, native/direct ${(rows[3]![1].p95 / rows[2]![1].p95).toFixed(2)}×  (target p95 < 20 ms)\n`,
    );
    await app.jobs.stop();
    await app.server.close();
    await agent.close();
  } finally {
    await target.drop();
  }
}

const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'ndp-query-'));
const file = path.join(dir, 'ho_so.csv');
const gen = progressBar('generating file', ROWS);
await writeTableFile(file, ROWS, (n) => gen.update(n, 'rows'));
gen.stop();
try {
  for (const kind of TARGETS) await benchTarget(kind, file);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
