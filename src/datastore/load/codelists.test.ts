import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { buildDataset, buildDistribution } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { loadTable } from './loader.js';

for (const driver of testDrivers()) {
  describe(`code lists of administrative units on ${driver.name}`, () => {
    let h: Harness;
    let distributionId = '';
    beforeAll(async () => {
      h = await startHarness(driver);
      const dataset = await buildDataset(h, { agency: 'bo-noi-vu' });
      distributionId = (await buildDistribution(h, { dataset, url: 'https://example.org/a.csv' })).id;
    });
    afterAll(() => h.close());

    it('reports current, pre-2025 (with what they became) and unknown province codes, as written (1 is not 01)', async () => {
      // an old province code that is no longer a province code, and what it became, read from the crosswalk itself
      const old = (
        await sql<{
          old_code: string;
          old_name: string;
        }>`select old_code, old_name from unit_crosswalk where old_level = 'province'
        and old_code not in (select code from admin_units where level = 'province') order by old_code limit 1`.execute(
          h.db,
        )
      ).rows[0]!;
      const becomes = (
        await sql<{
          new_code: string;
        }>`select new_code from unit_crosswalk where old_level = 'province' and old_code = ${old.old_code} order by new_code`.execute(
          h.db,
        )
      ).rows.map((r) => r.new_code);
      expect(becomes.length).toBeGreaterThan(0);
      const file = [
        'ma_tinh,chi_tieu',
        '01,10',
        '1,11',
        `${old.old_code},12`,
        `${old.old_code},13`,
        '99,14',
        '79,15',
        ',16',
      ].join('\n');
      const schema = {
        fields: [
          { name: 'ma_tinh', type: 'string', 'ndp:codeList': 'vn-provinces' },
          { name: 'chi_tieu', type: 'integer' },
        ],
      };
      const r = await loadTable(h.database, distributionId, () => Readable.from([Buffer.from(file)]), schema as never);
      expect(r.codeLists).toHaveLength(1);
      const report = r.codeLists![0]!;
      expect(report).toMatchObject({
        column: 'ma_tinh',
        code_list: 'vn-provinces',
        rows_checked: 6,
        rows_current: 2,
        rows_old: 2,
        rows_unknown: 2,
      });
      expect(report.old[0]).toMatchObject({ code: old.old_code, rows: 2 });
      expect(report.old[0]!.becomes.map((b) => b.code)).toEqual(becomes);
      expect(report.unknown).toEqual([
        { code: '1', rows: 1 },
        { code: '99', rows: 1 },
      ]);
      // the report is kept with the version, for the API and the publisher's page
      const versions = await h.app.services.datastore.versionsOf(distributionId);
      expect((versions[0]!.report as { code_lists: unknown[] }).code_lists).toHaveLength(1);
    });

    it('prints codes as they are written, zeros kept: 00001 is an old commune, 1 is no code', async () => {
      const becomes = (
        await sql<{
          new_code: string;
        }>`select new_code from unit_crosswalk where old_level = 'commune' and old_code = '00001' order by new_code`.execute(
          h.db,
        )
      ).rows.map((r) => r.new_code);
      expect(becomes.length).toBeGreaterThan(0);
      const file = ['ma_xa,chi_tieu', '00001,1', '00004,2', '1,3', '01,4'].join('\n');
      const schema = {
        fields: [
          { name: 'ma_xa', type: 'string', 'ndp:codeList': 'vn-communes' },
          { name: 'chi_tieu', type: 'integer' },
        ],
      };
      const r = await loadTable(h.database, distributionId, () => Readable.from([Buffer.from(file)]), schema as never);
      const report = r.codeLists![0]!;
      expect(report).toMatchObject({ rows_checked: 4, rows_current: 1, rows_old: 1, rows_unknown: 2 });
      expect(report.old).toEqual([{ code: '00001', rows: 1, becomes: expect.any(Array) }]);
      expect(report.old[0]!.becomes.map((b) => b.code)).toEqual(becomes);
      expect(report.unknown.map((u) => u.code).sort()).toEqual(['01', '1']);
    });

    it('checks nothing when no column is tied to a code list', async () => {
      const r = await loadTable(h.database, distributionId, () => Readable.from([Buffer.from('ma_tinh,x\n02,1\n')]));
      expect(r.codeLists).toEqual([]);
    });
  });
}
