import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { loadCatalog } from '../../test/catalog-fixture.js';
import { buildRegisterEntry, buildSession, type Session } from '../../test/factories.js';

for (const driver of testDrivers()) {
  describe(`English pages name things in English, and the register shows no raw codes (${driver.name})`, () => {
    let h: Harness;
    let slug: string;
    let register: { id: string };
    let editor: Session;
    const get = (url: string, cookie?: string) => h.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
    beforeAll(async () => {
      h = await startHarness(driver);
      slug = (
        await loadCatalog(h, [
          {
            agency: 'bo-tai-chinh',
            title_vi: 'Thu ngân sách nhà nước',
            description_vi: 'Số thu theo tỉnh.',
            spatial: ['01'],
            licence_id: 'CC-BY-4.0',
          },
        ])
      )[0]!;
      editor = await buildSession(h, { agency: 'bo-tai-chinh' });
      register = await buildRegisterEntry(h, {
        user: editor,
        name_vi: 'Cơ sở dữ liệu thuế',
        name_en: 'Tax database',
        category: 'specialised',
        access_class: 'shared',
        importance: 'important',
        status: 'building',
      });
    });
    afterAll(() => h.close());

    it('search results: licence, province and agency facets in English', async () => {
      const en = (await get('/datasets?lang=en')).body;
      expect(en).toContain('Creative Commons Attribution 4.0');
      expect(en).not.toContain('Creative Commons Ghi công 4.0');
      expect(en).toContain('Ministry of Finance');
      expect(en).not.toContain('Bộ Tài chính');
      expect(en).toContain('Hanoi');
      expect(en).not.toContain('Thành phố Hà Nội');
      const vi = (await get('/datasets')).body;
      expect(vi).toContain('Creative Commons Ghi công 4.0');
    });

    it('data set, agency and home pages in English name the agency in English', async () => {
      for (const url of [`/dataset/${slug}?lang=en`, '/agency/bo-tai-chinh?lang=en', '/?lang=en']) {
        const body = (await get(url)).body;
        expect(body, url).toContain('Ministry of Finance');
        expect(body, url).not.toMatch(/>[^<]*Bộ Tài chính/);
      }
      expect((await get(`/dataset/${slug}?lang=en`)).body).toContain('Creative Commons Attribution 4.0');
    });

    it('the dashboard says whose data in English', async () => {
      const body = (await get('/dashboard?lang=en', editor.cookie)).body;
      expect(body).toContain('Data of Ministry of Finance');
    });

    it('the register of databases translates every code, in Vietnamese and English', async () => {
      const list = (await get('/databases')).body;
      expect(list).toContain('Chuyên ngành');
      expect(list).toContain('Đang xây dựng');
      expect(list).not.toMatch(/<td>(specialised|building)<\/td>/);
      const listEn = (await get('/databases?lang=en')).body;
      expect(listEn).toContain('Tax database');
      expect(listEn).toContain('Specialised');
      expect(listEn).toContain('Being built');
      expect(listEn).toContain('Ministry of Finance');
      const one = (await get(`/databases/${register.id}`)).body;
      expect(one).toContain('Dùng chung');
      expect(one).toContain('Quan trọng');
      expect(one).not.toContain('shared / important');
      const oneEn = (await get(`/databases/${register.id}?lang=en`)).body;
      expect(oneEn).toMatch(/<h1>Tax database<\/h1>/);
      expect(oneEn).toContain('Being built');
      expect(oneEn).not.toMatch(/<dd>(building|specialised)<\/dd>/);
    });
  });
}
