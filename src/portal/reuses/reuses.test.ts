import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { citizenSession } from '../../../test/citizens.js';
import { buildAgencyUser, buildDataset, type AgencyUser, type Dataset } from '../../../test/factories.js';
import { createLogger } from '../../platform/logger.js';
import { datasetLookup } from '../datasets.js';
import type { Notice } from '../notify.js';
import { ReusesService } from './reuses.service.js';

const HTML = { accept: 'text/html' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const reuse = (datasets: string[], title = 'Bản đồ dân số tương tác') => ({
  kind: 'visualisation' as const,
  title,
  description: 'Bản đồ các tỉnh tô màu theo số dân, cập nhật mỗi năm.',
  url: 'https://example.org/ban-do-dan-so',
  image_url: 'https://example.org/ban-do.png',
  datasets,
});

/** Issue 20: reuses — submitted by a signed-in public user, shown with the data, moderated by the publisher. */
describe.each(testDrivers())('reuses ($name)', (driver) => {
  let h: Harness;
  let publisher: AgencyUser;
  let stranger: AgencyUser;
  let ds: Dataset;
  let person: Awaited<ReturnType<typeof citizenSession>>;
  const notices: Notice[] = [];
  let service: ReusesService;

  beforeAll(async () => {
    h = await startHarness(driver);
    publisher = await buildAgencyUser(h);
    stranger = await buildAgencyUser(h, { agency: 'bo-y-te' });
    ds = await buildDataset(h, { status: 'published', user: publisher });
    person = await citizenSession(h, '001090000301', 'Trần Thị Bình', 1);
    // the app's own notifier only logs; this service records what the publisher is told
    service = new ReusesService(h.db, {
      datasets: datasetLookup(h.app.services.catalog),
      notifier: { notify: async (n) => void notices.push(n) },
      logger: createLogger({ logLevel: 'silent' }),
    });
  }, 60_000);
  afterAll(() => h?.close());

  const datasetPage = () => h.inject({ method: 'GET', url: `/dataset/${ds.slug}`, headers: HTML });
  const api = (method: 'PUT' | 'DELETE' | 'POST', url: string, payload?: object) =>
    h.inject({ method, url, headers: { cookie: person.cookie, 'x-csrf-token': person.csrf }, payload });

  it('lives its whole life: submitted, shown, publisher told, edited, hidden with a reason, gone from lists', async () => {
    const r = await service.submit(person.user, reuse([ds.slug]));
    expect(notices).toEqual([
      expect.objectContaining({ to: { agencyId: ds.agencyId }, kind: 'reuse.submitted', link: `/reuses/${r.row.id}` }),
    ]);
    expect((await datasetPage()).body).toContain('Bản đồ dân số tương tác');
    const list = await h.inject({ method: 'GET', url: '/reuses' });
    expect(list.body).toContain('Bản đồ dân số tương tác');
    expect(list.body).toContain('Trực quan hóa');
    const english = await h.inject({ method: 'GET', url: '/reuses?lang=en' });
    expect(english.body).toContain('>1 reuse<');
    const listed = await h.inject({ method: 'GET', url: `/api/v1/reuses?dataset=${ds.slug}&kind=visualisation` });
    expect(listed.json()).toMatchObject({ total: 1, results: [{ id: r.row.id, datasets: [{ slug: ds.slug }] }] });
    expect(listed.json().results[0].submitted_by).toBe('Trần Thị Bình');
    expect(listed.json().results[0]).not.toHaveProperty('public_user_id');

    const edited = await api('PUT', `/api/v1/reuses/${r.row.id}`, reuse([ds.slug], 'Bản đồ dân số 34 tỉnh'));
    expect(edited.statusCode).toBe(200);
    expect((await datasetPage()).body).toContain('Bản đồ dân số 34 tỉnh');

    // another agency's editor cannot hide it; the publisher can, with a reason
    const refused = await h.inject({
      method: 'POST',
      url: `/api/v1/reuses/${r.row.id}/hide`,
      headers: stranger.auth,
      payload: { reason: 'Không liên quan' },
    });
    expect(refused.statusCode).toBe(403);
    const hidden = await h.inject({
      method: 'POST',
      url: `/api/v1/reuses/${r.row.id}/hide`,
      headers: publisher.auth,
      payload: { reason: 'Liên kết dẫn tới trang quảng cáo' },
    });
    expect(hidden.statusCode).toBe(200);
    expect(hidden.json()).toMatchObject({ status: 'hidden', hidden_reason: 'Liên kết dẫn tới trang quảng cáo' });
    const audit = await h.db.selectFrom('audit_log').selectAll().where('entity_id', '=', r.row.id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['reuse.submit', 'reuse.edit', 'reuse.hide']));
    expect(audit.find((a) => a.action === 'reuse.hide')).toMatchObject({ actor_user_id: publisher.userId });

    expect((await datasetPage()).body).not.toContain('Bản đồ dân số 34 tỉnh');
    expect((await h.inject({ method: 'GET', url: '/reuses' })).body).not.toContain('Bản đồ dân số 34 tỉnh');
    expect((await h.inject({ method: 'GET', url: `/api/v1/reuses?dataset=${ds.slug}` })).json().total).toBe(0);
    expect((await h.inject({ method: 'GET', url: `/reuses/${r.row.id}` })).statusCode).toBe(404);
    // its submitter still sees it, and why it was hidden
    const own = await h.inject({ method: 'GET', url: `/reuses/${r.row.id}`, headers: { cookie: person.cookie } });
    expect(own.body).toContain('Liên kết dẫn tới trang quảng cáo');
  });

  it('submits through the form, where a mistake is said by its field in Vietnamese and in English', async () => {
    const form = (lang: string, o: Record<string, string>) =>
      h.inject({
        method: 'POST',
        url: `/reuses/new${lang}`,
        headers: { cookie: person.cookie, ...FORM },
        payload: new URLSearchParams({ _csrf: person.csrf, kind: 'application', ...o }).toString(),
      });
    const bad = { title: 'A', description: 'ngắn', url: 'javascript:alert(1)', datasets: ds.slug };
    const vi = await form('', bad);
    expect(vi.statusCode).toBe(400);
    expect(vi.body).toContain('Địa chỉ phải là một liên kết http:// hoặc https://.');
    expect(vi.body).toContain('Tên phải dài từ 3 đến 200 ký tự.');
    const en = await form('?lang=en', bad);
    expect(en.body).toContain('The address must be an http:// or https:// link.');
    expect(en.body).toContain('The description must be 10 to 4,000 characters long.');
    const unknown = await form('?lang=en', {
      title: 'Ứng dụng tra cứu',
      description: 'Tra cứu số dân của từng tỉnh.',
      url: 'https://example.org/app',
      other: 'khong-co-that',
    });
    expect(unknown.body).toContain('No published data set: khong-co-that.');

    const ok = await form('', {
      title: 'Ứng dụng tra cứu dân số',
      description: 'Tra cứu số dân của từng tỉnh trên điện thoại.',
      url: 'https://example.org/app',
      datasets: ds.slug,
    });
    expect(ok.statusCode).toBe(303);
    const shown = await h.inject({
      method: 'GET',
      url: String(ok.headers.location),
      headers: { cookie: person.cookie },
    });
    expect(shown.body).toContain('Ứng dụng tra cứu dân số');
    expect(shown.body).toContain('Gỡ sản phẩm'); // the submitter may withdraw it
    const id = /\/reuses\/([0-9a-f-]{36})/.exec(String(ok.headers.location))![1]!;
    const edit = await h.inject({ method: 'GET', url: `/reuses/${id}/edit`, headers: { cookie: person.cookie } });
    expect(edit.body).toContain('value="Ứng dụng tra cứu dân số"');
    const other = await citizenSession(h, '001090000303', 'Phan Thị Dung', 1);
    expect(
      (await h.inject({ method: 'GET', url: `/reuses/${id}/edit`, headers: { cookie: other.cookie } })).statusCode,
    ).toBe(404);
    const withdrawn = await h.inject({
      method: 'POST',
      url: `/reuses/${id}/withdraw`,
      headers: { cookie: person.cookie, ...FORM },
      payload: new URLSearchParams({ _csrf: person.csrf }).toString(),
    });
    expect(withdrawn.statusCode).toBe(303);
    expect(
      (await h.inject({ method: 'GET', url: `/reuses/${id}`, headers: { cookie: person.cookie } })).statusCode,
    ).toBe(404);

    // the API says the same, in the language asked for
    const apiBad = await h.inject({
      method: 'POST',
      url: '/api/v1/reuses?lang=en',
      headers: { cookie: person.cookie, 'x-csrf-token': person.csrf },
      payload: { ...reuse([ds.slug]), url: 'ftp://example.org/x' },
    });
    expect(apiBad.statusCode).toBe(400);
    expect(apiBad.json().error.details).toEqual([
      expect.objectContaining({ field: 'url', message: 'The address must be an http:// or https:// link.' }),
    ]);
  });

  it('answers 401 to anyone not signed in, and sends a page visitor to sign in', async () => {
    const anon = await h.inject({ method: 'POST', url: '/api/v1/reuses', payload: reuse([ds.slug]) });
    expect(anon.statusCode).toBe(401);
    const staffOnly = await h.inject({
      method: 'POST',
      url: '/api/v1/reuses',
      headers: publisher.auth,
      payload: reuse([ds.slug]),
    });
    expect(staffOnly.statusCode).toBe(401);
    const form = await h.inject({ method: 'GET', url: '/reuses/new' });
    expect(form.statusCode).toBe(303);
    expect(form.headers.location).toMatch(/^\/auth\?next=/);
  });

  it('lets only its submitter edit or withdraw it, and bounds submissions to 5 a day', async () => {
    const other = await citizenSession(h, '001090000302', 'Lê Văn Cường', 1);
    const r = await service.submit(other.user, reuse([ds.slug], 'Bài viết về dân số'));
    expect((await api('PUT', `/api/v1/reuses/${r.row.id}`, reuse([ds.slug], 'Chiếm quyền'))).statusCode).toBe(404);
    expect((await api('DELETE', `/api/v1/reuses/${r.row.id}`)).statusCode).toBe(404);
    const gone = await h.inject({
      method: 'DELETE',
      url: `/api/v1/reuses/${r.row.id}`,
      headers: { cookie: other.cookie, 'x-csrf-token': other.csrf },
    });
    expect(gone.statusCode).toBe(204);
    expect((await h.inject({ method: 'GET', url: `/api/v1/reuses/${r.row.id}` })).statusCode).toBe(404);
    for (let i = 1; i < 5; i++) await service.submit(other.user, reuse([ds.slug], `Sản phẩm số ${i}`));
    await expect(service.submit(other.user, reuse([ds.slug], 'Sản phẩm thứ sáu'))).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
    });
  });
});
