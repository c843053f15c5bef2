import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { buildDataset, buildDistribution, buildSession, publishDataset } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { loadTable } from './loader.js';

const open = (text: string) => () => Readable.from([Buffer.from(text)]);

/** Administrative units as agencies publish them: an object, with the records nested three deep. */
const UNITS = {
  title: 'Danh mục đơn vị hành chính',
  updated: '2025-07-01',
  provinces: [
    {
      code: '01',
      name: 'Hà Nội',
      districts: [
        {
          code: '001',
          name: 'Ba Đình',
          communes: [
            { code: '00001', name: 'Phúc Xá', population: 21000 },
            { code: '00004', name: 'Trúc Bạch', population: 9000 },
          ],
        },
        { code: '002', name: 'Hoàn Kiếm', communes: [{ code: '00037', name: 'Phúc Tân', population: 11000 }] },
      ],
    },
    {
      code: '79',
      name: 'Hồ Chí Minh',
      districts: [{ code: '760', name: 'Quận 1', communes: [{ code: '26734', name: 'Tân Định', population: 30000 }] }],
    },
  ],
};

for (const driver of testDrivers()) {
  describe(`reading JSON files sensibly on ${driver.name}`, () => {
    let h: Harness;
    let distributionId = '';
    beforeAll(async () => {
      h = await startHarness(driver);
      const dataset = await buildDataset(h, { agency: 'bo-noi-vu' });
      distributionId = (await buildDistribution(h, { dataset, url: 'https://example.org/units.json' })).id;
    });
    afterAll(() => h.close());

    const rows = async (table: string) =>
      (await sql<Record<string, unknown>>`select * from ${sql.table(`datastore.${table}`)} order by _row`.execute(h.db))
        .rows;

    it('finds the records nested in an object and gives one row per commune, with its district and province', async () => {
      const r = await loadTable(h.database, distributionId, open(JSON.stringify(UNITS)), null, undefined, 'json');
      expect(r.status).toBe('ready');
      expect(r.jsonPath).toBe('provinces[].districts[].communes[]');
      expect(r.columns.map((c) => c.title)).toEqual([
        'province_code',
        'province_name',
        'district_code',
        'district_name',
        'code',
        'name',
        'population',
      ]);
      const loaded = await rows(r.tableName);
      expect(loaded.map(({ _row, ...x }) => x)).toEqual([
        {
          province_code: '01',
          province_name: 'Hà Nội',
          district_code: '001',
          district_name: 'Ba Đình',
          code: '00001',
          name: 'Phúc Xá',
          population: 21000,
        },
        expect.objectContaining({ district_name: 'Ba Đình', code: '00004', name: 'Trúc Bạch' }),
        expect.objectContaining({ province_name: 'Hà Nội', district_name: 'Hoàn Kiếm', code: '00037' }),
        expect.objectContaining({ province_code: '79', district_code: '760', name: 'Tân Định', population: 30000 }),
      ]);
      const stored = await h.db
        .selectFrom('datastore_tables')
        .select('report')
        .where('id', '=', r.tableId)
        .executeTakeFirstOrThrow();
      expect(stored.report).toMatchObject({ json_path: 'provinces[].districts[].communes[]' });
    });

    it('finds the array of records under a key of the top object', async () => {
      const doc = {
        success: true,
        result: {
          total: 2,
          records: [
            { ma: 'A', so: 1 },
            { ma: 'B', so: 2 },
          ],
        },
      };
      const r = await loadTable(h.database, distributionId, open(JSON.stringify(doc)), null, undefined, 'json');
      expect(r.jsonPath).toBe('result.records[]');
      expect((await rows(r.tableName)).map(({ _row, ...x }) => x)).toEqual([
        { ma: 'A', so: 1 },
        { ma: 'B', so: 2 },
      ]);
    });
  });
}

const UNREADABLE = [
  ['a JSON scalar', '42'],
  ['an empty array', '[]'],
  ['an object holding no records', '{"a": 1, "b": [1, 2]}'],
] as const;

describe('a load that fails says why, and the previous version stays current', () => {
  let h: Harness;
  const files: { id: string; auth: Record<string, string>; user: Awaited<ReturnType<typeof buildDataset>>['user'] }[] =
    [];
  beforeAll(async () => {
    h = await startHarness(testDrivers()[0]!);
    // every file first loaded well (version 1) from other content; the queue started after, so the uploads wait
    for (const [, content] of UNREADABLE) {
      const dataset = await buildDataset(h, { agency: 'bo-noi-vu' });
      const { id } = await buildDistribution(h, { dataset, file: { name: 'du_lieu.json', content } });
      await publishDataset(h, dataset);
      const first = await loadTable(
        h.database,
        id,
        open(JSON.stringify([{ ma: '01', so: 5 }])),
        null,
        undefined,
        'json',
      );
      expect(first.status).toBe('ready');
      files.push({ id, auth: dataset.user.auth, user: dataset.user });
    }
    await h.app.jobs.start();
  });
  afterAll(() => h.close());

  UNREADABLE.forEach(([label], i) => {
    it(`records a failed version with its reason in both languages for ${label}`, async () => {
      const { id, auth } = files[i]!;
      const queued = await h.inject({
        method: 'POST',
        url: `/api/v1/distributions/${id}/datastore/load`,
        headers: auth,
      });
      expect(queued.statusCode).toBe(202);
      type Version = { version: number; status: string; report: { error?: string; error_vi?: string } };
      let versions: Version[] = [];
      for (let k = 0; k < 100 && versions.length < 2; k++) {
        const res = await h.inject({ method: 'GET', url: `/api/v1/distributions/${id}/datastore`, headers: auth });
        versions = res.json().versions;
        if (versions.length < 2) await new Promise((r) => setTimeout(r, 100));
      }
      expect(versions.map((v) => [v.version, v.status])).toEqual([
        [2, 'failed'],
        [1, 'ready'],
      ]);
      expect(versions[0]!.report.error).toMatch(/JSON/);
      expect(versions[0]!.report.error_vi).toMatch(/JSON/);
      expect(versions[0]!.report.error_vi).not.toBe(versions[0]!.report.error);
      const current = await h.inject({ method: 'GET', url: `/api/v1/tables/${id}`, headers: auth });
      expect(current.json()).toMatchObject({ version: 1, rows: 1 });
      // and on the load report, where the publisher looks
      const session = await buildSession(h, { user: files[i]!.user });
      const page = await h.inject({
        method: 'GET',
        url: `/dashboard/distributions/${id}/table`,
        headers: { cookie: session.cookie, accept: 'text/html' },
      });
      expect(page.body).toContain(versions[0]!.report.error_vi!.replace(/&/g, '&amp;').replace(/"/g, '&quot;'));
    });
  });
});
