import fs from 'node:fs';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import XLSX from 'xlsx';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { buildDataset, buildDistribution } from '../../../test/factories.js';
import { multipart, startHarness, type Harness } from '../../../test/harness.js';
import { loadTable } from './loader.js';
import type { TableFormat } from './reader.js';

const open = (buf: Buffer) => () => Readable.from([buf]);
// The 54 ethnic groups of the 2019 census, the repo's fixture, as the source of every format below.
const ETHNIC = fs
  .readFileSync(new URL('../../../test/fixtures/dan_toc_vietnam_census2019.csv', import.meta.url), 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((l) => {
    const [ten, dan_so, nhom] = l.split(',');
    return { ten_dan_toc: ten!, dan_so_2019: Number(dan_so), nhom_ngon_ngu: nhom! };
  });

async function xlsxFile(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Biểu 1');
  sheet.addRow(['BIỂU 1. DÂN SỐ CÁC DÂN TỘC']);
  sheet.addRow([]);
  sheet.addRow(['Dân tộc', 'Dân số 2019', 'Nhóm ngôn ngữ', 'Ngày điều tra']);
  for (const e of ETHNIC) sheet.addRow([e.ten_dan_toc, e.dan_so_2019, e.nhom_ngon_ngu, new Date(Date.UTC(2019, 3, 1))]);
  sheet.addRow(['Nguồn: Tổng điều tra dân số và nhà ở 2019']);
  book.addWorksheet('Ghi chú').addRow(['not the table']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The same table as a legacy Excel 97–2003 workbook (BIFF8), dates formatted dd/mm/yyyy as Vietnamese offices write them. */
function xlsFile(): Buffer {
  const rows: unknown[][] = [
    ['BIỂU 1. DÂN SỐ CÁC DÂN TỘC'],
    [],
    ['Dân tộc', 'Dân số 2019', 'Nhóm ngôn ngữ', 'Ngày điều tra'],
  ];
  for (const e of ETHNIC) rows.push([e.ten_dan_toc, e.dan_so_2019, e.nhom_ngon_ngu, new Date(Date.UTC(2019, 3, 1))]);
  rows.push(['Nguồn: Tổng điều tra dân số và nhà ở 2019']);
  const sheet = XLSX.utils.aoa_to_sheet(rows, { cellDates: true, dateNF: 'dd/mm/yyyy' });
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, 'Bieu 1');
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['not the table']]), 'Ghi chu');
  return XLSX.write(book, { type: 'buffer', bookType: 'biff8' }) as Buffer;
}

const GEOJSON = Buffer.from(
  JSON.stringify({
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { ma_tinh: '01', ten: 'Hà Nội', dan_so: 8435650 },
        geometry: { type: 'Point', coordinates: [105.8542, 21.0285] },
      },
      {
        type: 'Feature',
        properties: { ma_tinh: '79', ten: 'Hồ Chí Minh', dan_so: 14002598 },
        geometry: { type: 'Point', coordinates: [106.7009, 10.7769] },
      },
      {
        type: 'Feature',
        properties: { ma_tinh: '48', ten: 'Đà Nẵng', dan_so: null, ghi_chu: 'sáp nhập Quảng Nam' },
        geometry: { type: 'Point', coordinates: [108.2022, 16.0544] },
      },
    ],
  }),
);

