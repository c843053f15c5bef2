import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';

const REGISTER = {
  name_vi: 'Cơ sở dữ liệu quốc gia về tài chính',
  purpose: 'Quản lý thu chi ngân sách nhà nước',
  scope: 'Toàn quốc',
  content: 'Dự toán, quyết toán ngân sách',
  collection_mechanism: 'Kết nối từ hệ thống TABMIS',
  update_mechanism: 'Hằng ngày',
  data_sources: 'Kho bạc Nhà nước',
  legal_basis: 'Luật Ngân sách nhà nước 2015',
  category: 'national',
  access_class: 'shared',
  importance: 'core',
  status: 'operating',
};

for (const driver of testDrivers()) {
  describe(`register of databases and data dictionary on ${driver.name}`, () => {
    let h: Harness;
    let editor: { token: string; agencyId: string };
    const auth = (t: string) => ({ authorization: `Bearer ${t}` });
    beforeAll(async () => {
      h = await startHarness(driver);
      editor = await h.tokenFor('bo-tai-chinh', 'agency_editor');
    });
    afterAll(() => h.close());

    it('keeps every version of a register entry and lists its data sets', async () => {
      const created = await h.inject({
        method: 'POST',
        url: '/api/v1/databases',
        headers: auth(editor.token),
        payload: { agency_id: editor.agencyId, ...REGISTER },
      });
      expect(created.statusCode).toBe(201);
      const id = created.json().database.id;
      const patched = await h.inject({
        method: 'PATCH',
        url: `/api/v1/databases/${id}`,
        headers: auth(editor.token),
        payload: { update_mechanism: 'Theo thời gian thực' },
      });
      expect(patched.json().database.version).toBe(2);
      const history = (await h.inject({ method: 'GET', url: `/api/v1/databases/${id}/history` })).json().history;
      expect(history.map((x: { version: number }) => x.version)).toEqual([2, 1]);
      expect(history[1].snapshot.update_mechanism).toBe('Hằng ngày');
      const ds = await h.inject({
        method: 'POST',
        url: '/api/v1/datasets',
        headers: auth(editor.token),
        payload: { agency_id: editor.agencyId, database_id: id, title_vi: 'Quyết toán ngân sách', description_vi: 'x' },
      });
      expect(ds.statusCode).toBe(201);
      const one = (await h.inject({ method: 'GET', url: `/api/v1/databases/${id}` })).json();
      expect(one.datasets.map((d: { title_vi: string }) => d.title_vi)).toEqual(['Quyết toán ngân sách']);
      const list = (await h.inject({ method: 'GET', url: '/api/v1/databases?agency=bo-tai-chinh' })).json();
      expect(list.total).toBe(1);
    });

    it('refuses a bad category and writes by another agency', async () => {
      const bad = await h.inject({
        method: 'POST',
        url: '/api/v1/databases',
        headers: auth(editor.token),
        payload: { agency_id: editor.agencyId, ...REGISTER, category: 'huge' },
      });
      expect(bad.statusCode).toBe(400);
      const other = await h.tokenFor('bo-y-te', 'agency_admin');
      const forbidden = await h.inject({
        method: 'POST',
        url: '/api/v1/databases',
        headers: auth(other.token),
        payload: { agency_id: editor.agencyId, ...REGISTER },
      });
      expect(forbidden.statusCode).toBe(403);
      const id = (await h.inject({ method: 'GET', url: '/api/v1/databases?agency=bo-tai-chinh' })).json().databases[0]
        .id;
      const patch = await h.inject({
        method: 'PATCH',
        url: `/api/v1/databases/${id}`,
        headers: auth(other.token),
        payload: { scope: 'x' },
      });
      expect(patch.statusCode).toBe(403);
    });

    it('keeps dictionary fields, resolves a Table Schema against them and exports the dictionary', async () => {
      const field = {
        id: 'ma_tinh',
        label_vi: 'Mã tỉnh',
        label_en: 'Province code',
        type: 'string',
        constraints: { pattern: '^\\d{2}$' },
        code_list: 'vn-provinces',
        agency_id: editor.agencyId,
      };
      const created = await h.inject({
        method: 'POST',
        url: '/api/v1/dictionary',
        headers: auth(editor.token),
        payload: field,
      });
      expect(created.statusCode).toBe(201);
      const national = await h.inject({
        method: 'POST',
        url: '/api/v1/dictionary',
        headers: auth(editor.token),
        payload: { ...field, id: 'ma_xa', agency_id: null },
      });
      expect(national.statusCode).toBe(403); // national entries are the platform admins'

      const ds = (
        await h.inject({
          method: 'POST',
          url: '/api/v1/datasets',
          headers: auth(editor.token),
          payload: { agency_id: editor.agencyId, title_vi: 'Thu ngân sách theo tỉnh', description_vi: 'x' },
        })
      ).json().dataset;
      const link = (
        await h.inject({
          method: 'POST',
          url: `/api/v1/datasets/${ds.id}/links`,
          headers: auth(editor.token),
          payload: { title_vi: 'CSV', url: 'https://example.org/thu.csv' },
        })
      ).json().distribution;
      const schema = {
        fields: [
          { name: 'ma_tinh', dictionary: 'ma_tinh' },
          { name: 'thu', type: 'number', constraints: { minimum: 0 } },
        ],
        primaryKey: 'ma_tinh',
      };
      const put = await h.inject({
        method: 'PUT',
        url: `/api/v1/distributions/${link.id}/schema`,
        headers: auth(editor.token),
        payload: schema,
      });
      expect(put.statusCode).toBe(200);
      const stored = put.json().distribution.table_schema;
      expect(stored.fields[0]).toMatchObject({
        name: 'ma_tinh',
        type: 'string',
        title: 'Mã tỉnh',
        constraints: { pattern: '^\\d{2}$' },
        'ndp:dictionary': 'ma_tinh',
        'ndp:codeList': 'vn-provinces',
      });

      const wrong = await h.inject({
        method: 'PUT',
        url: `/api/v1/distributions/${link.id}/schema`,
        headers: auth(editor.token),
        payload: {
          fields: [
            { name: 'ma_tinh', dictionary: 'ma_tinh', type: 'integer' },
            { name: 'x', dictionary: 'khong_co' },
          ],
          primaryKey: 'y',
        },
      });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error.details.map((d: { field: string }) => d.field)).toEqual([
        'fields.0.type',
        'fields.1.dictionary',
        'primaryKey',
      ]);

      const exported = (await h.inject({ method: 'GET', url: '/api/v1/dictionary/export' })).json();
      expect(exported.fields).toEqual([
        expect.objectContaining({
          name: 'ma_tinh',
          type: 'string',
          title: 'Mã tỉnh',
          'title:en': 'Province code',
          'ndp:codeList': 'vn-provinces',
        }),
      ]);
      const patched = await h.inject({
        method: 'PATCH',
        url: '/api/v1/dictionary/ma_tinh',
        headers: auth(editor.token),
        payload: { label_en: 'Province code (GSO)' },
      });
      expect(patched.json().field.version).toBe(2);
    });
  });
}
