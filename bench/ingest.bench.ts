import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { sql } from 'kysely';
import { request } from 'undici';
import { loadConfig } from '../src/platform/config.js';
import { migrate } from '../src/platform/migrate.js';
import { createLogger } from '../src/platform/logger.js';
import { MIGRATIONS } from '../src/migrations/index.js';
import { seedMasterData } from '../src/masterdata/seed.js';
import { buildApp } from '../src/app.js';
import { loadTable } from '../src/datastore/load/loader.js';
import { progressBar } from '../src/cli/progress.js';
import { openTarget, PG_ADMIN, TARGETS } from './targets.js';
import { TABLE_COLUMNS, writeTableFile } from './table-file.js';

/**
 * `npm run bench -- ingest`: a generated table file (1,000,000 rows, 10 mixed
 * columns by default; NDP_BENCH_ROWS to change) uploaded over HTTP and loaded
 * into a typed, queryable table — next to the database's own COPY of the same
 * file into an untyped table, in the same run. Peak memory is sampled during
 * the load; run with a larger NDP_BENCH_ROWS to see that it does not grow.
 */
const ROWS = Number(process.env.NDP_BENCH_ROWS ?? 1_000_000);
const MiB = 1024 * 1024;

function memoryWatch() {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  return {
    stop: () => {
      clearInterval(timer);
      return { base: base / MiB, peak: peak / MiB };
    },
  };
}

const seconds = (t0: number) => (performance.now() - t0) / 1000;

async function referenceCopy(
  kind: 'postgres' | 'pglite',
  database: Awaited<ReturnType<typeof openTarget>>['database'],
  file: string,
  url?: string,
): Promise<number> {
  const columns = TABLE_COLUMNS.map((c) => `${c} text`).join(', ');
  await sql.raw(`create table raw_copy (${columns})`).execute(database.db);
  const t0 = performance.now();
  if (kind === 'postgres') {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await pipeline(
      fs.createReadStream(file),
      client.query(copyFrom('copy raw_copy from stdin with (format csv, header)')),
    );
    await client.end();
  } else {
    // PGlite reads COPY input from a blob: the whole file, which is how its own COPY works
    await database.pglite!.query("copy raw_copy from '/dev/blob' with (format csv, header)", [], {
      blob: new Blob([fs.readFileSync(file)]),
    });
  }
  const t = seconds(t0);
  await sql`drop table raw_copy`.execute(database.db);
  return t;
}

