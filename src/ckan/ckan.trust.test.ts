import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import {
  buildAgencyUser,
  buildDataset,
  buildDistribution,
  buildTable,
  publishDataset,
  type AgencyUser,
} from '../../test/factories.js';
import { startHarness, type Harness } from '../../test/harness.js';

/** Issue 18.4 and 18.15: what CKAN clients read from us must be what CKAN itself would answer. */
for (const driver of testDrivers()) {
  describe(`CKAN Action API as CKAN clients see it, on ${driver.name}`, () => {
    let h: Harness;
    let editor: AgencyUser;
    let tableId = '';
    let fileId = '';
    let linkId = '';
    let slug = '';
    const get = (name: string, params: Record<string, string> = {}) =>
      h.inject({ method: 'GET', url: `/api/3/action/${name}?${new URLSearchParams(params)}` });
    const post = (name: string, payload: unknown, headers: Record<string, string> = {}) =>
      h.inject({ method: 'POST', url: `/api/3/action/${name}`, headers, payload: payload as object });

    beforeAll(async () => {
      h = await startHarness(driver);
      editor = await buildAgencyUser(h, { agency: 'bo-y-te' });
      // one data set: a file loaded as a table, a file not (yet) loaded, and a link
      const table = await buildTable(h, { user: editor, status: 'draft', title_vi: 'Dân số theo tỉnh' });
      tableId = table.id;
      fileId = (await buildDistribution(h, { dataset: table.dataset })).id;
      linkId = (await buildDistribution(h, { dataset: table.dataset, url: 'https://example.org/a.csv' })).id;
      await publishDataset(h, table.dataset);
      slug = table.dataset.slug;
      // a draft of the same agency, which CKAN's package_count does not count
      await buildDataset(h, { user: editor });
      await buildDataset(h, { user: editor, status: 'published' });
    });
    afterAll(() => h.close());

    it('datastore_active is true exactly for the resources with a ready table (package_show, package_search, resource_show)', async () => {
      const pkg = (await get('package_show', { id: slug })).json().result;
      const active = Object.fromEntries(
        pkg.resources.map((r: { id: string; datastore_active: boolean }) => [r.id, r.datastore_active]),
      );
      expect(active).toEqual({ [tableId]: true, [fileId]: false, [linkId]: false });
      const found = (await get('package_search', { q: 'Dân số theo tỉnh' })).json().result.results;
      const inSearch = found.find((p: { name: string }) => p.name === slug);
      expect(inSearch.resources.find((r: { id: string }) => r.id === tableId).datastore_active).toBe(true);
      expect((await get('resource_show', { id: tableId })).json().result.datastore_active).toBe(true);
      expect((await get('resource_show', { id: fileId })).json().result.datastore_active).toBe(false);
    });

    it('package_create without a token is a 403 Authorization Error, before any validation', async () => {
      for (const body of [{}, { owner_org: 'bo-y-te' }, { title: 'x', owner_org: 'bo-y-te' }]) {
        const res = await post('package_create', body);
        expect(res.statusCode).toBe(403);
        expect(res.json()).toMatchObject({ success: false, error: { __type: 'Authorization Error' } });
      }
      // an editor of another agency, with an incomplete body: not allowed first, then nothing else
      const otherOrg = await post('package_create', { owner_org: 'bo-tai-chinh' }, editor.auth);
      expect(otherOrg.statusCode).toBe(403);
      expect(otherOrg.json().error.__type).toBe('Authorization Error');
      // allowed, but incomplete: now validation speaks
      const incomplete = await post('package_create', { owner_org: 'bo-y-te' }, editor.auth);
      expect(incomplete.statusCode).toBe(409);
      expect(incomplete.json().error).toMatchObject({ __type: 'Validation Error', title: [expect.any(String)] });
    });

    it('organization_list?all_fields=true gives each organisation its package_count (published data sets)', async () => {
      const orgs = [
        ...(await get('organization_list', { all_fields: 'true', q: 'Bộ Y tế' })).json().result,
        ...(await get('organization_list', { all_fields: 'true', q: 'Bộ Tài chính' })).json().result,
      ];
      expect(orgs.every((o: { package_count: unknown }) => typeof o.package_count === 'number')).toBe(true);
      const byName = new Map(orgs.map((o: { name: string; package_count: number }) => [o.name, o.package_count]));
      expect(byName.get('bo-y-te')).toBe(2);
      expect(byName.get('bo-tai-chinh')).toBe(0);
      const shown = (await get('organization_show', { id: 'bo-y-te' })).json().result;
      expect(shown.package_count).toBe(byName.get('bo-y-te'));
    });

    it('datastore_search numbers _id from 1 like CKAN, stable under filters and sorts, and filters on _id', async () => {
      const all = (await get('datastore_search', { resource_id: tableId })).json().result;
      expect(all.records.map((r: { _id: number }) => r._id)).toEqual([1, 2, 3]);
      expect(all.records[0]).toMatchObject({ _id: 1, ten_tinh: 'Hà Nội', dan_so: 8435650 });
      const sorted = (await get('datastore_search', { resource_id: tableId, sort: 'dan_so desc' })).json().result;
      expect(sorted.records.map((r: { _id: number; ten_tinh: string }) => [r._id, r.ten_tinh])).toEqual([
        [2, 'Hồ Chí Minh'],
        [1, 'Hà Nội'],
        [3, 'Đà Nẵng'],
      ]);
      const byId = (await get('datastore_search', { resource_id: tableId, filters: JSON.stringify({ _id: 3 }) })).json()
        .result;
      expect(byId.records).toEqual([expect.objectContaining({ _id: 3, ten_tinh: 'Đà Nẵng' })]);
      const lists = (
        await get('datastore_search', { resource_id: tableId, records_format: 'lists', sort: '_id desc', limit: '1' })
      ).json().result;
      expect(lists.records[0][0]).toBe(3);
      // CKAN's dump numbers the rows as datastore_search does
      const dump = (await h.inject({ method: 'GET', url: `/datastore/dump/${tableId}?format=json` })).json();
      expect(dump.map((r: { _id: number }) => r._id)).toEqual([1, 2, 3]);
      const csv = (await h.inject({ method: 'GET', url: `/datastore/dump/${tableId}` })).body.split('\r\n');
      expect(csv[1]!.startsWith('1,')).toBe(true);
    });

    it('a POST with a form body is read as CKAN reads it; other body types are a 415 in CKAN’s shape, in both languages', async () => {
      // what CKAN's documentation does: curl -d '{"id": …}' sends the JSON as a form body
      const curl = await post('package_show', JSON.stringify({ id: slug }), {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(curl.statusCode).toBe(200);
      expect(curl.json().result.name).toBe(slug);
      // plain form fields
      const form = await post('package_show', `id=${encodeURIComponent(slug)}`, {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(form.statusCode).toBe(200);
      expect(form.json()).toMatchObject({ success: true, result: { name: slug } });
      const search = await post('datastore_search', `resource_id=${tableId}&limit=1`, {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(search.json().result.records).toHaveLength(1);
      // a form body cannot carry a token's rights past the session's CSRF check, and without a token it is anonymous
      const anonymous = await post('package_create', 'title=x&owner_org=bo-y-te', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(anonymous.statusCode).toBe(403);
      expect(anonymous.json().error.__type).toBe('Authorization Error');
      const xml = await post('package_show', '<id>x</id>', { 'content-type': 'application/xml' });
      expect(xml.statusCode).toBe(415);
      expect(xml.json()).toMatchObject({ success: false, error: { __type: 'Bad request' } });
      expect(xml.json().error.message).toMatch(/Unsupported content type/);
      expect(xml.json().error.message).toMatch(/Kiểu nội dung không được hỗ trợ/);
      const badJsonInForm = await post('package_show', '{"id": ', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(badJsonInForm.statusCode).toBe(400);
      expect(badJsonInForm.json()).toMatchObject({ success: false, error: { __type: 'Bad request' } });
    });
  });
}