for (const driver of testDrivers()) {
  describe(`loading XLSX, XLS, JSON, NDJSON and GeoJSON on ${driver.name}`, () => {
    let h: Harness;
    let distributionId = '';
    const rows = async (table: string) =>
      (await sql<Record<string, unknown>>`select * from ${sql.table(`datastore.${table}`)} order by _row`.execute(h.db))
        .rows;
    const load = (buf: Buffer, format: TableFormat) =>
      loadTable(h.database, distributionId, open(buf), null, undefined, format);

    beforeAll(async () => {
      h = await startHarness(driver);
      const dataset = await buildDataset(h, { agency: 'bo-noi-vu' });
      distributionId = (await buildDistribution(h, { dataset, url: 'https://example.org/a' })).id;
    });
    afterAll(() => h.close());

    it('reads the first sheet of an XLSX file below its title, with sheet row numbers, dates and the footnote', async () => {
      const r = await load(await xlsxFile(), 'xlsx');
      expect(r.columns.map((c) => [c.id, c.type])).toEqual([
        ['dan_toc', 'text'],
        ['dan_so_2019', 'integer'],
        ['nhom_ngon_ngu', 'text'],
        ['ngay_dieu_tra', 'date'],
      ]);
      expect(r.rows).toBe(54);
      expect(r.footnotes).toEqual(['Nguồn: Tổng điều tra dân số và nhà ở 2019']);
      const loaded = await rows(r.tableName);
      expect(loaded[0]).toMatchObject({ _row: 4, dan_toc: 'Kinh', dan_so_2019: 82085826, ngay_dieu_tra: '2019-04-01' });
      expect(loaded.reduce((s, x) => s + Number(x.dan_so_2019), 0)).toBe(ETHNIC.reduce((s, e) => s + e.dan_so_2019, 0));
    });

    it('reads the first tab of an XLSX workbook even when its worksheet is not the first file', async () => {
      const book = new ExcelJS.Workbook();
      book.addWorksheet('Ghi chú').addRow(['not the table']);
      const table = book.addWorksheet('Biểu 1');
      table.addRow(['Dân tộc', 'Dân số 2019']);
      for (const e of ETHNIC.slice(0, 3)) table.addRow([e.ten_dan_toc, e.dan_so_2019]);
      Object.assign(table, { orderNo: -1 }); // moved to the front: the first tab, stored as sheet2.xml
      const r = await load(Buffer.from(await book.xlsx.writeBuffer()), 'xlsx');
      expect(r.columns.map((c) => c.id)).toEqual(['dan_toc', 'dan_so_2019']);
      expect((await rows(r.tableName)).map((x) => x.dan_toc)).toEqual(['Kinh', 'Tày', 'Thái']);
    });

    it('says plainly when an .xlsx workbook is cut short or not a workbook, and loads nothing', async () => {
      const whole = await xlsxFile();
      const count = async () =>
        Number(
          (
            await h.db
              .selectFrom('datastore_tables')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('distribution_id', '=', distributionId)
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      for (const broken of [
        whole.subarray(0, Math.floor(whole.length / 2)),
        Buffer.from('Dân tộc,Dân số\nKinh,82085826\n'),
      ]) {
        await expect(load(broken, 'xlsx')).rejects.toMatchObject({
          code: 'VALIDATION_FAILED',
          messages: {
            en: expect.stringMatching(/Excel \(\.xlsx\) file could not be read/),
            vi: expect.stringMatching(/Không đọc được tệp Excel \(\.xlsx\)/),
          },
        });
      }
      expect(await count()).toBe(before);
    });

    it('reads the first sheet of a legacy XLS workbook (converted apart), with sheet row numbers, dates and the footnote', async () => {
      const r = await load(xlsFile(), 'xls');
      expect(r.columns.map((c) => [c.id, c.type])).toEqual([
        ['dan_toc', 'text'],
        ['dan_so_2019', 'integer'],
        ['nhom_ngon_ngu', 'text'],
        ['ngay_dieu_tra', 'date'],
      ]);
      expect(r.rows).toBe(54);
      expect(r.footnotes).toEqual(['Nguồn: Tổng điều tra dân số và nhà ở 2019']);
      const loaded = await rows(r.tableName);
      expect(loaded[0]).toMatchObject({ _row: 4, dan_toc: 'Kinh', dan_so_2019: 82085826, ngay_dieu_tra: '2019-04-01' });
      expect(loaded.map((x) => x.dan_toc)).toEqual(ETHNIC.map((e) => e.ten_dan_toc));
    });

    it('says plainly when an .xls workbook is broken, and loads nothing', async () => {
      // a compound-file header cut short (SheetJS also reads HTML and text saved as .xls, as some systems export them)
      const broken = Buffer.concat([
        Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
        Buffer.alloc(600, 0xff),
      ]);
      const before = await h.db
        .selectFrom('datastore_tables')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('distribution_id', '=', distributionId)
        .executeTakeFirstOrThrow();
      await expect(load(broken, 'xls')).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        messages: { en: expect.stringMatching(/Excel \(\.xls\) file could not be read/) },
      });
      const after = await h.db
        .selectFrom('datastore_tables')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('distribution_id', '=', distributionId)
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it('reads a JSON array of objects, streamed, with nested values kept as JSON text', async () => {
      const objects = ETHNIC.map((e, i) => ({ ...e, ...(i === 53 ? { extra: { note: 'late key' } } : {}) }));
      const r = await load(Buffer.from(JSON.stringify(objects)), 'json');
      expect(r.columns.map((c) => [c.id, c.type])).toEqual([
        ['ten_dan_toc', 'text'],
        ['dan_so_2019', 'integer'],
        ['nhom_ngon_ngu', 'text'],
        ['extra', 'text'],
      ]);
      const loaded = await rows(r.tableName);
      expect(loaded).toHaveLength(54);
      expect(loaded[53]).toMatchObject({ _row: 54, extra: '{"note":"late key"}' });
    });

    it('reads NDJSON line by line and rejects a line that is not JSON, with its line number', async () => {
      const lines = ETHNIC.slice(0, 5).map((e) => JSON.stringify(e));
      lines.splice(2, 0, '{"ten_dan_toc": "Hỏng", ');
      const r = await load(Buffer.from(`${lines.join('\n')}\n\n`), 'ndjson');
      expect(r.rows).toBe(5);
      expect(r.rejected).toBe(1);
      expect(r.rejections[0]).toMatchObject({
        line: 3,
        en: 'The line is not valid JSON',
        vi: 'Dòng không phải JSON hợp lệ',
      });
    });

    it('reads GeoJSON features: properties as columns, the geometry as a geometry column', async () => {
      const r = await load(GEOJSON, 'geojson');
      expect(r.columns.map((c) => [c.id, c.type])).toEqual([
        ['ma_tinh', 'text'],
        ['ten', 'text'],
        ['dan_so', 'integer'],
        ['ghi_chu', 'text'],
        ['geometry', 'geometry'],
      ]);
      const loaded = await rows(r.tableName);
      expect(loaded[1]).toMatchObject({
        ten: 'Hồ Chí Minh',
        geometry: { type: 'Point', coordinates: [106.7009, 10.7769] },
      });
      expect(loaded[2]).toMatchObject({ dan_so: null, ghi_chu: 'sáp nhập Quảng Nam' });
    });

    it('queues an uploaded XLSX file for loading like a CSV', async () => {
      const d = await buildDataset(h, { agency: 'bo-noi-vu' });
      const m = multipart({}, { name: 'dan_toc.xlsx', content: await xlsxFile() });
      const res = await h.inject({
        method: 'POST',
        url: `/api/v1/datasets/${d.id}/distributions`,
        headers: { ...d.user.auth, ...m.headers },
        payload: m.payload,
      });
      expect(res.json().distribution.format).toBe('XLSX');
      const reload = await h.inject({
        method: 'POST',
        url: `/api/v1/distributions/${res.json().distribution.id}/datastore/load`,
        headers: d.user.auth,
      });
      // the queue is not started in this harness: the route accepts the format and says the queue is down
      expect(reload.json().error?.message ?? '').not.toMatch(/cannot be loaded/);
    });
  });
}
