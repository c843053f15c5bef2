import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import {
  buildDataset,
  buildDistribution,
  buildTable,
  GOOGLEBOT_UA,
  visit,
  type Dataset,
  type Distribution,
} from '../../../test/factories.js';

/** The figure of a row of the page's counts table ("Lượt xem", "Lượt tải"), total then last 30 days. */
const countsOf = (html: string) => {
  const box = html.slice(html.indexOf('class="counts"'));
  const cell = (what: string) => new RegExp(`data-count="${what}">([^<]+)<`).exec(box)?.[1];
  return { views: cell('views'), downloads: cell('downloads') };
};

describe.each(testDrivers())('views and downloads ($name)', (driver) => {
  let h: Harness;
  let dataset: Dataset;
  let file: Distribution;
  const flush = () => h.app.portal.counts.flush();

  beforeAll(async () => {
    h = await startHarness(driver);
    dataset = await buildDataset(h, { title_vi: 'Số lượt khách du lịch năm 2025', status: 'published' });
    file = await buildDistribution(h, { dataset, title_vi: 'Bảng khách du lịch' });
  });
  afterAll(() => h?.close());

  it('counts a person’s view of a data set page once a day, and leaves out robots, no User-Agent and HEAD', async () => {
    const url = `/dataset/${dataset.slug}`;
    for (let i = 0; i < 3; i++) expect((await visit(h, url)).statusCode).toBe(200);
    await visit(h, url, { ip: '198.51.100.20' }); // another person
    await visit(h, url, { ua: GOOGLEBOT_UA, ip: '66.249.66.1' });
    await visit(h, url, { ua: null, ip: '198.51.100.21' });
    await visit(h, url, { method: 'HEAD', ip: '198.51.100.22' });
    await flush();
    const page = await visit(h, `${url}?lang=en`);
    expect(countsOf(page.body)).toEqual({ views: '2', downloads: '0' });
    expect(page.body).toContain('Views and downloads');
    // nothing that could tell who visited: the days hold counts only
    const rows = await h.db.selectFrom('usage_daily').selectAll().where('dataset_id', '=', dataset.id).execute();
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!).sort()).toEqual(['dataset_id', 'day', 'distribution_id', 'downloads', 'views']);
    expect(rows[0]!.views).toBe(2);
  });

  it('counts a download per file, once per visitor, on the page and per file', async () => {
    const url = `/api/v1/distributions/${file.id}/download`;
    expect((await visit(h, url, { ip: '198.51.100.30' })).statusCode).toBe(200);
    await visit(h, url, { ip: '198.51.100.30' });
    await visit(h, url, { ip: '198.51.100.31' });
    await visit(h, url, { ip: '66.249.66.1', ua: GOOGLEBOT_UA });
    await visit(h, url, { ip: '198.51.100.32', method: 'HEAD' });
    await flush();
    const page = await visit(h, `/dataset/${dataset.slug}`);
    expect(countsOf(page.body).downloads).toBe('2');
    expect(page.body).toContain('Bảng khách du lịch: lượt xem bảng 0, lượt tải 2');
    const rows = await h.db
      .selectFrom('usage_daily')
      .select(['downloads'])
      .where('distribution_id', '=', file.id)
      .execute();
    expect(rows.map((r) => r.downloads)).toEqual([2]);
  });

  it('counts a table page’s views as its file’s', async () => {
    const table = await buildTable(h, { title_vi: 'Dân số theo tỉnh có bảng' });
    const url = `/dataset/${table.dataset.slug}/table/${table.id}`;
    expect((await visit(h, url)).statusCode).toBe(200);
    await visit(h, url);
    await visit(h, url, { ua: GOOGLEBOT_UA });
    await flush();
    const page = await visit(h, `/dataset/${table.dataset.slug}`);
    expect(page.body).toMatch(/: lượt xem bảng 1, lượt tải 0/);
  });

  it('does not count a draft data set', async () => {
    const draft = await buildDataset(h, { title_vi: 'Bản nháp chưa công bố' });
    await visit(h, `/dataset/${draft.slug}`, { headers: { authorization: draft.user.auth.authorization } });
    await flush();
    const rows = await h.db.selectFrom('usage_daily').selectAll().where('dataset_id', '=', draft.id).execute();
    expect(rows).toEqual([]);
  });

  it('shows views, downloads (Vietnamese numbers) and the quality grade in search results', async () => {
    const big = await buildDataset(h, { title_vi: 'Lượng mưa trung bình tháng', status: 'published' });
    await h.db.insertInto('usage_totals').values({ dataset_id: big.id, views: 12345, downloads: 1234 }).execute();
    await h.app.services.cards.snapshot(big.id, 'request');
    const grade = (await h.app.services.cards.grades([big.id])).get(big.id);
    expect(grade).toMatch(/^[A-E]$/);
    const vi = await visit(h, '/datasets?q=luong%20mua%20trung%20binh');
    expect(vi.body).toContain('Lượt xem 12.345 · lượt tải 1.234');
    expect(vi.body).toContain(`Chất lượng: hạng ${grade}`);
    const en = await visit(h, '/datasets?q=luong%20mua%20trung%20binh&lang=en');
    expect(en.body).toContain('Views 12,345 · downloads 1,234');
    expect(en.body).toContain(`Quality: grade ${grade}`);
  });

  it('sorts search results by views and by downloads (page, API and CKAN)', async () => {
    const mk = (title: string) => buildDataset(h, { title_vi: title, keywords: ['xephang'], status: 'published' });
    const [a, b, c] = [await mk('Xếp hạng A'), await mk('Xếp hạng B'), await mk('Xếp hạng C')];
    // b: three people's views; a: one view; c: none (newest, so first by date)
    for (const ip of ['198.51.100.41', '198.51.100.42', '198.51.100.43']) await visit(h, `/dataset/${b.slug}`, { ip });
    await visit(h, `/dataset/${a.slug}`, { ip: '198.51.100.44' });
    await flush();
    const api = await h.inject({ method: 'GET', url: '/api/v1/datasets?keyword=xephang&sort=views_desc' });
    expect(api.statusCode).toBe(200);
    expect(api.json().results.map((d: { slug: string }) => d.slug)).toEqual([b.slug, a.slug, c.slug]);
    const page = await visit(h, '/datasets?keyword=xephang&sort=views_desc');
    const order = [a, b, c].map((d) => ({ slug: d.slug, at: page.body.indexOf(`/dataset/${d.slug}"`) }));
    expect(order.sort((x, y) => x.at - y.at).map((x) => x.slug)).toEqual([b.slug, a.slug, c.slug]);
    expect(page.body).toMatch(/<option value="views_desc" selected>Xem nhiều nhất/);
    const ckan = await h.inject({
      method: 'GET',
      url: '/api/3/action/package_search?fq=tags:xephang&sort=views_recent%20desc',
    });
    expect(ckan.json().result.results.map((p: { name: string }) => p.name)).toEqual([b.slug, a.slug, c.slug]);
    const total = await h.inject({
      method: 'GET',
      url: '/api/3/action/package_search?fq=tags:xephang&sort=views_total%20desc',
    });
    expect(total.json().result.results[0].name).toBe(b.slug);
    // downloads: the 1,234 written as a total, then the file downloaded twice above
    const downloads = await h.inject({ method: 'GET', url: '/api/v1/datasets?sort=downloads_desc&limit=2' });
    expect(downloads.json().results.map((d: { title_vi: string }) => d.title_vi)).toEqual([
      'Lượng mưa trung bình tháng',
      'Số lượt khách du lịch năm 2025',
    ]);
  });

  it('gives CKAN’s tracking_summary with include_tracking=true, on the package and each resource', async () => {
    const show = await h.inject({
      method: 'GET',
      url: `/api/3/action/package_show?id=${dataset.slug}&include_tracking=true`,
    });
    const pkg = show.json().result;
    expect(pkg.tracking_summary).toEqual({ total: 2, recent: 2 });
    const res = pkg.resources.find((r: { id: string }) => r.id === file.id);
    expect(res.tracking_summary).toEqual({ total: 2, recent: 2 });
    const plain = await h.inject({ method: 'GET', url: `/api/3/action/package_show?id=${dataset.slug}` });
    expect(plain.json().result.tracking_summary).toBeUndefined();
    const search = await h.inject({
      method: 'GET',
      url: '/api/3/action/package_search?q=khach%20du%20lich&include_tracking=true',
    });
    expect(search.json().result.results[0].tracking_summary).toEqual({ total: 2, recent: 2 });
  });

  it('the home page’s downloads and "most used" come from the counts', async () => {
    const home = (await visit(h, '/')).body;
    // 2 downloads counted above, and the 1,234 written as a total
    expect(home).toContain('<strong>1.236</strong> lượt tải về');
    const mostUsed = home.slice(home.indexOf('Được tải nhiều nhất'));
    expect(mostUsed).toMatch(/Lượng mưa trung bình tháng[\s\S]*Số lượt khách du lịch năm 2025/);
  });
});

/** Without the in-memory index (or while it loads), PostgreSQL orders by the same ranking. */
describe.each(testDrivers())('sorts by use without the search index ($name)', (driver) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(driver, { NDP_SEARCH_INDEX: 'false' });
  });
  afterAll(() => h?.close());

  it('orders by views, then by date', async () => {
    const mk = (title: string) => buildDataset(h, { title_vi: title, keywords: ['xephang'], status: 'published' });
    const [a, b, c] = [await mk('Xếp hạng A'), await mk('Xếp hạng B'), await mk('Xếp hạng C')];
    for (const ip of ['198.51.100.41', '198.51.100.42']) await visit(h, `/dataset/${a.slug}`, { ip });
    await visit(h, `/dataset/${b.slug}`);
    await h.app.portal.counts.flush();
    const api = await h.inject({ method: 'GET', url: '/api/v1/datasets?keyword=xephang&sort=views_desc' });
    expect(api.json().results.map((d: { slug: string }) => d.slug)).toEqual([a.slug, b.slug, c.slug]);
  });
});
