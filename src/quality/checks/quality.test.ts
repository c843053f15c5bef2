import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { buildAgencyUser, buildTable } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { QualityService } from './quality.service.js';
import type { CheckResult, Suite } from './quality.schema.js';

// Each column has good values and, on known lines, bad ones; line numbers are the file's.
const FILE = [
  'ma_ho,ma_tinh,mst,cccd,dien_thoai,email,so_tien,ngay,loai,ma_buu_chinh',
  'A1,01,0100233488,001099012345,0912345678,a@b.vn,100,2026-11-01,x,10000', // line 2: all good
  'A2,79,0314409058-002,079203000001,+84 912 345 678,c@d.vn,250.5,2026-10-15,y,70000', // line 3: all good
  'A3,99,0100233480,999099012345,012345,not-an-email,-5,2026-09-01,z,1000', // line 4: all bad
  'A4,79,,,,,,2026-08-01,x,', // line 5: empty cells
  'A1,01,0100233488,001399012345,02438254567,e@f.vn,99999,2026-07-01,x,10000', // line 6: duplicate id; CCCD born 2099
].join('\n');

const SUITE: Suite = {
  checks: [
    { type: 'row_count', min: 1, max: 10 },
    { type: 'missing', column: 'mst' },
    { type: 'missing', column: 'email', max_percent: 50 },
    { type: 'duplicates', columns: ['ma_ho'] },
    { type: 'in_set', column: 'loai', values: ['x', 'y'] },
    { type: 'code_list', column: 'ma_tinh', list: 'vn-provinces' },
    { type: 'pattern', column: 'ma_ho', regex: 'A[0-9]+' },
    { type: 'format', column: 'mst', format: 'mst' },
    { type: 'format', column: 'cccd', format: 'cccd' },
    { type: 'format', column: 'dien_thoai', format: 'phone_vn' },
    { type: 'format', column: 'email', format: 'email' },
    { type: 'format', column: 'ma_buu_chinh', format: 'postal_code_vn' },
    { type: 'bounds', column: 'so_tien', min: 0, max: 1000 },
    { type: 'freshness', column: 'ngay', max_age_days: 30 },
    { type: 'bounds', column: 'loai', min: 0 },
    { type: 'missing', column: 'khong_co' },
    { type: 'pattern', column: 'ma_ho', regex: '(' },
  ],
};

