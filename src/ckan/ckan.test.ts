import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { BASE, startHarness, type Harness } from '../../test/harness.js';
import { loadCatalog, SAMPLE } from '../../test/catalog-fixture.js';

for (const driver of testDrivers()) {
  describe(`CKAN Action API on ${driver.name}`, () => {
    let h: Harness;
    let token: string;
    const action = async (name: string, params: Record<string, string> = {}) => {
      const qs = new URLSearchParams(params).toString();
      return h.inject({ method: 'GET', url: `/api/3/action/${name}${qs ? `?${qs}` : ''}` });
    };
    const post = (name: string, payload: object, auth = token) =>
      h.inject({ method: 'POST', url: `/api/3/action/${name}`, headers: auth ? { authorization: auth } : {}, payload });
    beforeAll(async () => {
      h = await startHarness(driver);
      await loadCatalog(h, SAMPLE);
      token = (await h.tokenFor('bo-y-te', 'agency_editor')).token;
    });
    afterAll(() => h.close());

    it('answers in CKAN’s envelope', async () => {
      const res = await action('status_show');
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ success: true, help: `${BASE}/api/3/action/help_show?name=status_show` });
      expect(body.result.ckan_version).toMatch(/^2\./);
    });

    it('package_search: q, fq, rows/start, sort and facets in both CKAN shapes', async () => {
      const res = await action('package_search', {
        q: 'ha noi',
        'facet.field': '["organization","groups","res_format","license_id","tags"]',
        rows: '2',
      });
      const r = res.json().result;
      expect(r.count).toBe(3);
      expect(r.results).toHaveLength(2);
      expect(r.results[0]).toMatchObject({
        type: 'dataset',
        state: 'active',
        num_resources: 1,
        organization: { name: 'thanh-pho-ha-noi', is_organization: true },
      });
      expect(r.facets.organization['thanh-pho-ha-noi']).toBe(2);
      expect(r.search_facets.groups.items).toEqual(
        expect.arrayContaining([{ name: 'educ', display_name: 'Giáo dục, văn hóa và thể thao', count: 1 }]),
      );
      expect(r.search_facets.res_format.title).toBe('res_format');
      const fq = (await action('package_search', { fq: 'organization:bo-y-te +tags:"tiêm chủng"' })).json().result;
      expect(fq.results.map((p: { title: string }) => p.title)).toEqual(['Tiêm chủng mở rộng năm 2024']);
      const fielded = (await action('package_search', { q: 'res_format:XLSX' })).json().result;
      expect(fielded.count).toBe(1);
      const page2 = (
        await action('package_search', { q: '*:*', rows: '2', start: '4', sort: 'title_string asc' })
      ).json().result;
      expect(page2.count).toBe(5);
      expect(page2.results).toHaveLength(1);
      const post = await h.inject({
        method: 'POST',
        url: '/api/3/action/package_search',
        payload: { q: 'dong nai', rows: 5 },
      });
      expect(post.json().result.count).toBe(1);
    });

    it('answers what ckanext-harvest sends: metadata_modified ranges, exclusions and sort by id', async () => {
      const all = (await action('package_search', { q: '*:*', rows: '100', sort: 'id asc' })).json().result;
      const ids = all.results.map((p: { id: string }) => p.id);
      expect(ids).toEqual([...ids].sort());
      const future = (await action('package_search', { fq: 'metadata_modified:[2999-01-01T00:00:00Z TO *]' })).json()
        .result;
      expect(future.count).toBe(0);
      const since = (await action('package_search', { fq: 'metadata_modified:[2020-01-01T00:00:00Z TO *]' })).json()
        .result;
      expect(since.count).toBe(all.count);
      const upToNow = (await action('package_search', { fq: 'metadata_created:[* TO NOW]' })).json().result;
      expect(upToNow.count).toBe(all.count);
      const without = (await action('package_search', { fq: '-organization:bo-y-te' })).json().result;
      expect(without.count).toBe(all.count - 2);
      expect(without.results.every((p: { organization: { name: string } }) => p.organization.name !== 'bo-y-te')).toBe(
        true,
      );
      const badDate = await action('package_search', { fq: 'metadata_modified:[yesterday TO *]' });
      expect(badDate.statusCode).toBe(409);
      expect(badDate.json().error.__type).toBe('Search Query Error');
    });

    it('package_show, package_list, resource_show, organization_*, group_list, tag_list, license_list', async () => {
      const list = (await action('package_list')).json().result as string[];
      expect(list).toHaveLength(5);
      const pkg = (await action('package_show', { id: list[0]! })).json().result;
      expect(pkg.name).toBe(list[0]);
      expect((await action('package_show', { id: pkg.id })).json().result.name).toBe(pkg.name);
      const res = (await action('resource_show', { id: pkg.resources[0].id })).json().result;
      expect(res).toMatchObject({ package_id: pkg.id, state: 'active' });
      const orgs = (await action('organization_list', { limit: '5' })).json().result;
      expect(orgs).toHaveLength(5);
      expect(typeof orgs[0]).toBe('string');
      const org = (await action('organization_show', { id: 'bo-y-te' })).json().result;
      expect(org).toMatchObject({ name: 'bo-y-te', title: 'Bộ Y tế', package_count: 2, is_organization: true });
      expect((await action('group_list')).json().result).toContain('heal');
      expect((await action('tag_list')).json().result).toEqual(expect.arrayContaining(['y tế', 'dân số']));
      const licences = (await action('license_list')).json().result;
      expect(licences.find((l: { id: string }) => l.id === 'CC-BY-4.0')).toMatchObject({
        od_conformance: 'approved',
        is_okd_compliant: true,
      });
    });

    it('package_create and package_patch with a CKAN-style token', async () => {
      const created = await post('package_create', {
        name: 'chi-so-chat-luong-khong-khi',
        title: 'Chỉ số chất lượng không khí',
        notes: 'AQI theo giờ',
        owner_org: 'bo-y-te',
        license_id: 'CC-BY-4.0',
        tags: [{ name: 'môi trường' }],
        groups: [{ name: 'envi' }],
        resources: [{ url: 'https://example.org/aqi.csv', name: 'AQI', format: 'CSV' }],
      });
      expect(created.statusCode).toBe(200);
      const pkg = created.json().result;
      expect(pkg).toMatchObject({
        name: 'chi-so-chat-luong-khong-khi',
        state: 'active',
        license_id: 'CC-BY-4.0',
        num_resources: 1,
      });
      expect(pkg.groups[0].name).toBe('envi');
      const patched = await post('package_patch', { id: pkg.name, title: 'Chỉ số AQI' });
      expect(patched.json().result.title).toBe('Chỉ số AQI');
      expect((await action('package_search', { q: 'AQI' })).json().result.count).toBe(1);
    });

    it('errors as CKAN does: 404 Not Found Error, 409 Validation Error, 403 Authorization Error, 400 unknown action', async () => {
      const missing = await action('package_show', { id: 'khong-ton-tai' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ success: false, error: { __type: 'Not Found Error' } });
      const invalid = await post('package_create', { title: 'x', owner_org: 'bo-y-te', license_id: 'WTFPL' });
      expect(invalid.statusCode).toBe(409);
      expect(invalid.json().error.__type).toBe('Validation Error');
      expect(invalid.json().error.licence_id[0]).toContain('WTFPL');
      const noAuth = await post('package_create', { title: 'x', owner_org: 'bo-y-te' }, '');
      expect(noAuth.statusCode).toBe(403);
      expect(noAuth.json().error.__type).toBe('Authorization Error');
      const otherOrg = await post('package_create', { title: 'x', owner_org: 'bo-tai-chinh' });
      expect(otherOrg.statusCode).toBe(403);
      const unknown = await action('package_explode');
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.message).toContain('Action name not known');
      const badFq = await action('package_search', { fq: 'secret_field:x' });
      expect(badFq.statusCode).toBe(409);
      expect(badFq.json().error.__type).toBe('Search Query Error');
      const badRows = await action('package_search', { rows: '-1' });
      expect(badRows.statusCode).toBe(409);
      const getCreate = await action('package_create', { title: 'x' });
      expect(getCreate.statusCode).toBe(400);
      const revoked = await h.inject({
        method: 'POST',
        url: '/api/3/action/package_create',
        headers: { authorization: `ndp_aaaaaaaa_${'x'.repeat(43)}` },
        payload: { title: 'x', owner_org: 'bo-y-te' },
      });
      expect(revoked.statusCode).toBe(403);
      expect(revoked.json()).toMatchObject({ success: false, error: { __type: 'Authorization Error' } });
    });
  });
}
