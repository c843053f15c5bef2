import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { buildTable, loadDistribution } from '../../../test/factories.js';

/** A data set's public change history: table versions with what changed, metadata changes, publication. */
describe.each(testDrivers())('change history ($name)', (driver) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(driver);
  }, 180_000);
  afterAll(() => h?.close());

  it('lists a new version with its rows and columns, the fields changed, publication, and no staff', async () => {
    const table = await buildTable(h, { title_vi: 'Dân số các tỉnh (lịch sử)' });
    const { dataset } = table;
    await loadDistribution(h, table, {
      content:
        'ma_tinh,ten_tinh,dan_so,dien_tich\n01,Hà Nội,8435650,3359.8\n79,Hồ Chí Minh,14002598,6772.6\n48,Đà Nẵng,3065628,11859.6\n31,Hải Phòng,4664124,3194.7\n',
    });
    await h.app.services.catalog.datasets.update(dataset.user.principal, dataset.id, {
      description_vi: 'Số dân và diện tích.',
    });

    const api = await h.inject({ method: 'GET', url: `/api/v1/datasets/${dataset.slug}/history` });
    expect(api.statusCode).toBe(200);
    const entries = api.json().history as { kind: string }[];
    expect(entries[0]).toMatchObject({ kind: 'metadata', fields: ['description_vi'] });
    expect(entries).toContainEqual(
      expect.objectContaining({ kind: 'version', version: 2, rows: 4, rowsBefore: 3, columnsAdded: ['dien_tich'] }),
    );
    expect(entries.map((e) => e.kind)).toEqual(expect.arrayContaining(['published', 'file_added', 'created']));

    const page = await h.inject({ method: 'GET', url: `/dataset/${dataset.slug}/history` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('phiên bản 2: 4 dòng; trước đó 3 dòng; thêm cột: dien_tich');
    expect(page.body).toContain('Sửa thông tin mô tả: mô tả (tiếng Việt)');
    expect(page.body).toContain('Công bố');
    expect(page.body).not.toContain(dataset.user.email);
    expect(page.body).not.toContain('Test agency_editor');
    const en = await h.inject({ method: 'GET', url: `/dataset/${dataset.slug}/history?lang=en` });
    expect(en.body).toContain('version 2: 4 rows; 3 rows before; columns added: dien_tich');
    // the data set's page links to it
    const datasetPage = await h.inject({
      method: 'GET',
      url: `/dataset/${dataset.slug}`,
      headers: { accept: 'text/html' },
    });
    expect(datasetPage.body).toContain(`href="/dataset/${dataset.slug}/history"`);
    // CKAN's activity stream says the same
    const ckan = await h.inject({ method: 'GET', url: `/api/3/action/package_activity_list?id=${dataset.slug}` });
    const activities = ckan.json().result as { activity_type: string; data: { ndp_change: { kind: string } } }[];
    expect(activities[0]).toMatchObject({
      activity_type: 'changed package',
      data: { ndp_change: { kind: 'metadata' } },
    });
    expect(activities.at(-1)).toMatchObject({ activity_type: 'new package' });
    // a draft's history is as hidden as the draft
    const draft = await buildTable(h, { status: 'draft' });
    expect((await h.inject({ method: 'GET', url: `/dataset/${draft.dataset.slug}/history` })).statusCode).toBe(404);
  });
});
