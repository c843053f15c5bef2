import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { buildAgencyUser, buildDataset, buildDistribution, type AgencyUser } from '../../../test/factories.js';

/** Related data sets: found by theme, place, dictionary field and agency, scored, bounded, each saying why. */
describe.each(testDrivers())('related data sets ($name)', (driver) => {
  let h: Harness;
  let finance: AgencyUser;
  let other: AgencyUser;

  beforeAll(async () => {
    h = await startHarness(driver);
    finance = await buildAgencyUser(h, { agency: 'bo-tai-chinh' });
    other = await buildAgencyUser(h, { agency: '000.00.00.G15' });
  }, 180_000);
  afterAll(() => h?.close());

  /** a published data set whose one file's schema names a dictionary field */
  const withField = async (user: AgencyUser, title: string, field: string) => {
    const dataset = await buildDataset(h, { user, title_vi: title });
    const file = await buildDistribution(h, { dataset });
    const { catalog } = h.app.services;
    const schema = await catalog.dictionary.resolveSchema({ fields: [{ name: 'ma_tinh', dictionary: field }] });
    await catalog.datasets.setTableSchema(user.principal, file.id, schema);
    await catalog.datasets.setStatus(user.principal, dataset.id, 'published');
    return dataset;
  };

  it('lists what shares a theme, a place, a dictionary field or the agency, with why, at most 5', async () => {
    const { catalog } = h.app.services;
    await catalog.dictionary.create(finance.principal, {
      id: 'ma_tinh_lq',
      label_vi: 'Mã tỉnh (liên quan)',
      label_en: 'Province code (related)',
      type: 'string',
      agency_id: finance.agencyId,
    });
    const base = await withField(finance, 'Thu ngân sách theo tỉnh', 'ma_tinh_lq');
    await catalog.datasets.update(finance.principal, base.id, { themes: ['ECON'], spatial: ['01'] });
    await withField(other, 'Chi thường xuyên theo tỉnh', 'ma_tinh_lq');
    await buildDataset(h, { user: other, status: 'published', title_vi: 'Giá tiêu dùng', themes: ['ECON'] });
    await buildDataset(h, { user: other, status: 'published', title_vi: 'Trường học Hà Nội', spatial: ['01'] });
    await buildDataset(h, { user: finance, status: 'published', title_vi: 'Nợ công' });
    await buildDataset(h, { user: other, status: 'published', title_vi: 'Chất lượng nước', themes: ['ENVI'] });
    await buildDataset(h, { user: other, title_vi: 'Bản nháp kinh tế', themes: ['ECON'] });

    const related = await catalog.related.of(await catalog.datasets.get(finance.principal, base.slug));
    const titles = related.map((r) => r.dataset.title_vi);
    expect(titles).toEqual(
      expect.arrayContaining(['Chi thường xuyên theo tỉnh', 'Giá tiêu dùng', 'Trường học Hà Nội', 'Nợ công']),
    );
    expect(titles).not.toContain('Chất lượng nước');
    expect(titles).not.toContain('Bản nháp kinh tế');
    expect(titles).not.toContain('Thu ngân sách theo tỉnh');
    expect(titles.indexOf('Nợ công')).toBe(titles.length - 1); // the agency alone weighs least
    expect(related.length).toBeLessThanOrEqual(5);

    const html = (await h.inject({ method: 'GET', url: `/dataset/${base.slug}`, headers: { accept: 'text/html' } }))
      .body;
    expect(html).toContain('Dữ liệu liên quan');
    expect(html).toContain('cùng trường dữ liệu: Mã tỉnh (liên quan)');
    expect(html).toContain('cùng chủ đề: Kinh tế và tài chính');
    expect(html).toContain('cùng địa bàn: Thành phố Hà Nội');
    expect(html).toContain('cùng cơ quan');
    const en = (
      await h.inject({ method: 'GET', url: `/dataset/${base.slug}?lang=en`, headers: { accept: 'text/html' } })
    ).body;
    expect(en).toContain('same theme: Economy and finance');
  });
});
