import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import {
  type AgencyUser,
  buildAgencyUser,
  buildDataset,
  buildDistribution,
  buildTable,
  loadDistribution,
  publishDataset,
  type Table,
} from '../../test/factories.js';
import { startHarness, type Harness } from '../../test/harness.js';

/** Districts of the 2019 census, as the demo's table holds them: Hà Nội is only in the data, never in the metadata. */
const CENSUS =
  'district_code,province_vi,district_vi,total\n001,Hà Nội,Ba Đình,247100\n002,Hà Nội,Hoàn Kiếm,135618\n' +
  '883,An Giang,Long Xuyên,272365\n760,Hồ Chí Minh,Quận 1,142625\n';
const SCHEMA = {
  fields: [
    { name: 'district_code', type: 'string', title: 'Mã quận/huyện' },
    { name: 'province_vi', type: 'string', title: 'Tỉnh/thành' },
    { name: 'district_vi', type: 'string', title: 'Quận/huyện' },
    { name: 'total', type: 'integer' },
  ],
};
/** The same file reloaded without Hà Nội, and a later one whose figure is unreadable (it waits as pending). */
const WITHOUT_HA_NOI = 'district_code,province_vi,district_vi,total\n883,An Giang,Long Xuyên,272365\n';
const PENDING =
  'district_code,province_vi,district_vi,total\n001,Hải Phòng,Lê Chân,không rõ\n002,Hải Phòng,Ngô Quyền,1\n';

const NUMBERS = 'nam,so\n2019,1\n2020,2\n';

interface Found {
  total: number;
  partial: boolean;
  results: {
    title_vi: string;
    match?: {
      words: number;
      matched: number;
      in_data: { title: string; values: string[] }[];
      why: { vi: string; en: string } | null;
    };
  }[];
}

for (const driver of testDrivers()) {
  describe(`search finds what a table holds, and says why, on ${driver.name}`, () => {
    let h: Harness;
    let editor: AgencyUser;
    let census: Table;
    const search = async (q: string): Promise<Found> => {
      const res = await h.inject({ method: 'GET', url: `/api/v1/datasets?q=${encodeURIComponent(q)}` });
      expect(res.statusCode).toBe(200);
      return res.json();
    };
    const titles = (r: Found) => r.results.map((x) => x.title_vi);
    const act = (version: number, what: 'publish' | 'discard' | 'current') =>
      h.inject({
        method: 'POST',
        url: `/api/v1/distributions/${census.id}/datastore/${version}/${what}`,
        headers: editor.auth,
      });

    beforeAll(async () => {
      h = await startHarness(driver);
      editor = await buildAgencyUser(h);
      const dataset = await buildDataset(h, {
        user: editor,
        title_vi: 'Dân số theo quận, huyện năm 2019',
        description_vi: 'Tổng điều tra dân số và nhà ở.',
        keywords: ['dân số'],
      });
      const file = await buildDistribution(h, { dataset, csv: CENSUS });
      // the file's Table Schema names its columns (the result says "in column Tỉnh/thành", not province_vi)
      await h.db
        .updateTable('distributions')
        .set({ table_schema: JSON.stringify(SCHEMA) })
        .where('id', '=', file.id)
        .execute();
      await publishDataset(h, dataset);
      census = { ...file, load: await loadDistribution(h, file, { schema: SCHEMA }) };
      // two more, their tables holding numbers only
      await buildTable(h, { user: editor, title_vi: 'Lao động và việc làm', keywords: ['lao động'], csv: NUMBERS });
      await buildTable(h, { user: editor, title_vi: 'Số hộ nghèo', keywords: ['an sinh'], csv: NUMBERS });
    });
    afterAll(() => h.close());

    it('finds the census table for “dân số Hà Nội” and “dan so ha noi”, naming the column that holds Hà Nội', async () => {
      for (const q of ['dân số Hà Nội', 'dan so ha noi']) {
        const r = await search(q);
        expect(titles(r)).toEqual(['Dân số theo quận, huyện năm 2019']);
        expect(r.partial).toBe(false);
        const m = r.results[0]!.match!;
        expect(m).toMatchObject({ words: 4, matched: 4 });
        expect(m.in_data).toEqual([{ column: 'province_vi', title: 'Tỉnh/thành', values: ['Hà Nội'] }]);
        expect(m.why).toEqual({ vi: 'trong cột Tỉnh/thành: “Hà Nội”', en: 'in column Tỉnh/thành: “Hà Nội”' });
      }
    });

    it('says why in CKAN’s package_search and on the portal’s search page', async () => {
      const ckan = (
        await h.inject({ method: 'GET', url: `/api/3/action/package_search?q=${encodeURIComponent('dan so ha noi')}` })
      ).json().result;
      expect(ckan.count).toBe(1);
      expect(ckan.results[0].ndp_match.in_data[0].title).toBe('Tỉnh/thành');
      const html = (await h.inject({ method: 'GET', url: `/datasets?q=${encodeURIComponent('dân số Hà Nội')}` })).body;
      expect(html).toContain('trong cột Tỉnh/thành: “Hà Nội”');
      const en = (
        await h.inject({ method: 'GET', url: `/datasets?q=ha%20noi&lang=en`, headers: { cookie: 'lang=en' } })
      ).body;
      expect(en).toMatch(/in column Tỉnh\/thành: “Hà Nội”/);
    });

    it('ranks partial matches by words matched when no data set holds every word', async () => {
      const r = await search('Ba Đình Hoàn Kiếm lao động');
      expect(r.partial).toBe(true);
      // the census holds Ba Đình and Hoàn Kiếm (in its data): 4 of 6 words; the labour data set lao, động: 2
      expect(titles(r).slice(0, 2)).toEqual(['Dân số theo quận, huyện năm 2019', 'Lao động và việc làm']);
      expect(r.results.slice(0, 2).map((x) => x.match!.matched)).toEqual([4, 2]);
      expect(r.results[0]!.match!.why!.en).toBe('matches 4 of 6 words; in column Quận/huyện: “Ba Đình”, “Hoàn Kiếm”');
      expect(r.results[0]!.match!.why!.vi).toBe('khớp 4/6 từ; trong cột Quận/huyện: “Ba Đình”, “Hoàn Kiếm”');
      // all words matching nowhere is still nothing
      expect((await search('xyzzy plugh')).total).toBe(0);
    });

    it('follows the current version: a reload replaces the values, a pending one adds none, a rollback restores them', async () => {
      await loadDistribution(h, census, { content: WITHOUT_HA_NOI, schema: SCHEMA }); // v2, current
      expect((await search('ha noi')).total).toBe(0);
      expect(titles(await search('long xuyen'))).toEqual(['Dân số theo quận, huyện năm 2019']);
      await loadDistribution(h, census, { content: PENDING, schema: SCHEMA }); // v3: a rejected row, pending
      expect((await search('hai phong')).total).toBe(0);
      expect((await act(3, 'discard')).statusCode).toBe(200);
      expect((await search('hai phong')).total).toBe(0);
      expect((await act(1, 'current')).statusCode).toBe(200); // back to the first version
      expect(titles(await search('ha noi'))).toEqual(['Dân số theo quận, huyện năm 2019']);
      expect((await search('long xuyen')).total).toBe(1); // v1 holds Long Xuyên too
      expect((await search('hoan kiem')).total).toBe(1);
    });
  });
}
