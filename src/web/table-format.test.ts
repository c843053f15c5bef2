import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { buildDataset, buildDistribution, loadDistribution, publishDataset } from '../../test/factories.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { FIGURES_CSV, FIGURES_SCHEMA } from '../../test/table-fixture.js';
import { formatCell, formatDay, formatMoment, isYearColumn } from './table-cells.js';
import { usableColumns } from './table-chart.js';
import type { LoadedColumn } from '../datastore/load/loader.js';

describe('table cells', () => {
  it('tells a column of years by its name and its values, not by either alone', () => {
    expect(isYearColumn({ id: 'nam', title: 'nam', type: 'integer' }, [2024, 1999, null])).toBe(true);
    expect(isYearColumn({ id: 'fiscal_year', title: 'Fiscal year', type: 'integer' }, [2019])).toBe(true);
    expect(isYearColumn({ id: 'c3', title: 'Năm học', type: 'text' }, ['2024'])).toBe(true);
    expect(isYearColumn({ id: 'dan_so', title: 'dan_so', type: 'integer' }, [2024])).toBe(false);
    expect(isYearColumn({ id: 'nam', title: 'nam', type: 'integer' }, [2024, 35000])).toBe(false); // men, not years
    expect(isYearColumn({ id: 'so_nam', title: 'Số năm', type: 'integer' }, [2000])).toBe(false);
    expect(isYearColumn({ id: 'nam', title: 'nam', type: 'number' }, [2024])).toBe(false);
  });

  it('writes numbers, decimals and dates as each language reads them', () => {
    const n = { id: 'x', title: 'x', type: 'number' };
    expect(formatCell('18848.1', n, 'vi')).toBe('18.848,1');
    expect(formatCell('18848.1', n, 'en')).toBe('18,848.1');
    expect(formatCell('12345678901234567890.25', n, 'vi')).toBe('12.345.678.901.234.567.890,25');
    expect(formatCell(2024, { ...n, type: 'integer', year: true }, 'vi')).toBe('2024');
    expect(formatCell(2024, { ...n, type: 'integer' }, 'vi')).toBe('2.024');
    expect(formatDay('2024-08-03', 'vi')).toBe('03/08/2024');
    expect(formatDay('2024-08-03', 'en')).toBe('3 Aug 2024');
    expect(formatMoment('2024-08-03T17:30:00Z', 'vi')).toBe('04/08/2024 00:30'); // in Vietnam's time
    expect(formatCell('ABC', n, 'vi')).toBe('ABC');
  });
});

describe('the columns the province map offers', () => {
  it('offers a text column of province codes, not a column of counts that happen to run from 1 to 34', async () => {
    const col = (id: string, type: string) => ({ column: { id, title: id, type } as LoadedColumn, title: id });
    const rows = [
      { stt: 1, ma_tinh: '01', so_luong: 12 },
      { stt: 2, ma_tinh: '79', so_luong: 31 },
    ];
    const usable = await usableColumns(
      [col('stt', 'integer'), col('ma_tinh', 'text'), col('so_luong', 'integer')],
      rows,
      undefined,
    );
    expect(usable).toEqual([{ id: 'ma_tinh', title: 'ma_tinh', via: 'codes' }]);
  });
});

