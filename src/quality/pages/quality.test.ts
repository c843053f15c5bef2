import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { buildSession, buildTable, type Session } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';

const FILE = ['ma,ten,so', ...Array.from({ length: 30 }, (_, i) => `M${i},Xã ${i},${i}`)].join('\n');

for (const driver of testDrivers()) {
  describe(`the publisher's check suite in the portal and as YAML on ${driver.name}`, () => {
    let h: Harness;
    let id = '';
    let editor: Session;
    let auth: Record<string, string>;
    const form = (url: string, fields: Record<string, string>) =>
      h.inject({
        method: 'POST',
        url,
        headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: editor.csrf, ...fields }).toString(),
      });

    beforeAll(async () => {
      h = await startHarness(driver);
      editor = await buildSession(h, { agency: 'bo-noi-vu', email: 'bientap@moha.gov.vn' });
      auth = editor.auth;
      id = (await buildTable(h, { user: editor, status: 'draft', fileName: 'xa.csv', csv: FILE })).id;
    });
    afterAll(() => h.close());

    it('offers the suite suggested from the data, saves one written in YAML, runs it, and links the failing rows', async () => {
      const first = await h.inject({
        method: 'GET',
        url: `/dashboard/distributions/${id}/quality`,
        headers: { cookie: editor.cookie },
      });
      expect(first.statusCode).toBe(200);
      expect(first.body).toContain('Gợi ý từ hồ sơ dữ liệu');
      expect(first.body).toContain('type: row_count');
      const saved = await form(`/dashboard/distributions/${id}/quality/suite`, {
        suite: 'checks:\n  - type: bounds\n    column: so\n    max: 20\n  - type: duplicates\n    columns: [ma]\n',
      });
      expect(saved.statusCode).toBe(303);
      expect((await h.app.services.quality.suite(editor.principal, id))!.checks).toHaveLength(2);
      expect((await form(`/dashboard/distributions/${id}/quality/run`, {})).statusCode).toBe(303);
      const page = await h.inject({
        method: 'GET',
        url: `/dashboard/distributions/${id}/quality?ran=1`,
        headers: { cookie: editor.cookie },
      });
      expect(page.body).toContain('Không đạt');
      const run = (await h.app.services.quality.runs(editor.principal, id))[0]!;
      expect(page.body).toContain(`/api/v1/quality/runs/${run.id}/checks/0/rows`);
    });

    it('keeps a broken suite as written and says what is wrong; nothing is saved', async () => {
      const before = await h.app.services.quality.suite(editor.principal, id);
      const bad = await form(`/dashboard/distributions/${id}/quality/suite`, {
        suite: 'checks:\n  - type: bounds\n    column: so\n    max: [',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('Chưa lưu');
      expect(bad.body).toContain('max: [');
      const wrong = await form(`/dashboard/distributions/${id}/quality/suite`, {
        suite: 'checks:\n  - type: bounds\n    colum: so\n',
      });
      expect(wrong.statusCode).toBe(400);
      expect(await h.app.services.quality.suite(editor.principal, id)).toEqual(before);
    });

    it('takes a suite as YAML through the API too', async () => {
      const r = await h.inject({
        method: 'PUT',
        url: `/api/v1/distributions/${id}/quality/suite`,
        headers: { ...auth, 'content-type': 'application/yaml' },
        payload: 'checks:\n  - type: row_count\n    min: 1\n',
      });
      expect(r.statusCode).toBe(200);
      expect(r.json().suite).toEqual({ checks: [{ type: 'row_count', min: 1 }] });
      const broken = await h.inject({
        method: 'PUT',
        url: `/api/v1/distributions/${id}/quality/suite`,
        headers: { ...auth, 'content-type': 'application/yaml' },
        payload: 'checks: [',
      });
      expect(broken.statusCode).toBe(400);
      expect(broken.json().error.code).toBe('VALIDATION_FAILED');
    });

    it('refuses the page and the forms to people outside the agency', async () => {
      const t = await h.tokenFor('bo-tai-chinh', 'agency_editor', 'khac@mof.gov.vn');
      expect(t).toBeTruthy();
      const other = await h.signIn('khac@mof.gov.vn', 'correct horse battery');
      expect(
        (
          await h.inject({
            method: 'GET',
            url: `/dashboard/distributions/${id}/quality`,
            headers: { cookie: other.cookie },
          })
        ).statusCode,
      ).toBeGreaterThanOrEqual(403);
    });
  });
}
