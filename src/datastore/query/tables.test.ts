import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { buildAgencyUser, buildTable, loadDistribution } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { sql } from 'kysely';
import { ADAPTIVE } from './adaptive-index.js';

const ADAPTIVE_DEFAULTS = { ...ADAPTIVE };

const CENSUS = fs.readFileSync(
  new URL('../../../test/fixtures/census2019_population_by_district.csv', import.meta.url),
);
// The expected answers are computed from the file itself, as a user would check them.
const LINES = CENSUS.toString('utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((l, i) => ({ line: i + 2, cells: l.split(',') }));
const total = (c: string[]) => Number(c[6]);
const GAPS = Buffer.from(
  [
    'ma,v,nhom',
    ...Array.from({ length: 300 }, (_, i) => `${i},${i % 7 === 0 ? '..' : (i * 37) % 50},${i % 3 ? 'a' : 'b'}`),
  ].join('\n'),
);

for (const driver of testDrivers()) {
  describe(`native table API on ${driver.name}`, () => {
    let h: Harness;
    let distributionId = '';
    let firstVersion = '';
    let restrictedId = '';
    let gapsId = '';
    const get = (url: string, headers: Record<string, string> = {}) => h.inject({ method: 'GET', url, headers });

    beforeAll(async () => {
      h = await startHarness(driver);
      const user = await buildAgencyUser(h);
      const pub = await buildTable(h, { user, csv: CENSUS });
      distributionId = pub.id;
      firstVersion = pub.load.tableId;
      // a second version: same file, so the latest and the first answer alike but by different ids
      await loadDistribution(h, pub);
      restrictedId = (await buildTable(h, { user, access_rights: 'restricted', csv: CENSUS })).id;
      // a table with missing values and ties, for paging
      gapsId = (await buildTable(h, { user, csv: GAPS })).id;
    });
    afterAll(() => h.close());

    it('describes a table by distribution (latest version) and by version id (immutable)', async () => {
      const latest = (await get(`/api/v1/tables/${distributionId}`)).json();
      expect(latest.version).toBe(2);
      expect(latest.rows).toBe(LINES.length);
      expect(latest.columns.find((c: { id: string }) => c.id === 'total')).toMatchObject({ type: 'integer' });
      const first = (await get(`/api/v1/tables/${firstVersion}`)).json();
      expect(first.version).toBe(1);
      expect(first.id).toBe(firstVersion);
      expect((await get(`/api/v1/tables/${restrictedId}`)).statusCode).toBe(401); // anonymous: sign in first
      expect((await get('/api/v1/tables/00000000-0000-0000-0000-000000000000')).statusCode).toBe(404);
      // every column and the line number got an index once the table was ready
      const report = (await get(`/api/v1/distributions/${distributionId}/datastore`)).json().versions[0].report;
      expect(report.indexed_ms).toBeGreaterThanOrEqual(0);
      expect(report.index_error).toBeUndefined();
      const indexes = await h.db
        .selectFrom('pg_indexes' as never)
        .select('indexname' as never)
        .where('schemaname' as never, '=', 'datastore' as never)
        .where('tablename' as never, '=', `d_${distributionId.replace(/-/g, '')}_v2` as never)
        .execute();
      expect(indexes.length).toBe(latest.columns.length + 1);
    });

    it('filters with typed operators and sorts', async () => {
      const r = (
        await get(
          `/api/v1/tables/${distributionId}/rows?province_vi=eq.Hà Nội&total=gt.200000&order=total.desc&select=district_vi,total`,
        )
      ).json();
      const expected = LINES.filter((l) => l.cells[1] === 'Hà Nội' && total(l.cells) > 200000).sort(
        (a, b) => total(b.cells) - total(a.cells),
      );
      expect(r.rows.map((x: { district_vi: string }) => x.district_vi)).toEqual(expected.map((l) => l.cells[4]));
      expect(Object.keys(r.rows[0])).toEqual(['_id', 'district_vi', 'total']);
      expect(r.rows[0]._id).toBe(expected[0]!.line);

      const inList = (
        await get(`/api/v1/tables/${distributionId}/rows?district_code=in.(001,002,883)&order=district_code`)
      ).json();
      // GSO codes keep their zeros: inference reads them as text
      expect(inList.rows.map((x: { district_code: string }) => x.district_code)).toEqual(['001', '002', '883']);
      const like = (
        await get(`/api/v1/tables/${distributionId}/rows?district_vi=like.Long*&select=district_vi&limit=1000`)
      ).json();
      expect(like.rows.map((x: { district_vi: string }) => x.district_vi).sort()).toEqual(
        LINES.filter((l) => l.cells[4]!.startsWith('Long'))
          .map((l) => l.cells[4])
          .sort(),
      );
      const ilike = (
        await get(`/api/v1/tables/${distributionId}/rows?district_vi=ilike.*xuyên*&select=district_vi&limit=1000`)
      ).json();
      expect(ilike.rows.length).toBe(LINES.filter((l) => l.cells[4]!.toLowerCase().includes('xuyên')).length);
      const range = (
        await get(`/api/v1/tables/${distributionId}/rows?total=gte.100000&total=lt.101000&select=total&limit=1000`)
      ).json();
      expect(range.rows.length).toBe(LINES.filter((l) => total(l.cells) >= 100000 && total(l.cells) < 101000).length);
      const noNulls = (await get(`/api/v1/tables/${distributionId}/rows?total_urban=is.null&limit=1000`)).json();
      expect(noNulls.rows.length).toBe(LINES.filter((l) => l.cells[9] === '').length);
    });

    it('pages through every row by keyset with next links, with no cap, in any order', async () => {
      const seen: number[] = [];
      let url: string | null =
        `/api/v1/tables/${distributionId}/rows?order=province_vi.desc,total&limit=97&select=total`;
      let pages = 0;
      while (url) {
        const page: { rows: { _id: number }[]; links: { next: string | null } } = (await get(url)).json();
        seen.push(...page.rows.map((r) => r._id));
        url = page.links.next;
        pages++;
      }
      expect(pages).toBe(Math.ceil(LINES.length / 97) + (LINES.length % 97 === 0 ? 1 : 0));
      expect(new Set(seen).size).toBe(LINES.length);
      const expected = [...LINES].sort((a, b) =>
        a.cells[1]! < b.cells[1]!
          ? 1
          : a.cells[1]! > b.cells[1]!
            ? -1
            : total(a.cells) - total(b.cells) || a.line - b.line,
      );
      // PostgreSQL's collation and JS order agree on these names except for case and marks; check the totals within each province instead
      const byProvince = new Map<string, number[]>();
      for (const l of expected) byProvince.set(l.cells[1]!, [...(byProvince.get(l.cells[1]!) ?? []), l.line]);
      const firstProvince = LINES.find((l) => l.line === seen[0])!.cells[1]!;
      expect(seen.slice(0, byProvince.get(firstProvince)!.length).sort()).toEqual(
        [...byProvince.get(firstProvince)!].sort(),
      );
    });

    it('pages correctly over a column with missing values, in both directions', async () => {
      for (const order of ['v.desc', 'v.asc', 'v.desc,nhom.asc', 'nhom.desc,v.asc']) {
        const seen: number[] = [];
        const values: (number | null)[] = [];
        let url: string | null = `/api/v1/tables/${gapsId}/rows?order=${order}&limit=13&select=v`;
        while (url) {
          const page: { rows: { _id: number; v: number | null }[]; links: { next: string | null } } = (
            await get(url)
          ).json();
          seen.push(...page.rows.map((r) => r._id));
          values.push(...page.rows.map((r) => r.v));
          url = page.links.next;
        }
        expect(new Set(seen).size, order).toBe(300);
        expect(seen.length, order).toBe(300);
        expect(values.filter((v) => v === null).length).toBe(43);
        if (order.startsWith('nhom')) continue;
        // PostgreSQL's order: missing values count as the largest
        const key = (v: number | null) => (v === null ? Infinity : v);
        const sorted = [...values].sort((a, b) => (order.startsWith('v.desc') ? key(b) - key(a) : key(a) - key(b)));
        expect(values.map(key), order).toEqual(sorted.map(key));
      }
    });

    it('aggregates with group_by, count, sum, avg, min and max', async () => {
      const r = (
        await get(
          `/api/v1/tables/${distributionId}/rows?group_by=province_vi&count&sum=total&max=total&min=district_vi&province_vi=in.(Hà Nội,An Giang)`,
        )
      ).json();
      const hanoi = LINES.filter((l) => l.cells[1] === 'Hà Nội');
      const row = r.rows.find((x: { province_vi: string }) => x.province_vi === 'Hà Nội');
      expect(r.rows).toHaveLength(2);
      expect(row).toMatchObject({
        count: hanoi.length,
        sum_total: hanoi.reduce((s, l) => s + total(l.cells), 0),
        max_total: Math.max(...hanoi.map((l) => total(l.cells))),
      });
      expect(typeof row.min_district_vi).toBe('string');
      const all = (await get(`/api/v1/tables/${distributionId}/rows?count&avg=total`)).json();
      expect(all.rows[0].count).toBe(LINES.length);
      expect(all.rows[0].avg_total).toBeCloseTo(LINES.reduce((s, l) => s + total(l.cells), 0) / LINES.length, 6);
    });

    it('negotiates CSV, NDJSON, XLSX and Parquet and streams the whole view', async () => {
      const csv = await get(`/api/v1/tables/${distributionId}/rows?province_vi=eq.Hà Nội&select=district_vi,total`, {
        accept: 'text/csv',
      });
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const csvLines = csv.body
        .replace(/^\ufeff/, '')
        .trim()
        .split('\r\n');
      expect(csvLines[0]).toBe('_id,district_vi,total');
      expect(csvLines).toHaveLength(1 + LINES.filter((l) => l.cells[1] === 'Hà Nội').length);

      const nd = await get(`/api/v1/tables/${distributionId}/rows?format=ndjson`);
      const records = nd.body
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(records).toHaveLength(LINES.length);
      expect(records[0]).toMatchObject({ _id: 2, district_code: '883', total: 272365 });

      const xlsx = await get(`/api/v1/tables/${distributionId}/rows?format=xlsx&select=district_vi,total`);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.rawPayload as never);
      const sheet = book.getWorksheet('data')!;
      expect(sheet.rowCount).toBe(LINES.length + 1);
      expect(sheet.getRow(2).values).toEqual([undefined, 2, 'Long Xuyên', 272365]);

      const pq = await get(`/api/v1/tables/${distributionId}/rows?select=district_code,province_vi,total`, {
        accept: 'application/vnd.apache.parquet',
      });
      const buf = pq.rawPayload;
      const rows = await parquetReadObjects({
        file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer,
      });
      expect(rows).toHaveLength(LINES.length);
      expect(rows[0]).toMatchObject({ _id: 2n, district_code: '883', province_vi: 'An Giang', total: 272365n });

      expect((await get(`/api/v1/tables/${distributionId}/rows`, { accept: 'image/png' })).statusCode).toBe(406);
    });

    it('builds the composite index a slow filter-and-sort lacks, in the background, once', async () => {
      Object.assign(ADAPTIVE, { minRows: 0, slowMs: 0 });
      try {
        for (let i = 0; i < 3; i++)
          await get(`/api/v1/tables/${distributionId}/rows?province_vi=eq.Hà Nội&order=total.desc&limit=5`);
        await h.app.services.datastore.indexes!.settled();
      } finally {
        Object.assign(ADAPTIVE, ADAPTIVE_DEFAULTS);
      }
      const table = `d_${distributionId.replace(/-/g, '')}_v2`;
      const defs = (
        await sql<{
          indexdef: string;
        }>`select indexdef from pg_indexes where schemaname = 'datastore' and tablename = ${table} and indexname like ${`${table}_a%`}`.execute(
          h.db,
        )
      ).rows;
      expect(defs).toHaveLength(1);
      expect(defs[0]!.indexdef).toMatch(/\(province_vi, total\)/);
      const report = (await get(`/api/v1/distributions/${distributionId}/datastore`)).json().versions[0].report;
      expect(report.adaptive_indexes.map((x: { columns: string[] }) => x.columns)).toEqual([['province_vi', 'total']]);
      // the same page answers the same
      const r = (
        await get(`/api/v1/tables/${distributionId}/rows?province_vi=eq.Hà Nội&order=total.desc&limit=1&select=total`)
      ).json();
      expect(r.rows[0].total).toBe(
        Math.max(...LINES.filter((l) => l.cells[1] === 'Hà Nội').map((l) => total(l.cells))),
      );
    });

    it('refuses unknown columns, bad operators and values of the wrong type with reasons in both languages', async () => {
      const bad = await get(
        `/api/v1/tables/${distributionId}/rows?password=eq.x&total=gt.many&order=total;drop&province_vi=between.1`,
      );
      expect(bad.statusCode).toBe(400);
      const fields = bad
        .json()
        .error.details.map((d: { field: string }) => d.field)
        .sort();
      expect(fields).toEqual(['order', 'password', 'province_vi', 'total']);
      expect(bad.json().error.details[0].vi).toBeTruthy();
      expect((await get(`/api/v1/tables/${distributionId}/rows?sum=province_vi`)).statusCode).toBe(400);
      expect((await get(`/api/v1/tables/${distributionId}/rows?after=garbage`)).statusCode).toBe(400);
      expect((await get(`/api/v1/tables/${distributionId}/rows?limit=100001`)).statusCode).toBe(400);
    });

    it('refuses a keyset cursor whose values do not fit the sort columns with 400, not a server error', async () => {
      const cursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      for (const [order, after] of [
        ['', ['x']], // _row is a whole number
        ['', [1e30]], // and fits in bigint
        ['', [1.5]],
        ['&order=total', ['many', 3]],
        ['&order=total', [3, 'x']],
        ['&order=province_vi', [true, 3]],
      ] as const) {
        const r = await get(`/api/v1/tables/${distributionId}/rows?after=${cursor(after)}${order}`);
        expect(r.statusCode, `${order} ${JSON.stringify(after)}`).toBe(400);
        expect(r.json().error.details[0].field).toBe('after');
      }
      // a cursor as given still works
      const page = (await get(`/api/v1/tables/${distributionId}/rows?order=total&limit=2`)).json();
      expect((await get(page.links.next.replace(/^https?:\/\/[^/]+/, ''))).statusCode).toBe(200);
    });
  });
}
