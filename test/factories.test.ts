import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from './drivers.js';
import { buildAgencyUser, buildDataset, buildDistribution, buildSession, buildTable } from './factories.js';
import { startHarness, type Harness } from './harness.js';

describe('test factories', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(testDrivers()[0]!);
  });
  afterAll(() => h.close());

  it('builds users with unique addresses, the role asked for and a working token', async () => {
    const a = await buildAgencyUser(h);
    const b = await buildAgencyUser(h, { agency: 'bo-y-te', role: 'viewer' });
    expect(a.email).not.toBe(b.email);
    expect(a.principal.roles.get(a.agencyId)).toBe('agency_editor');
    expect(b.principal.roles.get(b.agencyId)).toBe('viewer');
    expect(b.agencyId).toBe(await h.agencyId('bo-y-te'));
    const me = await h.inject({ method: 'GET', url: '/api/v1/auth/me', headers: a.auth });
    expect(me.statusCode).toBe(200);
  });

  it('builds a signed-in page session', async () => {
    const s = await buildSession(h, { email: 'phien@mof.gov.vn' });
    expect(s.email).toBe('phien@mof.gov.vn');
    const page = await h.inject({ method: 'GET', url: '/dashboard', headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(200);
  });

  it('builds data sets with a licence that fits their access, publishable by default', async () => {
    const open = await buildDataset(h);
    const closed = await buildDataset(h, { user: open.user, access_rights: 'restricted', title_vi: undefined });
    expect(open.slug).not.toBe(closed.slug);
    const get = async (slug: string) =>
      (await h.inject({ method: 'GET', url: `/api/v1/datasets/${slug}`, headers: open.user.auth })).json().dataset;
    expect(await get(open.slug)).toMatchObject({
      status: 'draft',
      licence: { id: 'CC-BY-4.0' },
      access_rights: 'public',
    });
    expect(await get(closed.slug)).toMatchObject({ licence: { id: 'restricted' }, access_rights: 'restricted' });
    const published = await buildDataset(h, { status: 'published' });
    const anonymous = (await h.inject({ method: 'GET', url: `/api/v1/datasets/${published.slug}` })).json().dataset;
    expect(anonymous.status).toBe('published');
    expect(anonymous.distributions).toHaveLength(1);
  });

  it('uploads files and adds links to a data set', async () => {
    const dataset = await buildDataset(h);
    const file = await buildDistribution(h, { dataset, fileName: 'tinh.csv' });
    const link = await buildDistribution(h, { dataset, url: 'https://example.org/tinh.csv' });
    const d = (
      await h.inject({ method: 'GET', url: `/api/v1/datasets/${dataset.slug}`, headers: dataset.user.auth })
    ).json().dataset;
    expect(d.distributions.map((x: { id: string }) => x.id).sort()).toEqual([file.id, link.id].sort());
  });

  it('builds a published table ready to query', async () => {
    const t = await buildTable(h);
    expect(t.load).toMatchObject({ status: 'ready', rows: 3 });
    const rows = (await h.inject({ method: 'GET', url: `/api/v1/tables/${t.id}/rows` })).json();
    expect(JSON.stringify(rows)).toContain('Hồ Chí Minh');
  });
});
