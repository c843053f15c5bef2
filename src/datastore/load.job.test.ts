import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { multipart, startHarness, type Harness } from '../../test/harness.js';

const ETHNIC = fs.readFileSync(new URL('../../test/fixtures/dan_toc_vietnam_census2019.csv', import.meta.url));

describe('an upload becomes a table through the job queue', () => {
  let h: Harness;
  let auth: Record<string, string>;
  let distributionId = '';
  const versions = async () => (await h.inject({ method: 'GET', url: `/api/v1/distributions/${distributionId}/datastore`, headers: auth })).json().versions as { version: number; status: string; rows: number }[];
  const until = async (pred: (v: Awaited<ReturnType<typeof versions>>) => boolean) => {
    for (let i = 0; i < 100; i++) {
      const v = await versions();
      if (pred(v)) return v;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out: ${JSON.stringify(await versions())}`);
  };

  beforeAll(async () => {
    h = await startHarness(testDrivers()[0]!);
    await h.app.jobs.start();
    const t = await h.tokenFor('bo-dan-toc-va-ton-giao', 'agency_editor');
    auth = { authorization: `Bearer ${t.token}` };
    const d = (await h.inject({ method: 'POST', url: '/api/v1/datasets', headers: auth, payload: { agency_id: t.agencyId, title_vi: '54 dân tộc', description_vi: 'Tổng điều tra 2019', licence_id: 'CC0-1.0' } })).json().dataset;
    const m = multipart({}, { name: 'dan_toc.csv', content: ETHNIC });
    distributionId = (await h.inject({ method: 'POST', url: `/api/v1/datasets/${d.id}/distributions`, headers: { ...auth, ...m.headers }, payload: m.payload })).json().distribution.id;
    await h.inject({ method: 'PUT', url: `/api/v1/datasets/${d.id}/status`, headers: auth, payload: { status: 'published' } });
  });
  afterAll(() => h.close());

  it('loads the uploaded CSV in the background and serves it', async () => {
    const v = await until((x) => x.some((y) => y.status === 'ready'));
    expect(v[0]).toMatchObject({ version: 1, status: 'ready', rows: 54 });
    const r = (await h.inject({ method: 'GET', url: `/api/3/action/datastore_search?resource_id=${distributionId}&limit=0`, headers: auth })).json();
    expect(r.result.total).toBe(54);
  });

  it('loads again on request as a new version, keeping the old one', async () => {
    const res = await h.inject({ method: 'POST', url: `/api/v1/distributions/${distributionId}/datastore/load`, headers: auth });
    expect(res.statusCode).toBe(202);
    const v = await until((x) => x.length === 2 && x.every((y) => y.status === 'ready'));
    expect(v.map((x) => x.version)).toEqual([2, 1]);
    const anonymous = await h.inject({ method: 'POST', url: `/api/v1/distributions/${distributionId}/datastore/load` });
    expect(anonymous.statusCode).toBe(401);
  });
});