for (const driver of testDrivers()) {
  describe(`quality checks on ${driver.name}`, () => {
    let h: Harness;
    let distributionId = '';
    let auth: Record<string, string>;
    let results: CheckResult[] = [];

    beforeAll(async () => {
      h = await startHarness(driver);
      const user = await buildAgencyUser(h);
      auth = user.auth;
      const p = user.principal;
      distributionId = (
        await buildTable(h, {
          user,
          fileName: 'ho_so.csv',
          csv: FILE,
          // codes keep their zeros: the file's Table Schema says text for code columns
          schema: {
            fields: ['ma_ho', 'ma_tinh', 'mst', 'cccd', 'dien_thoai', 'email', 'loai', 'ma_buu_chinh']
              .map((name) => ({ name, type: 'string' }))
              .concat([
                { name: 'so_tien', type: 'number' },
                { name: 'ngay', type: 'date' },
              ]),
          },
        })
      ).id;
      // a fixed clock: 2026-11-24, so the newest date (2026-11-01) is 23 days old
      const quality = new QualityService(
        h.db,
        h.app.services.catalog.datasets,
        h.app.services.datastore,
        () => new Date('2026-11-24T00:00:00Z'),
      );
      const run = await quality.run(p, distributionId, SUITE);
      results = run.results as CheckResult[];
    });
    afterAll(() => h.close());

    const result = (i: number) => results[i]!;

    it('passes what holds and fails what does not, with counts and failing rows by line', () => {
      expect(result(0)).toMatchObject({ status: 'passed', observed: { rows: 5 } });
      expect(result(1)).toMatchObject({
        status: 'failed',
        failures: 1,
        error_type: 'missing-cell',
        samples: [{ row: 5 }],
      });
      expect(result(2)).toMatchObject({ status: 'passed', failures: 1 }); // 20% empty, 50% allowed
      expect(result(3)).toMatchObject({
        status: 'failed',
        failures: 2,
        observed: { groups: 1 },
        error_type: 'duplicate-row',
      });
      expect(result(3).samples!.map((s) => s.row)).toEqual([2, 6]);
      expect(result(4)).toMatchObject({ status: 'failed', failures: 1, samples: [{ row: 4, value: 'z' }] });
      expect(result(5)).toMatchObject({ status: 'failed', failures: 1, samples: [{ row: 4, value: '99' }] });
      expect(result(6)).toMatchObject({ status: 'passed', failures: 0 });
    });

    it('checks Vietnamese formats: MST check digit, CCCD province and birth year, phones, e-mail, postal codes', () => {
      expect(result(7)).toMatchObject({ status: 'failed', failures: 1, samples: [{ row: 4, value: '0100233480' }] });
      expect(result(8).samples!.map((s) => s.row)).toEqual([4, 6]);
      expect(result(9)).toMatchObject({ status: 'failed', failures: 1, samples: [{ row: 4, value: '012345' }] });
      expect(result(10)).toMatchObject({ status: 'failed', failures: 1, samples: [{ row: 4 }] });
      expect(result(11)).toMatchObject({ status: 'failed', failures: 1, samples: [{ row: 4, value: '1000' }] });
      expect(result(8).message.en).toMatch(/citizen ID/);
      expect(result(8).message.vi).toMatch(/CCCD/);
    });

    it('checks numeric bounds and freshness against the clock', () => {
      expect(result(12)).toMatchObject({ status: 'failed', failures: 2 });
      expect(result(12).samples!.map((s) => s.row)).toEqual([4, 6]);
      expect(result(13)).toMatchObject({ status: 'passed', observed: { age_days: 23 } });
    });

    it('says when a check cannot be evaluated, and never passes it', () => {
      expect(result(14)).toMatchObject({ status: 'error' });
      expect(result(14).message.en).toMatch(/not numeric/);
      expect(result(15)).toMatchObject({ status: 'error' });
      expect(result(15).message.vi).toMatch(/khong_co/);
      expect(result(16)).toMatchObject({ status: 'error' });
    });

    it('keeps suites and immutable reports through the API, for the publishing agency only', async () => {
      const put = await h.inject({
        method: 'PUT',
        url: `/api/v1/distributions/${distributionId}/quality/suite`,
        headers: auth,
        payload: {
          checks: [
            { type: 'missing', column: 'mst' },
            { type: 'bounds', column: 'so_tien', max: 1e6 },
            { type: 'structure' },
          ],
        },
      });
      expect(put.statusCode).toBe(200);
      const bad = await h.inject({
        method: 'PUT',
        url: `/api/v1/distributions/${distributionId}/quality/suite`,
        headers: auth,
        payload: { checks: [{ type: 'missing' }] },
      });
      expect(bad.statusCode).toBe(400);
      const run = await h.inject({
        method: 'POST',
        url: `/api/v1/distributions/${distributionId}/quality/runs`,
        headers: auth,
        payload: {},
      });
      expect(run.statusCode).toBe(201);
      // the stored file is well formed: the structure check passes
      expect(run.json().summary).toEqual({ passed: 2, failed: 1, errors: 0 });
      expect(run.json().results[2]).toMatchObject({ status: 'passed', rows_checked: 5 });
      const list = (
        await h.inject({ method: 'GET', url: `/api/v1/distributions/${distributionId}/quality/runs`, headers: auth })
      ).json().runs;
      expect(list).toHaveLength(2);
      expect((await h.inject({ method: 'GET', url: `/api/v1/quality/runs/${run.json().id}` })).statusCode).toBe(401);
      const other = await h.tokenFor('bo-y-te', 'agency_editor');
      expect(
        (
          await h.inject({
            method: 'POST',
            url: `/api/v1/distributions/${distributionId}/quality/runs`,
            headers: { authorization: `Bearer ${other.token}` },
            payload: {},
          })
        ).statusCode,
      ).toBe(403);
      await expect(
        h.db.updateTable('quality_runs').set({ passed: 99 }).where('id', '=', run.json().id).execute(),
      ).rejects.toThrow(/immutable/);
    });

    it('reports the structure of the stored file with Frictionless error types', async () => {
      const t = await buildAgencyUser(h);
      const content = fs.readFileSync(new URL('../../../test/fixtures/frictionless_invalid.csv', import.meta.url));
      const { id } = await buildTable(h, { user: t, status: 'draft', fileName: 'invalid.csv', csv: content });
      const run = await h.inject({
        method: 'POST',
        url: `/api/v1/distributions/${id}/quality/runs`,
        headers: { authorization: `Bearer ${t.token}` },
        payload: { checks: [{ type: 'structure' }] },
      });
      expect(run.statusCode).toBe(201);
      expect(run.json().results[0]).toMatchObject({
        status: 'failed',
        failures: 8,
        observed: {
          counts: { 'blank-label': 1, 'duplicate-label': 1, 'missing-cell': 4, 'blank-row': 1, 'extra-cell': 1 },
        },
      });
    });

    it('suggests a suite from the data profile that the data passes, for the publisher to accept', async () => {
      const suggestion = (
        await h.inject({
          method: 'GET',
          url: `/api/v1/distributions/${distributionId}/quality/suggestion`,
          headers: auth,
        })
      ).json().suite;
      const types = suggestion.checks.map((c: { type: string; column?: string; format?: string; list?: string }) => [
        c.type,
        c.column ?? '',
        c.format ?? c.list ?? '',
      ]);
      expect(types).toContainEqual(['format', 'mst', 'mst']);
      expect(types).toContainEqual(['code_list', 'ma_tinh', 'vn-provinces']);
      expect(types).toContainEqual(['format', 'email', 'email']);
      expect(suggestion.checks).toContainEqual({ type: 'bounds', column: 'so_tien', min: -5, max: 99999 });
      expect(suggestion.checks).toContainEqual({ type: 'missing', column: 'ma_ho', max_count: 0 });
      // the rules that describe today's data: every profile-derived rule passes (format and code rules may not)
      const run = (
        await h.inject({
          method: 'POST',
          url: `/api/v1/distributions/${distributionId}/quality/runs`,
          headers: auth,
          payload: {
            checks: suggestion.checks.filter((c: { type: string }) => !['format', 'code_list'].includes(c.type)),
          },
        })
      ).json();
      expect(run.summary.failed).toBe(0);
      expect(run.summary.errors).toBe(0);
    });

    it("scores the data set's metadata with the MQA method through the API", async () => {
      const slug = (await h.app.services.catalog.datasets.findDistribution(distributionId))!.dataset_id;
      const r = (await h.inject({ method: 'GET', url: `/api/v1/datasets/${slug}/quality/metadata` })).json();
      expect(r.max).toBe(405);
      expect(r.dimensions.accessibility).toEqual({ points: 100, max: 100 }); // one stored file, served by the platform
      expect(r.improvements[0].gain).toBeGreaterThanOrEqual(r.improvements[r.improvements.length - 1].gain);
      expect(r.improvements.map((i: { indicator: string }) => i.indicator)).toContain('keywords');
    });
  });
}
