import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { DcatValidator } from './dcat.validate.js';
import { graphContextOf } from './dcat.routes.js';

for (const driver of testDrivers()) {
  describe(`DCAT-AP compliance of each record at run time on ${driver.name}`, () => {
    let h: Harness;
    let slug = '';
    beforeAll(async () => {
      h = await startHarness(driver);
      const t = await h.tokenFor('bo-tai-chinh', 'agency_editor');
      const p = await h.app.services.accounts.fromToken(t.token);
      const d = await h.app.services.catalog.datasets.create(p, {
        agency_id: t.agencyId,
        title_vi: 'Ngân sách',
        description_vi: 'Chi ngân sách theo tỉnh',
        licence_id: 'CC-BY-4.0',
        access_rights: 'public',
      });
      await h.app.services.catalog.datasets.addLink(p, d.dataset.id, {
        title_vi: 'CSV',
        url: 'https://example.org/ngan-sach.csv',
      });
      await h.app.services.catalog.datasets.setStatus(p, d.dataset.id, 'published');
      slug = d.dataset.slug;
    });
    afterAll(() => h.close());

    it('passes the mandatory and range shapes, and the MQA indicator says so', async () => {
      const mqa = (await h.inject({ method: 'GET', url: `/api/v1/datasets/${slug}/quality/metadata` })).json();
      expect(mqa.indicators.find((i: { id: string }) => i.id === 'dcat_ap_compliance')).toMatchObject({
        assessed: true,
        points: 30,
      });
    });

    it('finds the violation when a mandatory property is missing', async () => {
      const validator = new DcatValidator(graphContextOf(h.app.services.masterData, 'https://data.example.vn'));
      const view = await h.app.services.catalog.datasets.get({ kind: 'anonymous' } as never, slug);
      const broken = { ...view, dataset: { ...view.dataset, description_vi: '', description_en: null } };
      const found = await validator.violations(broken as never);
      expect(found.map((v) => v.path)).toContain('http://purl.org/dc/terms/description');
      expect(await validator.compliant(view)).toBe(true);
    });
  });
}
