import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { loadCatalog } from '../../test/catalog-fixture.js';

for (const driver of testDrivers()) {
  describe(`the agency list as a hierarchy (${driver.name})`, () => {
    let h: Harness;
    let commune: { slug: string; name_vi: string };
    const get = (url: string) => h.inject({ method: 'GET', url });
    beforeAll(async () => {
      h = await startHarness(driver);
      commune = (await get('/api/v1/agencies?parent=thanh-pho-ha-noi&limit=1')).json().agencies[0];
      await loadCatalog(h, [
        { agency: 'bo-tai-chinh', title_vi: 'Thu ngân sách', description_vi: 'Số thu.' },
        { agency: 'bo-tai-chinh', title_vi: 'Chi ngân sách', description_vi: 'Số chi.' },
        { agency: commune.slug, title_vi: 'Hộ kinh doanh của phường', description_vi: 'Danh sách.' },
      ]);
    });
    afterAll(() => h.close());

    it('lists ministries first and provinces with a count of their communes, never the 3,321 communes', async () => {
      const res = await get('/agencies');
      expect(res.statusCode).toBe(200);
      const body = res.body;
      expect(body.indexOf('Bộ Tài chính')).toBeGreaterThan(0);
      expect(body.indexOf('Bộ Tài chính')).toBeLessThan(body.indexOf('Ủy ban nhân dân Thành phố Hà Nội'));
      expect(body).not.toContain(commune.name_vi);
      expect(body).toMatch(/href="\/agencies\?province=thanh-pho-ha-noi"[^>]*>126 xã, phường</);
      // counts of published data sets: a ministry's own, a province's with its communes'
      expect(body).toMatch(/Bộ Tài chính<\/a> <span class="meta">2 bộ dữ liệu/);
      expect(body).toMatch(/Thành phố Hà Nội<\/a> <span class="meta">1 bộ dữ liệu/);
    });

    it("lists one province's communes with their data sets", async () => {
      const res = await get('/agencies?province=thanh-pho-ha-noi');
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('126 cơ quan');
      expect(res.body).toContain(commune.name_vi);
      expect(res.body).not.toContain('Bộ Tài chính');
      expect((await get('/agencies?province=bo-tai-chinh')).statusCode).toBe(404);
    });

    it('finds agencies by name without diacritics or case, in English on English pages', async () => {
      const mof = await get('/agencies?q=tai%20chinh');
      expect(mof.body).toContain('Bộ Tài chính');
      const hanoi = await get('/agencies?q=HA%20NOI&lang=en');
      expect(hanoi.body).toMatch(
        /<a href="\/agency\/thanh-pho-ha-noi">People's Committee of Hanoi City<\/a><\/td><td>Province or city<\/td><td><\/td><td class="num">1</,
      );
      expect(hanoi.body).not.toContain('Ủy ban nhân dân Thành phố Hà Nội<');
      // the province comes before its communes
      expect(hanoi.body.indexOf('Province or city')).toBeLessThan(hanoi.body.indexOf('Commune or ward'));
      const en = await get('/agencies?lang=en');
      expect(en.body).toContain('Ministry of Finance');
      expect(en.body).toContain('126 communes and wards');
    });

    it('says "1 data set" (not "1 data sets") in English, and the menu leads to reuses and data requests', async () => {
      const en = await get('/agencies?lang=en');
      expect(en.body).toMatch(/Hanoi City<\/a> <span class="meta">1 data set</);
      expect(en.body).toMatch(/Ministry of Finance<\/a> <span class="meta">2 data sets</);
      const found = await get('/agencies?q=bo%20tai%20chinh&lang=en');
      expect(found.body).toContain('>1 agency<');
      const menu = /<nav aria-label="[^"]+" class="container main-nav">[\s\S]*?<\/nav>/.exec(en.body)![0];
      expect(menu).toContain('<a href="/reuses">Reuses</a>');
      expect(menu).toContain('<a href="/data-requests">Data requests</a>');
      const vi = /<nav aria-label="[^"]+" class="container main-nav">[\s\S]*?<\/nav>/.exec(
        (await get('/agencies')).body,
      )![0];
      expect(vi).toContain('<a href="/data-requests">Yêu cầu dữ liệu</a>');
    });

    it("keeps the heading order on a search with results: h1, then an h2 before the cards' h3s", async () => {
      const body = (await get('/datasets?q=ngan+sach')).body;
      expect(body).toContain('Thu ngân sách');
      const order = [...body.matchAll(/<h([1-6])/g)].map((m) => Number(m[1]));
      expect(order.indexOf(2)).toBeGreaterThan(-1);
      expect(order.indexOf(2)).toBeLessThan(order.indexOf(3));
    });

    it('gives the API list in the same order: ministries before provinces before communes', async () => {
      const kinds = (await get('/api/v1/agencies?limit=1000')).json().agencies.map((a: { kind: string }) => a.kind);
      expect(kinds[0]).toBe('ministry');
      expect(kinds.indexOf('province')).toBeLessThan(kinds.indexOf('commune'));
      expect(kinds.lastIndexOf('ministry')).toBeLessThan(kinds.indexOf('province'));
    });
  });
}
