import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { buildSession, buildTable } from '../../test/factories.js';

/** Issue 19: dictionary fields flagged as personal or sensitive personal data (Decree 356 Art. 3 and 4). */
for (const driver of testDrivers()) {
  describe(`personal-data flags in the dictionary on ${driver.name}`, () => {
    let h: Harness;
    let editor: { token: string; agencyId: string };
    const auth = (t: string) => ({ authorization: `Bearer ${t}` });
    beforeAll(async () => {
      h = await startHarness(driver);
      editor = await h.tokenFor('bo-tai-chinh', 'agency_editor');
    });
    afterAll(() => h.close());

    const add = (payload: Record<string, unknown>) =>
      h.inject({
        method: 'POST',
        url: '/api/v1/dictionary',
        headers: auth(editor.token),
        payload: { label_vi: 'x', label_en: 'x', type: 'string', agency_id: editor.agencyId, ...payload },
      });

    it('keeps a field’s category, tells basic from sensitive, refuses an unknown one, and audits a change', async () => {
      const created = await add({ id: 'ho_ten', label_vi: 'Họ và tên', label_en: 'Full name', personal_data: 'name' });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json().field).toMatchObject({ personal_data: 'name', personal_data_level: 'basic' });
      expect((await add({ id: 'benh_an', personal_data: 'health' })).json().field.personal_data_level).toBe(
        'sensitive',
      );
      expect((await add({ id: 'ma_tinh_x' })).json().field).toMatchObject({
        personal_data: null,
        personal_data_level: null,
      });
      const bad = await add({ id: 'so_thich', personal_data: 'hobbies' });
      expect(bad.statusCode).toBe(400);

      const patched = await h.inject({
        method: 'PATCH',
        url: '/api/v1/dictionary/ho_ten',
        headers: auth(editor.token),
        payload: { personal_data: 'biometric' },
      });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json().field).toMatchObject({ personal_data: 'biometric', personal_data_level: 'sensitive' });
      const audit = await h.db
        .selectFrom('audit_log')
        .select(['before', 'after'])
        .where('action', '=', 'dictionary.personal_data')
        .where('entity_id', '=', 'ho_ten')
        .execute();
      expect(audit.map((a) => [a.before, a.after])).toEqual([
        [{ personal_data: 'name' }, { personal_data: 'biometric' }],
      ]);
      // a change that leaves the flag alone is no flag change
      await h.inject({
        method: 'PATCH',
        url: '/api/v1/dictionary/ho_ten',
        headers: auth(editor.token),
        payload: { label_en: 'Name' },
      });
      expect(
        (
          await h.db
            .selectFrom('audit_log')
            .select('id')
            .where('action', '=', 'dictionary.personal_data')
            .where('entity_id', '=', 'ho_ten')
            .execute()
        ).length,
      ).toBe(1);
    });

    it('shows the flags in the API, the export and the dictionary page in both languages', async () => {
      const one = (await h.inject({ method: 'GET', url: '/api/v1/dictionary/benh_an' })).json().field;
      expect(one).toMatchObject({ personal_data: 'health', personal_data_level: 'sensitive' });
      const categories = (await h.inject({ method: 'GET', url: '/api/v1/dictionary/personal-data-categories' })).json()
        .categories as { id: string; level: string; vi: string; en: string }[];
      expect(categories.find((c) => c.id === 'health')).toMatchObject({ level: 'sensitive' });
      expect(categories.find((c) => c.id === 'identifiers')).toMatchObject({ level: 'basic' });
      const exported = (await h.inject({ method: 'GET', url: '/api/v1/dictionary/export' })).json().fields as Record<
        string,
        unknown
      >[];
      expect(exported.find((f) => f.name === 'benh_an')).toMatchObject({
        'ndp:personalData': 'health',
        'ndp:personalDataLevel': 'sensitive',
      });
      expect(exported.find((f) => f.name === 'ma_tinh_x')).not.toHaveProperty('ndp:personalData');

      const vi = (await h.inject({ method: 'GET', url: '/dictionary?lang=vi' })).body;
      expect(vi).toMatch(
        /data-personal="health">Tình trạng sức khỏe[^<]*<strong class="format-tag sensitive">nhạy cảm/,
      );
      const en = (await h.inject({ method: 'GET', url: '/dictionary?lang=en' })).body;
      expect(en).toMatch(
        /data-personal="health">Health and medical records <strong class="format-tag sensitive">sensitive/,
      );
      // a field with no personal data shows none; its type in words, its owner by name
      expect(en).toContain(
        '<code>ma_tinh_x</code></td><td>text</td><td>Ministry of Finance</td><td data-personal></td>',
      );
    });

    it('tells a publisher picking a dictionary field for a column which fields hold personal data', async () => {
      const session = await buildSession(h, { agency: 'bo-tai-chinh' });
      const t = await buildTable(h, { user: session, csv: 'a,b\n1,2\n', status: 'draft' });
      const page = await h.inject({
        method: 'GET',
        url: `/dashboard/datasets/${t.dataset.slug}?lang=en`,
        headers: { cookie: session.cookie },
      });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('(benh_an, string; Personal data: sensitive)');
      expect(page.body).toContain('(ma_tinh_x, string)');
    });
  });
}
