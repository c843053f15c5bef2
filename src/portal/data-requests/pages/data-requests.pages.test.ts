import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../../test/drivers.js';
import { startHarness, type Harness } from '../../../../test/harness.js';
import { citizenSession } from '../../../../test/citizens.js';
import { buildDataset, buildSession, type Session } from '../../../../test/factories.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** The data requests' pages as a requester, an officer and anyone see them, in Vietnamese and English. */
describe.each(testDrivers())('data request pages ($name)', (driver) => {
  let h: Harness;
  let person: Awaited<ReturnType<typeof citizenSession>>;
  let officer: Session;
  let stranger: Session;

  beforeAll(async () => {
    h = await startHarness(driver);
    person = await citizenSession(h, '001090000031', 'Vũ Thị Giang', 1);
    officer = await buildSession(h, { agency: '000.00.00.G01' });
    stranger = await buildSession(h, { agency: '000.00.00.G15' });
  }, 180_000);
  afterAll(() => h?.close());

  const get = (url: string, cookie = '') => h.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
  const post = (url: string, cookie: string, o: Record<string, string>) =>
    h.inject({ method: 'POST', url, headers: { cookie, ...FORM }, payload: form(o) });

  it('takes a request from the form, lists it, lets the agency answer it and shows the answer to anyone', async () => {
    // a stranger is sent to sign in
    const anonymous = await get('/data-requests/new');
    expect(anonymous.statusCode).toBe(303);
    expect(String(anonymous.headers.location)).toMatch(/^\/auth\?next=/);
    const empty = await get('/data-requests/new', person.cookie);
    expect(empty.body).toContain('Cơ quan nên giữ dữ liệu này');
    expect(empty.body).toContain('Tôi không biết');
    const wrong = await post('/data-requests/new', person.cookie, { _csrf: person.csrf, title: 'x', description: '' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Hãy mô tả dữ liệu');
    const sent = await post('/data-requests/new', person.cookie, {
      _csrf: person.csrf,
      title: 'Chất lượng không khí theo giờ',
      description: 'Chỉ số AQI theo giờ của các trạm quan trắc năm 2025.',
      purpose: 'Ứng dụng cảnh báo cho người dân.',
      agency: (await h.app.services.masterData.agency('000.00.00.G01')).slug,
    });
    expect(sent.statusCode).toBe(303);
    const url = String(sent.headers.location).replace('?sent=1', '');
    const id = url.split('/').pop()!;
    const shown = await get(`${url}?sent=1`, person.cookie);
    expect(shown.body).toContain('Đã gửi yêu cầu của bạn.');
    expect(shown.body).toContain('Một người dân');
    expect(shown.body).toContain('còn 10 ngày làm việc');
    expect((await get(url)).body).not.toContain('Vũ Thị Giang'); // the requester chose not to show their name

    const list = await get('/data-requests?status=open');
    expect(list.body).toContain('Chất lượng không khí theo giờ');
    expect((await get('/data-requests?status=refused')).body).not.toContain('Chất lượng không khí theo giờ');

    // +1 once
    const voted = await post(`/data-requests/${id}/votes`, person.cookie, { _csrf: person.csrf });
    expect(voted.statusCode).toBe(303);
    expect((await get(url, person.cookie)).body).toContain('Bạn đã +1 yêu cầu này.');

    // the agency's dashboard leads to its inbox, with the days left
    expect((await get('/dashboard', officer.cookie)).body).toContain('href="/dashboard/data-requests"');
    const inbox = await get('/dashboard/data-requests', officer.cookie);
    expect(inbox.body).toContain('Chất lượng không khí theo giờ');
    expect(inbox.body).toContain('còn 10 ngày làm việc');
    expect((await get('/dashboard/data-requests', stranger.cookie)).body).not.toContain('Chất lượng không khí');
    const answering = await get(`/dashboard/data-requests/${id}`, officer.cookie);
    expect(answering.statusCode).toBe(200);
    expect((await get(`/dashboard/data-requests/${id}`, stranger.cookie)).statusCode).toBe(403);
    const csrf = csrfOf(answering.body);
    // a mistake is shown on the page with what was typed
    const missing = await post(`/dashboard/data-requests/${id}`, officer.cookie, {
      _csrf: csrf,
      step: 'publish',
      dataset: 'khong-co-bo-nay',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Không có bộ dữ liệu đã công bố “khong-co-bo-nay”.');
    expect(missing.body).toContain('value="khong-co-bo-nay"');
    const dataset = await buildDataset(h, { user: officer, status: 'published', title_vi: 'AQI theo giờ 2025' });
    const done = await post(`/dashboard/data-requests/${id}`, officer.cookie, {
      _csrf: csrf,
      step: 'publish',
      dataset: dataset.slug,
      answer: 'Dữ liệu đã được công bố.',
    });
    expect(done.statusCode).toBe(303);

    const publicPage = await get(url);
    expect(publicPage.body).toContain('Đã công bố dữ liệu');
    expect(publicPage.body).toContain(`href="/dataset/${dataset.slug}"`);
    expect(publicPage.body).toContain('Dữ liệu đã được công bố.');
    // answered: no "+1" offered any more, not even a way to sign in for one
    expect(publicPage.body).not.toContain('Đăng nhập để +1');
    expect(publicPage.body).toContain('không nhận thêm +1');
    const en = await get(`${url}?lang=en`);
    expect(en.body).toContain('Data published');
    expect(en.body).toContain('A citizen');
  });
});