describe('a table page in both languages', () => {
  let h: Harness;
  let url = '';
  let oneRow = '';
  let datasetUrl = '';

  beforeAll(async () => {
    h = await startHarness(testDrivers()[0]!);
    const dataset = await buildDataset(h, { title_vi: 'Chỉ tiêu kinh tế' });
    const d = await buildDistribution(h, { dataset, csv: FIGURES_CSV, fileName: 'chi_tieu.csv' });
    await h.app.services.catalog.datasets.setTableSchema(dataset.user.principal, d.id, FIGURES_SCHEMA);
    await loadDistribution(h, d, { schema: FIGURES_SCHEMA });
    const one = await buildDistribution(h, { dataset, csv: 'nam,gia_tri\n2020,1.5\n', fileName: 'mot_dong.csv' });
    await loadDistribution(h, one);
    await publishDataset(h, dataset);
    url = `/dataset/${dataset.slug}/table/${d.id}`;
    oneRow = `/dataset/${dataset.slug}/table/${one.id}`;
    datasetUrl = `/dataset/${dataset.slug}`;
  });
  afterAll(() => h.close());

  const page = async (u: string) => (await h.inject({ method: 'GET', url: u, headers: { accept: 'text/html' } })).body;

  it('shows years ungrouped, numbers and dates in Vietnamese, titles from the schema and types in Vietnamese', async () => {
    const body = await page(url);
    expect(body).toContain('<td class="num">2024</td>');
    expect(body).not.toContain('2.024');
    expect(body).toContain('<td class="num">18.848,1</td>');
    expect(body).toContain('<td class="num">1.234.567</td>');
    expect(body).toContain('<td>03/08/2024</td>');
    expect(body).toMatch(/>Giá trị \(tỷ đồng\)<\/a><code class="col-id" title="Mã cột trong API">gia_tri<\/code>/);
    expect(body).toMatch(/>so_ho<\/a><span class="col-type">số nguyên<\/span>/); // no title: the header, once
    expect(body).toContain('<span class="col-type">số thập phân</span>');
    expect(body).toContain('<span class="col-type">năm</span>');
    expect(body).toContain('<span class="col-type">ngày</span>');
    expect(body).toContain('· 2 dòng ·');
  });

  it('shows the same table in English: 18,848.1, 3 Aug 2024, English type names, and "1 row"', async () => {
    const body = await page(`${url}?lang=en`);
    expect(body).toContain('<td class="num">2024</td>');
    expect(body).toContain('<td class="num">18,848.1</td>');
    expect(body).toContain('<td class="num">1,234,567</td>');
    expect(body).toContain('<td>3 Aug 2024</td>');
    expect(body).toContain('<span class="col-type">decimal number</span>');
    expect(body).toContain('<span class="col-type">year</span>');
    expect(body).toContain('· 2 rows ·');
    expect(await page(`${oneRow}?lang=en`)).toContain('· 1 row ·');
  });

  it('previews the first table on the data set page: its first rows as the table page writes them, and its map', async () => {
    const body = await page(datasetUrl);
    expect(body).toContain('<h2 id="preview-heading">Xem trước: chi_tieu.csv</h2>');
    expect(body).toMatch(/<th scope="col">Giá trị \(tỷ đồng\)<code class="col-id">gia_tri<\/code><\/th>/);
    expect(body).toContain('<td class="num">18.848,1</td>');
    expect(body).toContain('<td>03/08/2024</td>');
    expect(body).toContain('<td class="num">2024</td>');
    expect(body).toContain('2 dòng đầu trong 2 dòng.');
    expect(body).toMatch(/<code>gia_tri<\/code><\/td><td>số thập phân<\/td>/); // the schema's types, in Vietnamese
    // the places named in the table, on the map of the 34 provinces, with the figures beside it
    expect(body).toMatch(/data-code="01"><title>Hà Nội: 18\.848,1<\/title>/);
    expect(body).toMatch(/data-code="46"><title>Huế: 5,25<\/title>/);
    expect(body).toContain('class="map-legend"');
    expect(body).toContain('CC BY-SA 4.0');
    const en = await page(`${datasetUrl}?lang=en`);
    expect(en).toContain('<td>3 Aug 2024</td>');
    expect(en).toContain('First rows: 2 of 2.');
    expect(en).toMatch(/data-code="01"><title>Hà Nội: 18,848\.1<\/title>/);
  });
});

describe('ready-made API calls for the view on screen', () => {
  let h: Harness;
  let url = '';

  beforeAll(async () => {
    h = await startHarness(testDrivers()[0]!);
    const dataset = await buildDataset(h, { title_vi: 'Chỉ tiêu kinh tế' });
    const d = await buildDistribution(h, { dataset, csv: FIGURES_CSV, fileName: 'chi_tieu.csv' });
    await loadDistribution(h, d, { schema: FIGURES_SCHEMA });
    await publishDataset(h, dataset);
    url = `/dataset/${dataset.slug}/table/${d.id}`;
  });
  afterAll(() => h.close());

  const fromHtml = (s: string) =>
    s
      .replace(/&amp;/g, '&')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"');
  const get = async (u: string) => h.inject({ method: 'GET', url: u, headers: { accept: 'text/html' } });

  it('gives curl, Python, JavaScript and CKAN calls that return the filtered, sorted rows', async () => {
    const body = fromHtml((await get(`${url}?tinh=in.(Hà Nội,Huế)&order=gia_tri.desc`)).body);
    const curl = /<code>curl '[a-z]+:\/\/[^/]+(\/api\/v1\/tables\/[^']+)'<\/code>/.exec(body)![1]!;
    const native = (await h.inject({ method: 'GET', url: curl })).json();
    expect(native.rows.map((r: { tinh: string }) => r.tinh)).toEqual(['Hà Nội', 'Huế']);
    const ckan = /<code>curl '[a-z]+:\/\/[^/]+(\/api\/3\/action\/datastore_search[^']+)'<\/code>/.exec(body)![1]!;
    expect(ckan).toContain('sort=gia_tri+desc');
    const records = (await h.inject({ method: 'GET', url: ckan })).json().result.records;
    expect(records.map((r: { tinh: string }) => r.tinh)).toEqual(['Hà Nội', 'Huế']);
    expect(body).toContain("('tinh', 'in.(Hà Nội,Huế)'), ('order', 'gia_tri.desc'), ('limit', '100')");
    expect(body).toContain('[["tinh","in.(Hà Nội,Huế)"],["order","gia_tri.desc"],["limit","100"]]');
    expect(body).not.toContain('chỉ có phép “bằng”'); // every condition fits CKAN's filters
    // a condition CKAN's filters cannot hold is said so
    const gt = fromHtml((await get(`${url}?gia_tri=gt.10&lang=en`)).body);
    expect(gt).toContain("the view's other conditions are in the native API calls above only");
    const one = /<code>curl '[a-z]+:\/\/[^/]+(\/api\/v1\/tables\/[^']+)'<\/code>/.exec(gt)![1]!;
    expect((await h.inject({ method: 'GET', url: one })).json().rows).toHaveLength(1);
  });
});