async function benchTarget(kind: 'postgres' | 'pglite', file: string, bytes: number) {
  process.stdout.write(`\n== ${kind}\n`);
  const target = await openTarget(kind, 'ingest');
  const { database, dataDir } = target;
  try {
    await migrate(database.db, MIGRATIONS);
    await seedMasterData(database.db);
    const u = new URL(PG_ADMIN);
    u.pathname = '/ndp_bench_ingest';
    const copySeconds = await referenceCopy(kind, database, file, u.toString());
    if (Number.isFinite(copySeconds))
      process.stdout.write(
        `reference COPY (untyped, csv):  ${copySeconds.toFixed(2)} s  ${(ROWS / copySeconds / 1000).toFixed(0)}k rows/s\n`,
      );

    const config = loadConfig({
      NDP_DATA_DIR: dataDir,
      NDP_LOG_LEVEL: 'silent',
      PORT: '0',
      NDP_MAX_UPLOAD_BYTES: String(64 * 1024 ** 3),
    });
    const app = await buildApp(config, database, createLogger(config), { queueLoads: false });
    await app.server.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.server.address() as { port: number }).port;
    const { accounts, masterData, catalog } = app.services;
    const agency = await masterData.agency('bo-tai-chinh');
    await accounts.bootstrapUser({
      email: 'bench@mof.gov.vn',
      name: 'Bench',
      password: 'correct horse battery',
      platformAdmin: true,
    });
    const admin = await accounts.principalFor('bench@mof.gov.vn');
    await accounts.setMembership(admin, admin.userId, agency.id, 'agency_admin');
    const p = await accounts.principalFor('bench@mof.gov.vn');
    const { secret } = await accounts.createToken(p, {
      agencyId: agency.id,
      name: 'bench',
      role: 'agency_admin',
      expiresInDays: 1,
    });
    const d = await catalog.datasets.create(p, {
      agency_id: agency.id,
      title_vi: 'Hồ sơ tổng hợp',
      description_vi: 'bench',
      licence_id: 'CC-BY-4.0',
      access_rights: 'public',
    });

    const mem = memoryWatch();
    const t0 = performance.now();
    const form = new FormData();
    form.append('file', await fs.openAsBlob(file), 'ho_so.csv');
    const res = await request(`http://127.0.0.1:${port}/api/v1/datasets/${d.dataset.id}/distributions`, {
      method: 'POST',
      body: form as never,
      headers: { authorization: `Bearer ${secret}` },
    });
    const body = (await res.body.json()) as { distribution: { id: string } };
    if (res.statusCode !== 201 && res.statusCode !== 200)
      throw new Error(`upload: ${res.statusCode} ${JSON.stringify(body)}`);
    const uploaded = seconds(t0);
    const row = await catalog.datasets.findDistribution(body.distribution.id);
    const bar = progressBar('loading', ROWS);
    const result = await loadTable(
      database,
      row!.id,
      () => app.files.open(row!.storage_key!),
      null,
      (n) => bar.update(n, 'rows'),
    );
    bar.stop();
    const loaded = seconds(t0);
    const m = mem.stop();
    const check = await sql<{
      n: number;
    }>`select count(*)::int as n from ${sql.table(`datastore.${result.tableName}`)}`.execute(database.db);
    process.stdout.write(`ndp upload (HTTP, stored, sha256): ${uploaded.toFixed(2)} s\n`);
    const queryable = uploaded + result.timings!.ready_ms / 1000;
    process.stdout.write(
      `ndp end to end (typed, queryable): ${queryable.toFixed(2)} s  ${(ROWS / queryable / 1000).toFixed(0)}k rows/s  ${(bytes / MiB / queryable).toFixed(1)} MiB/s\n`,
    );
    const tm = result.timings!;
    process.stdout.write(
      `  load path: ${result.path}${result.directMiss ? ` (direct load missed: ${result.directMiss})` : ''}${tm.copy_ms !== undefined ? `; read, converted and copied ${(tm.copy_ms / 1000).toFixed(2)} s, late-typed columns converted ${(tm.convert_ms! / 1000).toFixed(2)} s` : ''}\n`,
    );
    process.stdout.write(
      `  then indexes on every column and vacuum analyze: ${(result.timings!.indexed_ms / 1000).toFixed(2)} s (the table answers meanwhile); all done at ${loaded.toFixed(2)} s\n`,
    );
    process.stdout.write(
      `  rows ${check.rows[0]!.n}, rejected ${result.rejected}; types: ${result.columns.map((c) => `${c.id}:${c.type}`).join(' ')}\n`,
    );
    if (Number.isFinite(copySeconds))
      process.stdout.write(
        `  ratio to COPY: ${(queryable / copySeconds).toFixed(2)}× to queryable, ${(loaded / copySeconds).toFixed(2)}× to indexed  (target ≤ 3×)\n`,
      );
    process.stdout.write(
      `  memory: rss before ${m.base.toFixed(0)} MiB, peak ${m.peak.toFixed(0)} MiB (+${(m.peak - m.base).toFixed(0)} MiB) for a ${(bytes / MiB).toFixed(0)} MiB file\n`,
    );
    await app.jobs.stop();
    await app.server.close();
  } finally {
    await target.drop();
  }
}

const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'ndp-ingest-'));
const file = path.join(dir, 'ho_so.csv');
const gen = progressBar('generating file', ROWS);
const bytes = await writeTableFile(file, ROWS, (n) => gen.update(n, 'rows'));
gen.stop();
process.stdout.write(
  `ingest: ${ROWS.toLocaleString('en')} rows × ${TABLE_COLUMNS.length} columns, ${(bytes / MiB).toFixed(1)} MiB CSV\n`,
);
try {
  for (const kind of TARGETS) await benchTarget(kind, file, bytes);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
