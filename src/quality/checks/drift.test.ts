import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { buildDataset, buildDistribution } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { loadTable } from '../../datastore/load/loader.js';
import { anomaly, schemaDrift } from './drift.js';
import type { LoadedColumn } from '../../datastore/load/loader.js';

const col = (id: string, type: LoadedColumn['type']): LoadedColumn => ({
  id,
  title: id,
  type,
  numberStyle: 'international',
  inferred: type,
  missing: 0,
});

describe('drift and anomaly checks, as rules', () => {
  it('says plainly when there is not enough history, and judges by robust z-score when there is', () => {
    const check = { type: 'anomaly' as const, metric: 'row_count' as const };
    expect(anomaly(check, 100, [98, 101])).toMatchObject({
      status: 'error',
      message: { en: 'Not enough history to judge row_count: 5 earlier versions needed, 2 so far.' },
    });
    const usual = anomaly(check, 103, [98, 101, 100, 99, 102, 250]); // one earlier outlier does not move the median
    expect(usual).toMatchObject({ status: 'passed', observed: { median: 100.5, history: 6 } });
    const unusual = anomaly(check, 20, [98, 101, 100, 99, 102]);
    expect(unusual.status).toBe('failed');
    expect((unusual.observed as { z: number }).z).toBeLessThan(-3.5);
    expect(anomaly(check, 100, [100, 100, 100, 100, 100]).status).toBe('passed');
    expect(anomaly(check, 101, [100, 100, 100, 100, 100]).status).toBe('failed'); // no spread at all: any change is unusual
  });

  it('reports columns removed, added and retyped against the previous version or a declared list', () => {
    const now = [col('ma', 'text'), col('dan_so', 'number'), col('moi', 'text')];
    const r = schemaDrift({ type: 'schema' }, now, [
      { id: 'ma', type: 'text' },
      { id: 'dan_so', type: 'integer' },
      { id: 'ten', type: 'text' },
    ]);
    expect(r).toMatchObject({
      status: 'failed',
      failures: 3,
      observed: { removed: ['ten'], added: ['moi'], retyped: [{ id: 'dan_so', from: 'integer', to: 'number' }] },
    });
    expect(
      schemaDrift(
        {
          type: 'schema',
          columns: [
            { id: 'ma', type: 'text' },
            { id: 'dan_so', type: 'number' },
            { id: 'moi', type: 'text' },
          ],
        },
        now,
        null,
      ).status,
    ).toBe('passed');
    expect(schemaDrift({ type: 'schema' }, now, null).status).toBe('error');
  });
});

for (const driver of testDrivers()) {
  describe(`reference, schema and anomaly checks over loaded versions on ${driver.name}`, () => {
    let h: Harness;
    let provinces = '';
    let people = '';
    let auth: Record<string, string>;
    const load = (id: string, text: string) => loadTable(h.database, id, () => Readable.from([Buffer.from(text)]));
    const run = async (id: string, checks: unknown[]) =>
      (
        await h.inject({
          method: 'POST',
          url: `/api/v1/distributions/${id}/quality/runs`,
          headers: auth,
          payload: { checks },
        })
      ).json();

    beforeAll(async () => {
      h = await startHarness(driver);
      const dataset = await buildDataset(h, { title_vi: 'Dân cư' });
      auth = dataset.user.auth;
      provinces = (await buildDistribution(h, { dataset, title_vi: 'Tỉnh', url: 'https://example.org/t.csv' })).id;
      people = (await buildDistribution(h, { dataset, title_vi: 'Người', url: 'https://example.org/n.csv' })).id;
      await load(provinces, 'ma_tinh,ten\n01,Hà Nội\n79,Hồ Chí Minh\n48,Đà Nẵng\n');
      // five versions of about 40 rows each, then the current one
      for (const n of [40, 41, 39, 40, 42])
        await load(
          people,
          ['id,ma_tinh,so', ...Array.from({ length: n }, (_, i) => `${i},${i % 2 ? '01' : '79'},${i}`)].join('\n'),
        );
    });
    afterAll(() => h.close());

    it("finds values missing from the referenced table (its own agency's, unpublished)", async () => {
      await load(
        people,
        [
          'id,ma_tinh,so',
          ...Array.from({ length: 41 }, (_, i) => `${i},${i % 10 === 0 ? '02' : i % 2 ? '01' : '79'},${i}`),
        ].join('\n'),
      );
      const r = await run(people, [
        { type: 'reference', column: 'ma_tinh', table: provinces, target_column: 'ma_tinh' },
      ]);
      expect(r.results[0]).toMatchObject({ status: 'failed', failures: 5, error_type: 'foreign-key' });
      expect(r.results[0].samples.map((s: { value: string }) => s.value)).toEqual(['02', '02', '02', '02', '02']);
      // the failing rows themselves, from the version the report ran on
      const csv = await h.inject({ method: 'GET', url: `/api/v1/quality/runs/${r.id}/checks/0/rows`, headers: auth });
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      const lines = csv.body.trim().split(/\r?\n/);
      expect(lines[0]).toBe('_row,id,ma_tinh,so');
      expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual(['02', '02', '02', '02', '02']);
      expect(lines[1]!.split(',')[0]).toBe('2'); // line 2 of the file: id 0
      expect((await h.inject({ method: 'GET', url: `/api/v1/quality/runs/${r.id}/checks/0/rows` })).statusCode).toBe(
        404,
      ); // an unpublished data set is not there for strangers
      expect(
        (await h.inject({ method: 'GET', url: `/api/v1/quality/runs/${r.id}/checks/5/rows`, headers: auth }))
          .statusCode,
      ).toBe(404);
      const missing = await run(people, [
        { type: 'reference', column: 'ma_tinh', table: crypto.randomUUID(), target_column: 'ma_tinh' },
      ]);
      expect(missing.results[0].status).toBe('error');
    });

    it('judges the row count against earlier versions, and sees a column that changed', async () => {
      const usual = await run(people, [
        { type: 'anomaly', metric: 'row_count' },
        { type: 'schema' },
        { type: 'anomaly', metric: 'mean', column: 'so' },
      ]);
      expect(usual.results[0]).toMatchObject({ status: 'passed', observed: { value: 41, history: 5 } });
      expect(usual.results[1].status).toBe('passed');
      expect(usual.results[2].status).toBe('passed');
      await load(
        people,
        ['id,ma_tinh,so,ghi_chu', ...Array.from({ length: 400 }, (_, i) => `${i},01,${i}.5,x`)].join('\n'),
      );
      const jump = await run(people, [{ type: 'anomaly', metric: 'row_count' }, { type: 'schema' }]);
      expect(jump.results[0]).toMatchObject({ status: 'failed', error_type: 'anomaly', observed: { value: 400 } });
      expect(jump.results[1]).toMatchObject({
        status: 'failed',
        observed: { added: ['ghi_chu'], retyped: [{ id: 'so', from: 'integer', to: 'number' }] },
      });
      const card = (await h.inject({ method: 'GET', url: '/api/v1/datasets/dan-cu/quality', headers: auth })).json();
      expect(card.dimensions.find((d: { id: string }) => d.id === 'unusual').score).toBe(0);
    });
  });
}
