import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import {
  buildAgencyUser,
  buildDictionaryProposal,
  buildDistribution,
  buildSession,
  decideDictionaryProposal,
  type AgencyUser,
} from '../../../test/factories.js';

/** Issue 20: the dictionary's versions, review by the field's owner, Table Schema import and export, and search. */
for (const driver of testDrivers()) {
  describe(`the data dictionary's editor on ${driver.name}`, () => {
    let h: Harness;
    let officer: AgencyUser; // proposes
    let owner: AgencyUser; // another editor of the same agency: decides
    let stranger: AgencyUser; // an editor of another agency
    beforeAll(async () => {
      h = await startHarness(driver);
      officer = await buildAgencyUser(h, { agency: 'bo-tai-chinh' });
      owner = await buildAgencyUser(h, { agency: 'bo-tai-chinh', role: 'agency_admin' });
      stranger = await buildAgencyUser(h, { agency: 'bo-noi-vu' });
    });
    afterAll(() => h.close());

    /** the picker of a file's Table Schema on the publisher's dashboard, as its editor sees it */
    const picker = async () => {
      const file = await buildDistribution(h, { user: officer });
      const session = await buildSession(h, { user: officer });
      const res = await h.inject({
        method: 'GET',
        url: `/dashboard/datasets/${file.dataset.slug}`,
        headers: { cookie: session.cookie },
      });
      expect(res.statusCode).toBe(200);
      return { html: res.body, file };
    };

    it('offers a proposed field in the schema picker only once its owner approves it', async () => {
      const p = await buildDictionaryProposal(h, {
        user: officer,
        field: { id: 'ma_so_thue', label_vi: 'Mã số thuế', label_en: 'Tax code', unit: null },
      });
      expect((await h.inject({ method: 'GET', url: '/api/v1/dictionary/ma_so_thue' })).statusCode).toBe(404);
      expect((await picker()).html).not.toContain('value="ma_so_thue"');
      // the owner sees it to decide; its author does not decide it
      const queue = (
        await h.inject({ method: 'GET', url: '/api/v1/dictionary/proposals', headers: owner.auth })
      ).json();
      expect(queue.to_decide.map((v: { field_id: string }) => v.field_id)).toContain('ma_so_thue');
      expect((await decideDictionaryProposal(h, officer, p.id, 'approve')).statusCode).toBe(403);

      const approved = await decideDictionaryProposal(h, owner, p.id, 'approve');
      expect(approved.statusCode, approved.body).toBe(200);
      expect(approved.json().proposal).toMatchObject({ state: 'approved', version: 1 });
      const { html, file } = await picker();
      expect(html).toContain('value="ma_so_thue"');
      const put = await h.inject({
        method: 'PUT',
        url: `/api/v1/distributions/${file.id}/schema`,
        headers: officer.auth,
        payload: { fields: [{ name: 'mst', dictionary: 'ma_so_thue' }] },
      });
      expect(put.statusCode, put.body).toBe(200);
      expect(put.json().distribution.table_schema.fields[0]).toMatchObject({
        name: 'mst',
        type: 'string',
        title: 'Mã số thuế',
        'ndp:dictionary': 'ma_so_thue',
        'ndp:dictionaryVersion': 1,
      });
      const actions = await h.db
        .selectFrom('audit_log')
        .select('action')
        .where('entity_id', '=', 'ma_so_thue')
        .orderBy('id')
        .execute();
      expect(actions.map((a) => a.action)).toEqual(['dictionary.propose', 'dictionary.approve']);
    });

    it('keeps a rejected proposal out of the dictionary, with the owner’s comment for its author', async () => {
      const p = await buildDictionaryProposal(h, { user: officer, field: { id: 'truong_bi_tu_choi' } });
      const noReason = await decideDictionaryProposal(h, owner, p.id, 'reject');
      expect(noReason.statusCode).toBe(400); // a rejection says why
      expect((await decideDictionaryProposal(h, owner, p.id, 'reject', 'Trùng với ma_so_thue')).statusCode).toBe(200);
      expect((await h.inject({ method: 'GET', url: '/api/v1/dictionary/truong_bi_tu_choi' })).statusCode).toBe(404);
      expect((await picker()).html).not.toContain('value="truong_bi_tu_choi"');
      const mine = (await h.inject({ method: 'GET', url: '/api/v1/dictionary/proposals', headers: officer.auth }))
        .json()
        .mine.find((v: { field_id: string }) => v.field_id === 'truong_bi_tu_choi');
      expect(mine).toMatchObject({ state: 'rejected', comment: 'Trùng với ma_so_thue', version: null });
      expect((await decideDictionaryProposal(h, owner, p.id, 'approve')).statusCode).toBe(409); // decided once
    });

    it('makes a change version 2 and keeps version 1; a schema resolved before keeps pointing at version 1', async () => {
      const p = await buildDictionaryProposal(h, {
        user: officer,
        field: { id: 'so_ho', label_vi: 'Số hộ', label_en: 'Households', type: 'integer' },
      });
      await decideDictionaryProposal(h, owner, p.id, 'approve');
      const file = await buildDistribution(h, { user: officer, url: 'https://example.org/so_ho.csv' });
      await h.inject({
        method: 'PUT',
        url: `/api/v1/distributions/${file.id}/schema`,
        headers: officer.auth,
        payload: { fields: [{ name: 'so_ho', dictionary: 'so_ho' }] },
      });
      const change = await buildDictionaryProposal(h, {
        user: stranger, // another agency's officer may propose a change; the owner decides
        change: true,
        field: { id: 'so_ho', unit: 'hộ', constraints: { minimum: 0 } },
      });
      const v2 = await decideDictionaryProposal(h, owner, change.id, 'approve');
      expect(v2.json().proposal).toMatchObject({ version: 2, changed: ['unit', 'constraints'] });
      const versions = (await h.inject({ method: 'GET', url: '/api/v1/dictionary/so_ho/versions' })).json().versions;
      expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      expect(versions[1].content).toMatchObject({ label_vi: 'Số hộ', unit: null });
      expect(versions[0]).toMatchObject({ proposed_agency: stranger.agencyId, content: { unit: 'hộ' } });
      const field = (await h.inject({ method: 'GET', url: '/api/v1/dictionary/so_ho' })).json().field;
      expect(field).toMatchObject({ version: 2, unit: 'hộ', constraints: { minimum: 0 } });
      const kept = await h.db
        .selectFrom('distributions')
        .select('table_schema')
        .where('id', '=', file.id)
        .executeTakeFirstOrThrow();
      expect((kept.table_schema as { fields: unknown[] }).fields[0]).toMatchObject({ 'ndp:dictionaryVersion': 1 });
      expect((kept.table_schema as { fields: object[] }).fields[0]).not.toHaveProperty('ndp:unit');
    });

    it('lets no other agency approve a field it does not own', async () => {
      const p = await buildDictionaryProposal(h, { user: officer, field: { id: 'truong_cua_bo_tai_chinh' } });
      const res = await decideDictionaryProposal(h, stranger, p.id, 'approve');
      expect(res.statusCode).toBe(403);
      expect(res.json().error.en).toMatch(/agency that owns this field/);
      const queue = (
        await h.inject({ method: 'GET', url: '/api/v1/dictionary/proposals', headers: stranger.auth })
      ).json();
      expect(queue.to_decide.map((v: { field_id: string }) => v.field_id)).not.toContain('truong_cua_bo_tai_chinh');
      // a shared field is the platform administrators': an agency's admin does not approve it
      const shared = await buildDictionaryProposal(h, {
        user: officer,
        field: { id: 'truong_chung', agency_id: null },
      });
      expect((await decideDictionaryProposal(h, owner, shared.id, 'approve')).statusCode).toBe(403);
    });

    it('imports a Table Schema as proposals, all or none, naming each bad field in Vietnamese and English', async () => {
      const schema = {
        fields: [
          { name: 'thu_nhap', type: 'number', title: 'Thu nhập', 'title:en': 'Income', 'ndp:unit': 'VND' },
          { name: 'Bad Name', type: 'string', title: 'Sai tên' },
          { name: 'so_con', type: 'integer', title: 'Số con', 'title:en': 'Children' },
          { name: 'ky_han', type: 'float', title: 'Kỳ hạn' },
        ],
      };
      const bad = await h.inject({
        method: 'POST',
        url: '/api/v1/dictionary/import',
        headers: { ...officer.auth, 'accept-language': 'vi' },
        payload: { agency_id: officer.agencyId, schema },
      });
      expect(bad.statusCode).toBe(400);
      const details = bad.json().error.details as { field: string; vi: string; en: string }[];
      expect(details.map((d) => d.field)).toEqual(['fields.1.name', 'fields.3.type']);
      expect(details[0]).toMatchObject({
        vi: 'Trường “Bad Name”: “name” thiếu hoặc không hợp lệ.',
        en: 'Field “Bad Name”: “name” is missing or not valid.',
      });
      const written = await h.db
        .selectFrom('dictionary_versions')
        .select('field_id')
        .where('field_id', 'in', ['thu_nhap', 'so_con'])
        .execute();
      expect(written).toEqual([]); // nothing half written

      const good = await h.inject({
        method: 'POST',
        url: '/api/v1/dictionary/import',
        headers: officer.auth,
        payload: { agency_id: officer.agencyId, schema: { fields: [schema.fields[0], schema.fields[2]] } },
      });
      expect(good.statusCode, good.body).toBe(201);
      expect(good.json().proposals.map((v: { field_id: string; state: string }) => [v.field_id, v.state])).toEqual([
        ['thu_nhap', 'proposed'],
        ['so_con', 'proposed'],
      ]);
    });

    it('exports a selection as a Table Schema that imports back as the same fields', async () => {
      const p = await buildDictionaryProposal(h, {
        user: officer,
        field: {
          id: 'tinh_trang_hon_nhan',
          label_vi: 'Tình trạng hôn nhân',
          label_en: 'Marital status',
          description_vi: 'Theo hộ tịch.',
          codes: [
            { code: '1', label_vi: 'Chưa kết hôn', label_en: 'Never married' },
            { code: '2', label_vi: 'Có vợ, có chồng', label_en: 'Married' },
          ],
          constraints: { required: true },
          personal_data: 'marital_status',
        },
      });
      await decideDictionaryProposal(h, owner, p.id, 'approve');
      const exported = (
        await h.inject({ method: 'GET', url: '/api/v1/dictionary/export?ids=tinh_trang_hon_nhan,so_ho' })
      ).json();
      expect(exported.fields.map((f: { name: string }) => f.name)).toEqual(['so_ho', 'tinh_trang_hon_nhan']);
      const marital = exported.fields[1];
      expect(marital).toMatchObject({
        type: 'string',
        title: 'Tình trạng hôn nhân',
        constraints: { required: true, enum: ['1', '2'] },
        'ndp:personalData': 'marital_status',
      });
      // the same fields back: no change to propose
      const same = await h.inject({
        method: 'POST',
        url: '/api/v1/dictionary/import',
        headers: officer.auth,
        payload: { agency_id: officer.agencyId, schema: exported },
      });
      expect(same.json().proposals).toEqual([]);
      // under another name, a new field with the same content
      const copy = await h.inject({
        method: 'POST',
        url: '/api/v1/dictionary/import',
        headers: officer.auth,
        payload: { agency_id: officer.agencyId, schema: { fields: [{ ...marital, name: 'hon_nhan_ban_sao' }] } },
      });
      const original = (await h.inject({ method: 'GET', url: '/api/v1/dictionary/tinh_trang_hon_nhan' })).json().field;
      const { id: _a, version: _v, updated_at: _u, personal_data_level: _l, ...content } = original;
      expect(copy.json().proposals[0].content).toMatchObject(content);
    });

    it('finds fields with or without diacritics, and filters by owner and personal data', async () => {
      const find = async (query: string) =>
        (await h.inject({ method: 'GET', url: `/api/v1/dictionary?${query}` }))
          .json()
          .fields.map((f: { id: string }) => f.id);
      expect(await find('q=tinh trang hon nhan')).toEqual(['tinh_trang_hon_nhan']);
      expect(await find(`q=${encodeURIComponent('TÌNH TRẠNG hôn')}`)).toEqual(['tinh_trang_hon_nhan']);
      expect(await find('q=households')).toEqual(['so_ho']);
      expect(await find('q=ho&personal=basic')).toEqual(['tinh_trang_hon_nhan']);
      expect(await find('q=ho&personal=none')).toEqual(['so_ho']);
      expect(await find(`agency=${stranger.agencyId}`)).toEqual([]);
      const page = (await h.inject({ method: 'GET', url: '/dictionary?q=so+ho&lang=en' })).body;
      expect(page).toContain('href="/dictionary/so_ho">Households</a>');
      expect(page).toContain('1 fields');
    });
  });
}
