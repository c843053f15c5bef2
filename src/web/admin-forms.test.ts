import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { PASSWORD, startHarness, type Harness } from '../../test/harness.js';
import { buildSession } from '../../test/factories.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const encode = (o: Record<string, string>) => new URLSearchParams(o).toString();

for (const driver of testDrivers()) {
  describe(`admin forms and the dashboard speak to their reader (${driver.name})`, () => {
    let h: Harness;
    let admin: { cookie: string; csrf: string };
    beforeAll(async () => {
      h = await startHarness(driver);
      await h.app.services.accounts.bootstrapUser({
        email: 'root@ndp.gov.vn',
        name: 'Root',
        password: PASSWORD,
        platformAdmin: true,
      });
      admin = await h.signIn('root@ndp.gov.vn', PASSWORD);
    });
    afterAll(() => h.close());

    const post = (url: string, body: Record<string, string>) =>
      h.inject({
        method: 'POST',
        url,
        headers: { cookie: admin.cookie, ...FORM },
        payload: encode({ _csrf: admin.csrf, ...body }),
      });

    it('names the field by its label and explains the problem in Vietnamese or English, never ajv English', async () => {
      const bad = { code: '12', slug: 'Not A Slug', name_vi: '', kind: 'other' };
      const vi = await post('/admin/agencies', bad);
      expect(vi.statusCode).toBe(400);
      expect(vi.body).toContain('Mã định danh: Không đúng dạng; ví dụ: 000.00.00.G12.');
      expect(vi.body).not.toContain('must match pattern');
      expect(vi.body).not.toMatch(/>code: /);
      const en = await post('/admin/agencies?lang=en', bad);
      expect(en.body).toContain('Identifier code: Not in the expected form; for example: 000.00.00.G12.');
      expect(en.body).not.toContain('must match pattern');
      const lic = await post('/admin/licences', {
        id: 'x',
        title_vi: 'Giấy phép',
        title_en: 'Licence',
        url: 'not a url',
      });
      expect(lic.statusCode).toBe(400);
      expect(lic.body).toContain('ID: Không đúng dạng; ví dụ: CC-BY-4.0.');
      expect(lic.body).toMatch(/URL: Phải là một địa chỉ URL đầy đủ\.|URL: Không đúng dạng/);
      expect(lic.body).not.toContain('must match');
    });

    it('shows an editor no link to the administrators’ pages, and an agency admin the link to theirs', async () => {
      const editor = await buildSession(h, { agency: 'bo-tai-chinh', role: 'agency_editor' });
      const page = (await h.inject({ method: 'GET', url: '/dashboard', headers: { cookie: editor.cookie } })).body;
      for (const href of page.matchAll(/href="(\/admin[^"]*)"/g)) {
        const res = await h.inject({ method: 'GET', url: href[1]!, headers: { cookie: editor.cookie } });
        expect(res.statusCode, href[1]).toBe(200);
      }
      expect(page).not.toContain('href="/admin/agency/bo-tai-chinh"');
      const boss = await buildSession(h, { agency: 'bo-tai-chinh', role: 'agency_admin' });
      const bossPage = (await h.inject({ method: 'GET', url: '/dashboard', headers: { cookie: boss.cookie } })).body;
      expect(bossPage).toContain('href="/admin/agency/bo-tai-chinh"');
    });
  });
}
