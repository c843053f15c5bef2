import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { buildDataset, buildDistribution, publishDataset } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';

const ETHNIC = fs.readFileSync(new URL('../../../test/fixtures/dan_toc_vietnam_census2019.csv', import.meta.url));

describe('an upload becomes a table through the job queue', () => {
  let h: Harness;
  let auth: Record<string, string>;
  let distributionId = '';
  const versions = async () =>
    (await h.inject({ method: 'GET', url: `/api/v1/distributions/${distributionId}/datastore`, headers: auth })).json()
      .versions as { version: number; status: string; rows: number }[];
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
    const dataset = await buildDataset(h, {
      agency: 'bo-dan-toc-va-ton-giao',
      title_vi: '54 dân tộc',
      description_vi: 'Tổng điều tra 2019',
      licence_id: 'CC0-1.0',
    });
    auth = dataset.user.auth;
    distributionId = (await buildDistribution(h, { dataset, fileName: 'dan_toc.csv', csv: ETHNIC })).id;
    await publishDataset(h, dataset);
  });
  afterAll(() => h.close());

  it('loads the uploaded CSV in the background and serves it', async () => {
    const v = await until((x) => x.some((y) => y.status === 'ready'));
    expect(v[0]).toMatchObject({ version: 1, status: 'ready', rows: 54 });
    const r = (
      await h.inject({
        method: 'GET',
        url: `/api/3/action/datastore_search?resource_id=${distributionId}&limit=0`,
        headers: auth,
      })
    ).json();
    expect(r.result.total).toBe(54);
  });

  it('loads again on request as a new version, keeping the old one', async () => {
    const res = await h.inject({
      method: 'POST',
      url: `/api/v1/distributions/${distributionId}/datastore/load`,
      headers: auth,
    });
    expect(res.statusCode).toBe(202);
    const v = await until((x) => x.length === 2 && x.every((y) => y.status === 'ready'));
    expect(v.map((x) => x.version)).toEqual([2, 1]);
    const anonymous = await h.inject({ method: 'POST', url: `/api/v1/distributions/${distributionId}/datastore/load` });
    expect(anonymous.statusCode).toBe(401);
  });

  it('re-types a column from the stored original when the Table Schema changes, and lists the rejected rows as CSV', async () => {
    // dan_so_2019 was read as integer; declare it a date: every row fails, and says why
    const fields = [
      { name: 'ten_dan_toc', type: 'string' },
      { name: 'dan_so_2019', type: 'date' },
      { name: 'nhom_ngon_ngu', type: 'string' },
    ];
    const put = await h.inject({
      method: 'PUT',
      url: `/api/v1/distributions/${distributionId}/schema`,
      headers: auth,
      payload: { fields },
    });
    expect(put.statusCode).toBe(200);
    const v3 = (await until((x) => x.length === 3 && x.every((y) => y.status !== 'loading')))[0] as unknown as {
      version: number;
      status: string;
      rows: number;
      rejected: number;
      columns: { id: string; type: string; inferred: string }[];
    };
    // nothing fitted: this version failed, and the table served is still version 2
    expect(v3).toMatchObject({ version: 3, status: 'failed', rows: 0, rejected: 54 });
    expect(
      (await h.inject({ method: 'GET', url: `/api/v1/tables/${distributionId}`, headers: auth })).json(),
    ).toMatchObject({ version: 2, rows: 54 });
    expect(v3.columns.find((c) => c.id === 'dan_so_2019')).toMatchObject({ type: 'date', inferred: 'integer' });
    const csv = await h.inject({
      method: 'GET',
      url: `/api/v1/distributions/${distributionId}/datastore/3/rejected`,
      headers: auth,
    });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('line,column,value,reason_vi,reason_en,ten_dan_toc,dan_so_2019,nhom_ngon_ngu');
    expect(lines).toHaveLength(55);
    expect(lines[1]).toBe(
      '2,dan_so_2019,82085826,“82085826” không phải ngày (dd/mm/yyyy),“82085826” is not a date (dd/mm/yyyy),Kinh,82085826,Việt – Mường',
    );
    expect(
      (await h.inject({ method: 'GET', url: `/api/v1/distributions/${distributionId}/datastore/3/rejected` }))
        .statusCode,
    ).toBe(401);

    // back to a number: the next version is whole again, the earlier ones are still there
    fields[1]!.type = 'integer';
    await h.inject({
      method: 'PUT',
      url: `/api/v1/distributions/${distributionId}/schema`,
      headers: auth,
      payload: { fields },
    });
    const v = await until((x) => x.length === 4 && x.every((y) => y.status !== 'loading'));
    expect(v.map((x) => [x.version, x.status, x.rows])).toEqual([
      [4, 'ready', 54],
      [3, 'failed', 0],
      [2, 'ready', 54],
      [1, 'ready', 54],
    ]);
  });

  it('runs the kept quality suite after each load, as the platform', async () => {
    await h.inject({
      method: 'PUT',
      url: `/api/v1/distributions/${distributionId}/quality/suite`,
      headers: auth,
      payload: {
        checks: [
          { type: 'row_count', min: 54, max: 54 },
          { type: 'missing', column: 'ten_dan_toc' },
        ],
      },
    });
    await h.inject({ method: 'POST', url: `/api/v1/distributions/${distributionId}/datastore/load`, headers: auth });
    const runs = async () =>
      (
        await h.inject({ method: 'GET', url: `/api/v1/distributions/${distributionId}/quality/runs`, headers: auth })
      ).json().runs as { table: { version: number }; summary: { passed: number } }[];
    for (let i = 0; i < 100 && (await runs()).length === 0; i++) await new Promise((r) => setTimeout(r, 200));
    const [run] = await runs();
    expect(run).toMatchObject({ table: { version: 5 }, summary: { passed: 2 } });
  });
});
