import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { type AgencyUser, buildAgencyUser, buildTable, type Table } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';

const CSV =
  'ma,tinh,quan,dan_so\n001,Hà Nội,Ba Đình,247100\n002,Hà Nội,Hoàn Kiếm,135618\n003,HÀ NỘI,Tây Hồ,160495\n' +
  '883,An Giang,Long Xuyên,272365\n760,Hồ Chí Minh,Quận 1,142625\n';

for (const driver of testDrivers()) {
  describe(`table filters and the agency list ignore case and diacritics, on ${driver.name}`, () => {
    let h: Harness;
    let editor: AgencyUser;
    let table: Table;
    let slug: string;
    const rows = async (qs: string) => {
      const res = await h.inject({ method: 'GET', url: `/api/v1/tables/${table.id}/rows?${qs}` });
      expect(res.statusCode).toBe(200);
      return res.json() as { total: number; rows: { quan: string }[] };
    };
    beforeAll(async () => {
      h = await startHarness(driver);
      editor = await buildAgencyUser(h);
      table = await buildTable(h, { user: editor, csv: CSV, title_vi: 'Dân số theo quận' });
      slug = (await h.inject({ method: 'GET', url: `/api/v1/datasets/${table.dataset.id}` })).json().dataset.slug;
    });
    afterAll(() => h.close());

    it('finds Hà Nội for “Ha Noi”, “ha noi” and “HÀ NỘI” with ilike, and says how many rows match', async () => {
      for (const v of ['Ha Noi', 'ha noi', 'HÀ NỘI', '*noi*']) {
        const r = await rows(`tinh=${encodeURIComponent(`ilike.${v}`)}&order=ma`);
        expect(r.rows.map((x) => x.quan)).toEqual(['Ba Đình', 'Hoàn Kiếm', 'Tây Hồ']);
        expect(r.total).toBe(3);
      }
      expect((await rows('limit=1')).total).toBe(5); // no filter: the table's size
      expect((await rows(`tinh=${encodeURIComponent('eq.Hà Nội')}`)).total).toBe(2); // eq stays exact (and indexed)
      expect((await rows(`quan=${encodeURIComponent('ilike.*xuyen*')}`)).total).toBe(1);
    });

    it('`not.ilike` keeps every row but Hà Nội’s, `ilike(any)` the rows of any listed name, both folded', async () => {
      expect((await rows(`tinh=${encodeURIComponent('not.ilike.ha noi')}&order=ma`)).rows.map((x) => x.quan)).toEqual([
        'Quận 1',
        'Long Xuyên',
      ]);
      expect((await rows(`tinh=${encodeURIComponent('ilike(any).(ha noi,"an giang")')}`)).total).toBe(4);
      expect((await rows(`tinh=${encodeURIComponent('not.eq.Hà Nội')}`)).total).toBe(3);
      const bad = await h.inject({ method: 'GET', url: `/api/v1/tables/${table.id}/rows?tinh=eq(any).(a)` });
      expect(bad.statusCode).toBe(400);
    });

    it('CKAN datastore_search q ignores diacritics too', async () => {
      const r = (
        await h.inject({ method: 'GET', url: `/api/3/action/datastore_search?resource_id=${table.id}&q=hoan%20kiem` })
      ).json().result;
      expect(r.total).toBe(1);
      expect(r.records[0].quan).toBe('Hoàn Kiếm');
    });

    it('the table page: “equals ha noi” keeps Hà Nội’s rows and says 3 of 5 rows match', async () => {
      const form = await h.inject({
        method: 'GET',
        url: `/dataset/${slug}/table/${table.id}?f_column=tinh&f_op=eq&f_value=ha%20noi`,
      });
      expect(form.statusCode).toBe(303);
      const page = await h.inject({ method: 'GET', url: form.headers.location as string });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('3 trên 5 dòng khớp bộ lọc');
      expect(page.body).toContain('Hoàn Kiếm');
      expect(page.body).not.toContain('Long Xuyên');
      const contains = await h.inject({
        method: 'GET',
        url: `/dataset/${slug}/table/${table.id}?f_column=quan&f_op=ilike&f_value=HO`,
      });
      const en = await h.inject({ method: 'GET', url: `${contains.headers.location}&lang=en` });
      // Hoàn Kiếm, Tây Hồ, Hồ Chí Minh's Quận 1 does not hold "ho"
      expect(en.body).toContain('2 of 5 rows match the filters');
    });

    it('the agency list finds Bộ Tài chính for “tai chinh” and Hà Nội for “ha noi”', async () => {
      const list = async (q: string, kind = '') =>
        (await h.inject({ method: 'GET', url: `/api/v1/agencies?q=${encodeURIComponent(q)}${kind}` })).json() as {
          agencies: { name_vi: string }[];
        };
      for (const q of ['tai chinh', 'TAI CHINH', 'Tài chính'])
        expect((await list(q)).agencies.map((a) => a.name_vi)).toContain('Bộ Tài chính');
      expect((await list('ha noi', '&kind=province')).agencies.map((a) => a.name_vi)).toEqual([
        'Ủy ban nhân dân Thành phố Hà Nội',
      ]);
      expect((await list('xyz tai chinh')).agencies).toEqual([]);
      const page = await h.inject({ method: 'GET', url: '/agencies?q=tai%20chinh' });
      expect(page.body).toContain('Bộ Tài chính');
    });
  });
}
