import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { buildDataset } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { QualityService } from './quality.service.js';

for (const driver of testDrivers()) {
  describe(`overdue data sets on ${driver.name}`, () => {
    let h: Harness;
    let quality: QualityService;
    const made: Record<string, string> = {};

    beforeAll(async () => {
      h = await startHarness(driver);
      const make = async (agency: string, title: string, update_frequency: string, modified: string) => {
        const d = await buildDataset(h, {
          agency,
          title_vi: title,
          update_frequency: update_frequency as never,
          status: 'published',
        });
        await h.db
          .updateTable('datasets')
          .set({ modified: new Date(modified) })
          .where('id', '=', d.id)
          .execute();
        made[title] = d.slug;
      };
      await make('bo-tai-chinh', 'Thu ngân sách hằng tháng', 'MONTHLY', '2026-09-01T00:00:00Z'); // due 2026-10-01: 54 days late
      await make('bo-tai-chinh', 'Niên giám', 'ANNUAL', '2026-06-01T00:00:00Z'); // due 2027-06-01
      await make('bo-y-te', 'Ca bệnh hằng tuần', 'WEEKLY', '2026-11-01T00:00:00Z'); // due 2026-11-08: 16 days late
      await make('bo-y-te', 'Khảo sát đột xuất', 'IRREG', '2020-01-01T00:00:00Z'); // no schedule, never late
      quality = new QualityService(
        h.db,
        h.app.services.catalog.datasets,
        h.app.services.datastore,
        () => new Date('2026-11-24T00:00:00Z'),
      );
    });
    afterAll(() => h.close());

    it('lists the published data sets late on their own declared frequency, oldest debt first, per agency', async () => {
      const r = await quality.overdue();
      expect(r.total).toBe(2);
      expect(r.datasets.map((d) => [d.slug, d.days_overdue, d.due.slice(0, 10)])).toEqual([
        [made['Thu ngân sách hằng tháng'], 54, '2026-10-01'],
        [made['Ca bệnh hằng tuần'], 16, '2026-11-08'],
      ]);
      expect(r.by_agency.map((a) => [a.agency.slug, a.count]).sort()).toEqual([
        ['bo-tai-chinh', 1],
        ['bo-y-te', 1],
      ]);
      const mof = await quality.overdue((await h.app.services.masterData.agency('bo-tai-chinh')).id);
      expect(mof.datasets.map((d) => d.slug)).toEqual([made['Thu ngân sách hằng tháng']]);
    });

    it('answers the public API, per agency too', async () => {
      const all = (await h.inject({ method: 'GET', url: '/api/v1/quality/overdue' })).json();
      expect(all.total).toBeGreaterThanOrEqual(2);
      const yte = (await h.inject({ method: 'GET', url: '/api/v1/quality/overdue?agency=bo-y-te' })).json();
      expect(yte.datasets.map((d: { slug: string }) => d.slug)).toContain(made['Ca bệnh hằng tuần']);
      expect(yte.datasets.map((d: { slug: string }) => d.slug)).not.toContain(made['Thu ngân sách hằng tháng']);
      expect((await h.inject({ method: 'GET', url: '/api/v1/quality/overdue?agency=khong-co' })).statusCode).toBe(404);
    });

    it('shows the public overdue page, per agency', async () => {
      const page = await h.inject({ method: 'GET', url: '/overdue?agency=bo-y-te', headers: { accept: 'text/html' } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Dữ liệu quá hạn cập nhật');
      expect(page.body).toContain(`/dataset/${made['Ca bệnh hằng tuần']}`);
      expect(page.body).not.toContain(`/dataset/${made['Thu ngân sách hằng tháng']}`);
      expect(page.body).toContain('Hằng tuần');
    });
  });
}
