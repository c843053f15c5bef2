import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { buildAgencyUser, buildTable } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import type { CheckResult } from './quality.schema.js';

// 01: a province; 00004: Phường Ba Đình, a commune of 2025; 00001: Phường Phúc Xá, abolished in 2025 (merged into
// Ba Đình), whose digits without zeros are province 01's
// so: province codes in a column loaded as numbers (its zeros lost), read at a province code's width
const FILE = ['ma,ghi_chu,so', '01,tinh,1', '00004,xa,79', '00001,xa cu,99', '1,khong phai ma,4'].join('\n');

for (const driver of testDrivers()) {
  describe(`code_list checks compare codes as text on ${driver.name}`, () => {
    let h: Harness;
    let results: CheckResult[] = [];
    beforeAll(async () => {
      h = await startHarness(driver);
      const user = await buildAgencyUser(h);
      const { id } = await buildTable(h, {
        user,
        csv: FILE,
        schema: {
          fields: [
            { name: 'ma', type: 'string' },
            { name: 'ghi_chu', type: 'string' },
            { name: 'so', type: 'integer' },
          ],
        },
      });
      const run = await h.app.services.quality.run(user.principal, id, {
        checks: [
          { type: 'code_list', column: 'ma', list: 'vn-provinces' },
          { type: 'code_list', column: 'ma', list: 'vn-communes' },
          { type: 'code_list', column: 'ma', list: 'vn-admin-units' },
          { type: 'code_list', column: 'so', list: 'vn-provinces' },
        ],
      });
      results = run.results as CheckResult[];
    });
    afterAll(() => h.close());

    const failingValues = (r: CheckResult) => r.samples!.map((s) => s.value);

    it('does not take commune 00001 for province 01, nor 1 for 01', () => {
      expect(results[0]).toMatchObject({ status: 'failed', failures: 3 });
      expect(failingValues(results[0]!)).toEqual(['00004', '00001', '1']);
    });

    it('fails an abolished commune code against the 2025 list, as a commune and as any unit', () => {
      expect(results[1]).toMatchObject({ status: 'failed', failures: 3 });
      expect(failingValues(results[1]!)).toEqual(['01', '00001', '1']);
      expect(results[2]).toMatchObject({ status: 'failed', failures: 2 });
      expect(failingValues(results[2]!)).toEqual(['00001', '1']);
    });

    it('reads a code column loaded as numbers at the code width (1 is province 01)', () => {
      expect(results[3]).toMatchObject({ status: 'failed', failures: 1, samples: [{ row: 4, value: 99 }] });
    });
  });
}
