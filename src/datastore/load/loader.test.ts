import fs from 'node:fs';
import os from 'node:os';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { buildDataset, buildDistribution } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { loadTable } from './loader.js';
import { cleanUpInterruptedLoads } from './table-versions.js';
import type { Database } from '../../platform/database.js';

const TONES = /[\u0300\u0301\u0303\u0309\u0323]/;
const cp1258Form = (s: string) =>
  [...s.normalize('NFD').matchAll(/\P{M}\p{M}*/gu)]
    .map(
      ([g]) =>
        [...g]
          .filter((c) => !TONES.test(c))
          .join('')
          .normalize('NFC') + [...g].filter((c) => TONES.test(c)).join(''),
    )
    .join('');
const open = (buf: Buffer) => () => Readable.from([buf]);

const FILE = [
  'BIỂU 1. DÂN SỐ CÁC TỈNH NĂM 2025',
  '',
  'Mã tỉnh;Tỉnh, thành phố;Dân số;Diện tích (km²);Ngày công bố',
  '01;Hà Nội;8.435.650;3.359,84;12/06/2025',
  '79;Hồ Chí Minh;14.002.598;6.772,59;12/06/2025',
  '82;Đồng Tháp;4.370.046;..;',
  '46;Huế;1.160.220;4.947,11;31/02/2025',
  'Nguồn: Nghị quyết 202/2025/QH15',
].join('\n');

for (const driver of testDrivers()) {
  describe(`loading tables into typed data on ${driver.name}`, () => {
    let h: Harness;
    let database: Database;
    let distributionId: string;
    beforeAll(async () => {
      h = await startHarness(driver);
      database = h.database;
      const dataset = await buildDataset(h, { agency: 'bo-noi-vu' });
      distributionId = (await buildDistribution(h, { dataset, url: 'https://example.org/a.csv' })).id;
    });
    afterAll(() => h.close());

    it('loads a Windows-1258 government file as typed columns, reporting the rows it rejects', async () => {
      const r = await loadTable(database, distributionId, open(iconv.encode(cp1258Form(FILE), 'windows1258')));
      expect(r.columns.map((c) => [c.id, c.type])).toEqual([
        ['ma_tinh', 'text'],
        ['tinh_thanh_pho', 'text'],
        ['dan_so', 'integer'],
        ['dien_tich_km', 'number'],
        ['ngay_cong_bo', 'text'],
      ]);
      expect(r.columns[4]!.inferred).toBe('text'); // 31/02/2025 is no date, so the column stays text
      expect(r.rows).toBe(4);
      expect(r.footnotes).toEqual(['Nguồn: Nghị quyết 202/2025/QH15']);
      const rows = await sql<{
        dan_so: string;
        dien_tich_km: string | null;
      }>`select dan_so, dien_tich_km from ${sql.table(`datastore.${r.tableName}`)} order by _row`.execute(h.db);
      expect(rows.rows.map((x) => [Number(x.dan_so), x.dien_tich_km === null ? null : Number(x.dien_tich_km)])).toEqual(
        [
          [8435650, 3359.84],
          [14002598, 6772.59],
          [4370046, null],
          [1160220, 4947.11],
        ],
      );
    });

    it('lets a Table Schema win over inference: codes keep their zeros, a bad date is rejected with its line', async () => {
      const schema = {
        fields: [
          { name: 'Mã tỉnh', type: 'string' },
          { name: 'Ngày công bố', type: 'date' },
        ],
      };
      const r = await loadTable(database, distributionId, open(Buffer.from(FILE)), schema);
      expect(r.version).toBe(2);
      expect(r.rows).toBe(3);
      expect(r.rejected).toBe(1);
      expect(r.rejections[0]).toMatchObject({
        line: 7,
        column: 'Ngày công bố',
        value: '31/02/2025',
        en: expect.stringContaining('not a date'),
      });
      const codes = await sql<{
        ma_tinh: string;
        ngay_cong_bo: string | null;
      }>`select ma_tinh, ngay_cong_bo from ${sql.table(`datastore.${r.tableName}`)} order by _row`.execute(h.db);
      expect(codes.rows).toEqual([
        { ma_tinh: '01', ngay_cong_bo: '2025-06-12' },
        { ma_tinh: '79', ngay_cong_bo: '2025-06-12' },
        { ma_tinh: '82', ngay_cong_bo: null },
      ]);
      // Version 1 is still there, whole, and still current: version 2 rejected a row, so it waits for its publisher.
      const v1 = await h.db
        .selectFrom('datastore_tables')
        .select(['version', 'status', 'row_count', 'current'])
        .where('distribution_id', '=', distributionId)
        .orderBy('version')
        .execute();
      expect(v1.map((v) => [v.version, v.status, Number(v.row_count), v.current])).toEqual([
        [1, 'ready', 4, true],
        [2, 'pending', 3, false],
      ]);
    });

    it('cleans up a load that was cut off by a crash', async () => {
      await h.db
        .insertInto('datastore_tables')
        .values({
          id: crypto.randomUUID(),
          distribution_id: distributionId,
          version: 99,
          table_name: 'd_half_v99',
          status: 'loading',
          columns: '[]',
        })
        .execute();
      await sql`create table datastore.d_half_v99 (x int)`.execute(h.db);
      expect(await cleanUpInterruptedLoads(database)).toBe(1);
      const left = await sql<{
        n: number;
      }>`select count(*)::int as n from information_schema.tables where table_schema = 'datastore' and table_name = 'd_half_v99'`.execute(
        h.db,
      );
      expect(left.rows[0]!.n).toBe(0);
      const row = await h.db
        .selectFrom('datastore_tables')
        .select('status')
        .where('version', '=', 99)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('failed');
    });

    it('takes the slow way when a column changes type after the first thousand rows, and leaves no temporary file', async () => {
      const before = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(`ndp-stage-${process.pid}-`)).length;
      const rows = Array.from(
        { length: 3000 },
        (_, i) => `${i},${i === 1500 ? '12.5' : i},${i === 2500 ? 'không rõ' : '2026-01-01'}`,
      );
      // the row-by-row load (the direct load has tests of its own)
      const r = await loadTable(
        database,
        distributionId,
        open(Buffer.from(['id,v,ngay', ...rows].join('\n'))),
        null,
        undefined,
        'csv',
        { direct: false },
      );
      expect(r.columns.map((c) => [c.id, c.type])).toEqual([
        ['id', 'integer'],
        ['v', 'number'],
        ['ngay', 'text'],
      ]);
      expect(r.rows).toBe(3000);
      const check = await sql<{
        v: string;
        ngay: string;
      }>`select v::text as v, ngay from ${sql.table(`datastore.${r.tableName}`)} where id in (1500, 2500) order by id`.execute(
        database.db,
      );
      expect(check.rows).toEqual([
        { v: '12.5', ngay: '2026-01-01' },
        { v: '2500', ngay: 'không rõ' },
      ]);
      // the fast way, types held to the end: the same figures
      const steady = await loadTable(
        database,
        distributionId,
        open(Buffer.from(['id,v', ...Array.from({ length: 3000 }, (_, i) => `${i},${i * 2}`)].join('\n'))),
        null,
        undefined,
        'csv',
        { direct: false },
      );
      const sum = await sql<{
        s: string;
      }>`select sum(v)::text as s from ${sql.table(`datastore.${steady.tableName}`)}`.execute(database.db);
      expect(sum.rows[0]!.s).toBe(String((2 * (2999 * 3000)) / 2));
      expect(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(`ndp-stage-${process.pid}-`)).length).toBe(before);
    });
  });
}
