import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { buildAgencyUser, buildTable, type Table } from '../../test/factories.js';
import { startHarness, type Harness } from '../../test/harness.js';

// Hà Nội written three ways; population above and below 500,000; a density with decimals
const CSV =
  'ma,Tỉnh/thành,quan,dan_so,mat_do\n001,Hà Nội,Ba Đình,247100,1.2\n002,Hà Nội,Hoàn Kiếm,135618,2.75\n' +
  '003,HÀ NỘI,Hà Đông,509000,1.5\n883,An Giang,Long Xuyên,272365,0.8\n760,Đà Nẵng,Hải Châu,601000,3.1\n';

for (const driver of testDrivers()) {
  describe(`the table page's filter form reads as the reader typed, on ${driver.name}`, () => {
    let h: Harness;
    let table: Table;
    let base: string;
    let province: string;
    /** submits the filter form on a page in `lang`, follows the redirect and returns the page */
    const filter = async (column: string, op: string, value: string, lang: 'vi' | 'en' = 'vi') => {
      const qs = new URLSearchParams({ lang, f_column: column, f_op: op, f_value: value });
      const form = await h.inject({ method: 'GET', url: `${base}?${qs}` });
      expect(form.statusCode).toBe(303);
      const page = await h.inject({ method: 'GET', url: `${form.headers.location}&lang=${lang}` });
      expect(page.statusCode).toBe(200);
      return page.body;
    };
    beforeAll(async () => {
      h = await startHarness(driver);
      const editor = await buildAgencyUser(h);
      table = await buildTable(h, { user: editor, csv: CSV, title_vi: 'Dân số theo quận' });
      const dataset = (await h.inject({ method: 'GET', url: `/api/v1/datasets/${table.dataset.id}` })).json().dataset;
      base = `/dataset/${dataset.slug}/table/${table.id}`;
      const columns = (await h.inject({ method: 'GET', url: `/api/v1/tables/${table.id}` })).json().columns as {
        id: string;
        title: string;
      }[];
      province = columns.find((c) => c.title === 'Tỉnh/thành')!.id;
    });
    afterAll(() => h.close());

    it('“khác ha noi” leaves out Hà Nội however it is written, as “bằng” keeps it', async () => {
      const page = await filter(province, 'neq', 'ha noi');
      expect(page).toContain('2 trên 5 dòng khớp bộ lọc');
      expect(page).toContain('Long Xuyên');
      expect(page).toContain('Hải Châu');
      expect(page).not.toContain('Hà Đông');
      expect(page).not.toContain('Ba Đình');
    });

    it('“thuộc danh sách” ha noi,da nang keeps the rows of both, folded', async () => {
      const page = await filter(province, 'in', 'ha noi, da nang');
      expect(page).toContain('4 trên 5 dòng khớp bộ lọc');
      expect(page).toContain('Hải Châu');
      expect(page).toContain('Hà Đông');
      expect(page).not.toContain('Long Xuyên');
    });

    it('a number is read the Vietnamese way on a Vietnamese page and the English way on an English one', async () => {
      const vi = await filter('dan_so', 'gt', '500.000');
      expect(vi).toContain('2 trên 5 dòng khớp bộ lọc');
      expect(vi).toContain('Hà Đông');
      expect(vi).not.toContain('Ba Đình');
      const en = await filter('dan_so', 'gt', '500,000', 'en');
      expect(en).toContain('2 of 5 rows match the filters');
      expect(await filter('mat_do', 'gte', '1,5')).toContain('3 trên 5 dòng khớp bộ lọc');
      expect(await filter('mat_do', 'gte', '1.5', 'en')).toContain('3 of 5 rows match the filters');
      // a dot before exactly three digits groups thousands on a Vietnamese page; before fewer it is a decimal point
      expect(await filter('dan_so', 'lt', '250.000')).toContain('2 trên 5 dòng khớp bộ lọc');
      expect(await filter('mat_do', 'lt', '1.5')).toContain('2 trên 5 dòng khớp bộ lọc');
    });

    it('the filter chip names the column, the comparison in the page’s language and the value as typed', async () => {
      const vi = await filter(province, 'eq', 'ha noi');
      expect(vi).toMatch(/Tỉnh\/thành bằng <q>ha noi<\/q>/);
      expect(/<ul class="chips".*?<\/ul>/s.exec(vi)?.[0]).not.toMatch(/ilike|tinh_thanh/);
      const en = await filter(province, 'eq', 'ha noi', 'en');
      expect(en).toMatch(/Tỉnh\/thành equals <q>ha noi<\/q>/);
      expect(await filter(province, 'neq', 'ha noi', 'en')).toMatch(/differs from <q>ha noi<\/q>/);
      expect(await filter(province, 'in', 'ha noi,da nang')).toMatch(/thuộc <q>ha noi, da nang<\/q>/);
      expect(await filter(province, 'ilike', 'noi')).toMatch(/chứa <q>noi<\/q>/);
      expect(await filter('dan_so', 'gt', '500.000')).toMatch(/dan_so lớn hơn <q>500\.000<\/q>/);
      expect(await filter('dan_so', 'gt', '500,000', 'en')).toMatch(/dan_so greater than <q>500,000<\/q>/);
    });
  });
}
