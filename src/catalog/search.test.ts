import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { loadCatalog, SAMPLE } from '../../test/catalog-fixture.js';

for (const driver of testDrivers()) {
  describe(`catalog search on ${driver.name}`, () => {
    let h: Harness;
    const search = async (qs: string) => {
      const res = await h.inject({ method: 'GET', url: `/api/v1/datasets?${qs}` });
      expect(res.statusCode).toBe(200);
      return res.json() as {
        total: number;
        results: { title_vi: string; slug: string }[];
        facets: Record<string, { value: string; count: number; label?: string }[]>;
      };
    };
    const titles = (r: { results: { title_vi: string }[] }) => r.results.map((x) => x.title_vi);
    beforeAll(async () => {
      h = await startHarness(driver);
      await loadCatalog(h, SAMPLE);
    });
    afterAll(() => h.close());

    it('finds the same data sets for “ha noi”, “Hà Nội” and “HA NOI”, titles first', async () => {
      const plain = await search('q=ha%20noi');
      const marked = await search(`q=${encodeURIComponent('Hà Nội')}`);
      const upper = await search('q=HA%20NOI');
      expect(plain.total).toBe(3);
      expect(titles(marked)).toEqual(titles(plain));
      expect(titles(upper)).toEqual(titles(plain));
      // Two titles name Hà Nội; the budget data set only mentions it in its description.
      expect(titles(plain)[2]).toBe('Thu ngân sách nhà nước theo tỉnh');
      expect(titles(plain)).not.toContain('Bản nháp chưa công bố về Hà Nội');
    });

    it('folds đ to d and matches word prefixes', async () => {
      expect(titles(await search('q=dong%20nai'))).toEqual(['Cơ sở khám chữa bệnh tỉnh Đồng Nai']);
      expect(titles(await search('q=tiem%20chu'))).toEqual(['Tiêm chủng mở rộng năm 2024']);
      expect((await search('q=bo%20y%20te')).total).toBe(2); // agency name is searched too
    });

    it('returns facets and narrows by them (agency, theme, format, licence, keyword, province)', async () => {
      const all = await search('limit=0');
      expect(all.total).toBe(5);
      const themeCounts = Object.fromEntries(all.facets.theme!.map((f) => [f.value, f.count]));
      expect(themeCounts).toMatchObject({ HEAL: 2, SOCI: 1, EDUC: 1, ECON: 1 });
      expect(all.facets.format!.find((f) => f.value === 'CSV')!.count).toBe(3);
      expect(all.facets.province!.find((f) => f.value === '01')).toMatchObject({ count: 2, label: 'Thành phố Hà Nội' });
      expect(all.facets.agency!.find((f) => f.label === 'Bộ Y tế')!.count).toBe(2);
      expect(all.facets.keyword!.find((f) => f.value === 'y tế')!.count).toBe(2);
      expect(titles(await search('theme=HEAL&licence=ODbL-1.0'))).toEqual(['Tiêm chủng mở rộng năm 2024']);
      expect((await search('agency=bo-y-te&agency=bo-tai-chinh')).total).toBe(3);
      expect(titles(await search('format=xlsx'))).toEqual(['Thu ngân sách nhà nước theo tỉnh']);
      expect((await search(`keyword=${encodeURIComponent('y tế')}&province=75`)).total).toBe(1);
      expect((await search('q=ha%20noi&theme=EDUC')).total).toBe(1);
    });

    it('sorts and pages', async () => {
      const asc = titles(await search('sort=title_asc&limit=2'));
      const next = titles(await search('sort=title_asc&limit=2&offset=2'));
      expect(asc).toHaveLength(2);
      expect(next[0]! > asc[1]!).toBe(true);
    });

    it('treats SQL and tsquery metacharacters as plain text', async () => {
      for (const q of ["'; drop table datasets; --", 'a & b | !c', ':*', '()', '\\', "ha' noi", '%_', 'ha & (noi']) {
        const r = await h.inject({ method: 'GET', url: `/api/v1/datasets?q=${encodeURIComponent(q)}` });
        expect(r.statusCode, q).toBe(200);
      }
      const left = await sql<{ n: number }>`select count(*)::int as n from datasets`.execute(h.db);
      expect(left.rows[0]!.n).toBe(6);
      expect((await search(`q=${encodeURIComponent("ha' noi")}`)).total).toBe(3);
    });

    it('refuses unknown parameters and unpublished search outside one’s agency', async () => {
      expect((await h.inject({ method: 'GET', url: '/api/v1/datasets?colour=red' })).statusCode).toBe(400);
      expect((await h.inject({ method: 'GET', url: '/api/v1/datasets?limit=abc' })).statusCode).toBe(400);
      expect((await h.inject({ method: 'GET', url: '/api/v1/datasets?status=draft&agency=bo-y-te' })).statusCode).toBe(
        401,
      );
      const officer = await h.tokenFor('bo-y-te', 'viewer');
      const drafts = await h.inject({
        method: 'GET',
        url: '/api/v1/datasets?status=draft&agency=bo-y-te',
        headers: { authorization: `Bearer ${officer.token}` },
      });
      expect(drafts.json().results.map((r: { title_vi: string }) => r.title_vi)).toEqual([
        'Bản nháp chưa công bố về Hà Nội',
      ]);
    });
  });
}
