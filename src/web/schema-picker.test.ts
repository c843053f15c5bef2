import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { buildAgencyUser, buildSession, buildTable, type AgencyUser } from '../../test/factories.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** The schema picker on a published, loaded table: columns the officer leaves alone keep their type. */
for (const driver of testDrivers()) {
  describe(`the schema picker on ${driver.name}`, () => {
    let h: Harness;
    let officer: AgencyUser;
    beforeAll(async () => {
      h = await startHarness(driver);
      officer = await buildAgencyUser(h, { agency: 'bo-tai-chinh' });
      const approver = await buildAgencyUser(h, { agency: 'bo-tai-chinh', role: 'agency_admin' });
      await h.app.services.catalog.dictionary.create(approver.principal, {
        id: 'ma_tinh_thu',
        label_vi: 'Mã tỉnh',
        label_en: 'Province code',
        type: 'string',
        agency_id: approver.agencyId,
      });
    });
    afterAll(() => h.close());

    it('keeps the other integer columns integer when one column is mapped and saved', async () => {
      const table = await buildTable(h, {
        user: officer,
        csv: 'ma_tinh,nam,dan_so,dien_tich\n01,2024,8435650,3360\n79,2024,14002598,2095\n',
      });
      const loaded = Object.fromEntries(table.load.columns.map((c) => [c.title, c.type]));
      expect(loaded).toMatchObject({ nam: 'integer', dan_so: 'integer', dien_tich: 'integer' });
      const session = await buildSession(h, { user: officer });
      const form = await h.inject({
        method: 'GET',
        url: `/dashboard/datasets/${table.dataset.slug}`,
        headers: { cookie: session.cookie },
      });
      expect(form.statusCode).toBe(200);
      // as the browser sends the form: every row's dropdowns left at their default but the first column's
      const payload = new URLSearchParams([
        ['_csrf', session.csrf],
        ...['ma_tinh', 'nam', 'dan_so', 'dien_tich', '', ''].map((n) => ['name', n]),
        ...['ma_tinh_thu', '', '', '', '', ''].map((d) => ['dictionary', d]),
        ...Array.from({ length: 6 }, () => ['type', '']),
      ]).toString();
      const saved = await h.inject({
        method: 'POST',
        url: `/dashboard/distributions/${table.id}/schema`,
        headers: { cookie: session.cookie, ...FORM },
        payload,
      });
      expect(saved.statusCode, saved.body).toBe(303);
      const schema = (
        await h.inject({ method: 'GET', url: `/api/v1/distributions/${table.id}`, headers: officer.auth })
      ).json().distribution.table_schema as { fields: { name: string; type: string }[] };
      const types = Object.fromEntries(schema.fields.map((f) => [f.name, f.type]));
      expect(types).toEqual({ ma_tinh: 'string', nam: 'integer', dan_so: 'integer', dien_tich: 'integer' });

      // saved again with the schema attached: still no column falls back to text
      const again = await h.inject({
        method: 'POST',
        url: `/dashboard/distributions/${table.id}/schema`,
        headers: { cookie: session.cookie, ...FORM },
        payload,
      });
      expect(again.statusCode, again.body).toBe(303);
      const after = (
        await h.inject({ method: 'GET', url: `/api/v1/distributions/${table.id}`, headers: officer.auth })
      ).json().distribution.table_schema as { fields: { name: string; type: string }[] };
      expect(after.fields.find((f) => f.name === 'dan_so')?.type).toBe('integer');
    });
  });
}
