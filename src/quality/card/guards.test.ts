import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { buildSession, buildTable, type Session } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';

// 20 rows, 3 columns: column `so` is empty on 6 rows, so 6 of the 60 cells (10%) are empty
const FILE = ['ma,ten,so', ...Array.from({ length: 20 }, (_, i) => `M${i},Xã ${i},${i % 10 < 3 ? '' : i}`)].join('\n');

for (const driver of testDrivers()) {
  describe(`a guard check neither adds points nor reads as a clean pass on ${driver.name}`, () => {
    let h: Harness;
    let editor: Session;
    let id = '';
    let slug = '';
    const completeness = async () =>
      (await h.inject({ method: 'GET', url: `/api/v1/datasets/${slug}/quality` }))
        .json()
        .dimensions.find((d: { id: string }) => d.id === 'completeness').score;

    beforeAll(async () => {
      h = await startHarness(driver);
      editor = await buildSession(h, { agency: 'bo-noi-vu' });
      const table = await buildTable(h, { user: editor, csv: FILE, update_frequency: 'ANNUAL' });
      id = table.id;
      slug = table.dataset.slug;
    });
    afterAll(() => h.close());

    it('keeps the completeness of a 10%-empty table the same before and after its suggested suite runs', async () => {
      expect(await completeness()).toBe(90);
      const suggestion = (
        await h.inject({ method: 'GET', url: `/api/v1/distributions/${id}/quality/suggestion`, headers: editor.auth })
      ).json().suite;
      expect(suggestion.checks).toContainEqual({ type: 'missing', column: 'so', max_percent: 30 });
      const put = await h.inject({
        method: 'PUT',
        url: `/api/v1/distributions/${id}/quality/suite`,
        headers: editor.auth,
        payload: suggestion,
      });
      expect(put.statusCode).toBe(200);
      const run = await h.inject({
        method: 'POST',
        url: `/api/v1/distributions/${id}/quality/runs`,
        headers: editor.auth,
        payload: {},
      });
      expect(run.statusCode).toBe(201);
      expect(await completeness()).toBe(90);
    });

    it('says a guard that holds is within the agreed threshold, never a bare "passed" beside its empty cells', async () => {
      const run = (
        await h.inject({ method: 'GET', url: `/api/v1/distributions/${id}/quality/runs`, headers: editor.auth })
      ).json().runs[0];
      const guard = run.results.find(
        (r: { check: { type: string; column?: string } }) => r.check.type === 'missing' && r.check.column === 'so',
      );
      expect(guard).toMatchObject({ status: 'passed', failures: 6, observed: { percent: 30, max_percent: 30 } });
      expect(guard.message.en).toBe('Column “so”: 6/20 (30%) cells empty, within the agreed threshold (at most 30%).');
      expect(guard.message.vi).toBe('Cột “so”: 6/20 (30%) ô trống, trong ngưỡng đã thống nhất (tối đa 30%).');
      const page = await h.inject({
        method: 'GET',
        url: `/dashboard/distributions/${id}/quality?lang=en`,
        headers: { cookie: editor.cookie },
      });
      expect(page.body).not.toMatch(/passed \(6\/20/);
      expect(page.body).toMatch(/Within the agreed threshold<\/td><td>Column “so”: 6\/20 \(30%\) cells empty/);
    });
  });
}
