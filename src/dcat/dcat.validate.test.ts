import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { buildDataset } from '../../test/factories.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { DcatValidator } from './dcat.validate.js';
import { graphContextOf } from './dcat.routes.js';

for (const driver of testDrivers()) {
  describe(`DCAT-AP compliance of each record at run time on ${driver.name}`, () => {
    let h: Harness;
    let slug = '';
    beforeAll(async () => {
      h = await startHarness(driver);
      const d = await buildDataset(h, {
        title_vi: 'Ngân sách',
        description_vi: 'Chi ngân sách theo tỉnh',
        status: 'published',
      });
      slug = d.slug;
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
