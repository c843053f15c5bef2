import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { type AgencyUser, buildAgencyUser, buildTable } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';

// values no heuristic takes for personal data: only the dictionary knows these columns are
const HOUSEHOLDS = [
  'ma_ho,benh_nen,gioi_tinh,ma_tinh',
  ...Array.from(
    { length: 10 },
    (_, i) => `H${100 + i},${i % 2 ? 'tiểu đường' : 'tăng huyết áp'},${i % 2 ? 'Nam' : 'Nữ'},01`,
  ),
].join('\n');

/** Issue 19: the personal-data gate counts a column mapped to a flagged dictionary field, on top of its heuristics. */
for (const driver of testDrivers()) {
  describe(`the personal-data gate reads the dictionary's flags on ${driver.name}`, () => {
    let h: Harness;
    let user: AgencyUser;

    beforeAll(async () => {
      h = await startHarness(driver);
      user = await buildAgencyUser(h, { agency: 'bo-y-te' });
      for (const [id, personal_data] of [
        ['benh_nen', 'health'],
        ['gioi_tinh', 'sex'],
        ['ma_tinh', null],
      ] as const) {
        const r = await h.inject({
          method: 'POST',
          url: '/api/v1/dictionary',
          headers: user.auth,
          payload: { id, label_vi: id, label_en: id, type: 'string', agency_id: user.agencyId, personal_data },
        });
        expect(r.statusCode, r.body).toBe(201);
      }
    });
    afterAll(() => h.close());

    const upload = async (name: string, mapped: string[]) => {
      const t = await buildTable(h, { user, title_vi: name, fileName: name, csv: HOUSEHOLDS, status: 'draft' });
      if (mapped.length) {
        const put = await h.inject({
          method: 'PUT',
          url: `/api/v1/distributions/${t.id}/schema`,
          headers: user.auth,
          payload: {
            fields: ['ma_ho', 'benh_nen', 'gioi_tinh', 'ma_tinh'].map((name) =>
              mapped.includes(name) ? { name, dictionary: name } : { name, type: 'string' },
            ),
          },
        });
        expect(put.statusCode, put.body).toBe(200);
      }
      return t;
    };
    const publish = (dataset: string) =>
      h.inject({
        method: 'PUT',
        url: `/api/v1/datasets/${dataset}/status`,
        headers: user.auth,
        payload: { status: 'published' },
      });

    it('blocks open data whose columns are mapped to flagged fields, naming the column, the field and its category', async () => {
      const t = await upload('ho_gia_dinh.csv', ['benh_nen', 'gioi_tinh', 'ma_tinh']);
      const r = await publish(t.dataset.id);
      expect(r.statusCode).toBe(409);
      const details = r.json().error.details as { field: string; vi: string; en: string }[];
      expect(details.map((d) => d.field.split('.').pop()).sort()).toEqual(['benh_nen', 'gioi_tinh']);
      expect(details.find((d) => d.field.endsWith('.benh_nen'))!.en).toContain(
        'sensitive personal data “Health and medical records” (the data dictionary’s field “benh_nen”) (10 of 10 values)',
      );
      expect(details.find((d) => d.field.endsWith('.gioi_tinh'))!.vi).toContain('dữ liệu cá nhân “Giới tính”');
      const status = (
        await h.inject({ method: 'GET', url: `/api/v1/distributions/${t.id}/privacy`, headers: user.auth })
      ).json();
      expect(
        status.hits.map((x: { column: string; kind: string; category: string }) => [x.column, x.kind, x.category]),
      ).toEqual([
        ['benh_nen', 'sensitive_personal_data', 'health'],
        ['gioi_tinh', 'personal_data', 'sex'],
      ]);
    });

    it('lets the same table through when no column is mapped to a flagged field, or the flag is lifted', async () => {
      const unmapped = await upload('ho_gia_dinh_2.csv', []);
      expect((await publish(unmapped.dataset.id)).statusCode).toBe(200);
      const mapped = await upload('ho_gia_dinh_3.csv', ['benh_nen']);
      expect((await publish(mapped.dataset.id)).statusCode).toBe(409);
      await h.inject({
        method: 'PATCH',
        url: '/api/v1/dictionary/benh_nen',
        headers: user.auth,
        payload: { personal_data: null },
      });
      expect((await publish(mapped.dataset.id)).statusCode).toBe(200);
    });
  });
}
