import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../../test/drivers.js';
import { PASSWORD, startHarness, type Harness } from '../../../../test/harness.js';
import { citizenSession, recordReads } from '../../../../test/citizens.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
/** 09/12/2026: day first, in Hà Nội (Vietnamese pages); English pages name the month (9 Dec 2026) */
const vnDate = (d: Date) =>
  new Intl.DateTimeFormat('vi-VN', {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: 'Asia/Ho_Chi_Minh',
  }).format(d);

/** The requests' pages as a person and an officer see them, rendered on the server, in Vietnamese and English. */
describe.each(testDrivers())('data subject request pages ($name)', (driver) => {
  let h: Harness;
  let person: Awaited<ReturnType<typeof citizenSession>>;
  let officer: { cookie: string; csrf: string };
  let stranger: { cookie: string; csrf: string };

  beforeAll(async () => {
    h = await startHarness(driver);
    person = await citizenSession(h, '001090000011', 'Lê Thị Cúc');
    await recordReads(h, {
      hash: person.hashes[0]!,
      client: 'VN/GOV/000.00.00.G09/HRM',
      service: 'VN/GOV/000.00.00.G01/CSDLQGDC/citizens',
      provider: '000.00.00.G01',
    });
    const staffSession = async (code: string) => {
      const t = await h.tokenFor(code, 'agency_editor');
      const s = await h.signIn(t.email, PASSWORD);
      const dash = await h.inject({ method: 'GET', url: '/dashboard/requests', headers: { cookie: s.cookie } });
      return { cookie: s.cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(dash.body)?.[1] ?? s.csrf };
    };
    officer = await staffSession('000.00.00.G01');
    stranger = await staffSession('000.00.00.G15');
  }, 60_000);
  afterAll(() => h?.close());

  const get = (url: string, cookie: string) => h.inject({ method: 'GET', url, headers: { cookie } });

  it('gives the citizen the form and their requests with due dates, in Vietnamese and English', async () => {
    const empty = await get('/my-data/requests', person.cookie);
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('Gửi yêu cầu mới');
    expect(empty.body).toContain('Rút lại sự đồng ý');
    expect(empty.body).toContain('2 ngày làm việc');
    expect(empty.body).toContain(`name="_csrf" value="${person.csrf}"`);
    // nothing written, the mistakes said in the reader's language
    const wrong = await h.inject({
      method: 'POST',
      url: '/my-data/requests',
      headers: { cookie: person.cookie, ...FORM },
      payload: form({ _csrf: person.csrf, kind: 'deletion', details: '  ' }),
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Hãy ghi nội dung yêu cầu');
    const sent = await h.inject({
      method: 'POST',
      url: '/my-data/requests',
      headers: { cookie: person.cookie, ...FORM },
      payload: form({ _csrf: person.csrf, kind: 'deletion', details: 'Xin xóa số điện thoại cũ của tôi.' }),
    });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/my-data/requests?sent=2');
    const vi = await get('/my-data/requests?sent=2', person.cookie);
    expect(vi.body).toContain('Đã gửi yêu cầu tới 2 cơ quan.');
    expect(vi.body).toContain('Bộ Công an');
    expect(vi.body).toContain('Bộ Nội vụ');
    expect(vi.body).toContain('Đã gửi, chờ xác nhận');
    const [mine] = await h.app.services.requests.ofPerson(person.user);
    expect(vi.body).toContain(vnDate(mine!.row.acknowledge_due));
    expect(vi.body).toContain(vnDate(mine!.row.complete_due));
    const en = await get('/my-data/requests?lang=en', person.cookie);
    expect(en.body).toContain('File a new request');
    expect(en.body).toContain('Ministry of Public Security');
    expect(en.body).toContain('Sent, awaiting acknowledgement');
    expect(en.body).toContain(
      new Intl.DateTimeFormat('en-GB', {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        timeZone: 'Asia/Ho_Chi_Minh',
      }).format(mine!.row.complete_due),
    ); // the month named in English
    const one = await get(`/my-data/requests/${mine!.row.id}`, person.cookie);
    expect(one.statusCode).toBe(200);
    expect(one.body).toContain('Xin xóa số điện thoại cũ của tôi.');
    // a level-1 sign-in is sent to the e-ID for level 2
    const low = await citizenSession(h, '001090000011', 'Lê Thị Cúc', 1);
    const stepUp = await get('/my-data/requests', low.cookie);
    expect(stepUp.statusCode).toBe(303);
    expect(String(stepUp.headers.location)).toMatch(/^\/auth\/eid\?level=2/);
  });

  it('puts the request in the agency’s inbox, with its steps, and in no other agency’s', async () => {
    // the agency's dashboard leads to its inbox
    const dashboard = await get('/dashboard', officer.cookie);
    expect(dashboard.body).toContain('<a href="/dashboard/requests">Yêu cầu của chủ thể dữ liệu</a>');
    const inbox = await get('/dashboard/requests', officer.cookie);
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain('Yêu cầu của chủ thể dữ liệu');
    expect(inbox.body).toContain('Lê Thị Cúc');
    expect(inbox.body).toContain('Xóa dữ liệu');
    expect(inbox.body).toContain('Xác nhận đã nhận');
    const other = await get('/dashboard/requests', stranger.cookie);
    expect(other.body).not.toContain('Lê Thị Cúc');
    const [r] = await h.app.services.requests
      .ofPerson(person.user)
      .then((xs) => xs.filter((x) => x.agency.code === '000.00.00.G01'));
    const step = (who: { cookie: string; csrf: string }, o: Record<string, string>) =>
      h.inject({
        method: 'POST',
        url: '/dashboard/requests',
        headers: { cookie: who.cookie, ...FORM },
        payload: form({ _csrf: who.csrf, request: r!.row.id, ...o }),
      });
    // the forms post to the inbox's own address, back at the request's anchor
    expect(inbox.body).toContain(`action="/dashboard/requests#req-${r!.row.id}"`);
    expect((await step(stranger, { step: 'acknowledge' })).statusCode).toBe(404);
    const acked = await step(officer, { step: 'acknowledge' });
    expect(acked.statusCode).toBe(303);
    expect(acked.headers.location).toBe(`/dashboard/requests?done=1#req-${r!.row.id}`);
    // a mistake is shown at its request (not at the top of the page), the typed days kept
    const blank = await step(officer, { step: 'extend', days: '7', reason: '' });
    expect(blank.statusCode).toBe(400);
    const at = blank.body.indexOf(`id="req-${r!.row.id}"`);
    const error = blank.body.indexOf('Hãy ghi lý do hoặc kết quả.');
    expect(at).toBeGreaterThan(0);
    expect(error).toBeGreaterThan(at);
    expect(blank.body.slice(error)).toMatch(/name="days"[^>]*value="7"/);
    expect(
      (await step(officer, { step: 'extend', days: '7', reason: 'Chờ ý kiến của Công an tỉnh.' })).statusCode,
    ).toBe(303);
    const twice = await step(officer, { step: 'extend', days: '3', reason: 'Lần nữa.' });
    expect(twice.statusCode).toBe(409);
    expect(twice.body).toContain('pháp luật chỉ cho phép gia hạn một lần');
    const en = await get('/dashboard/requests?lang=en', officer.cookie);
    expect(en.body).toContain("<h1>Data subjects' requests</h1>");
    expect(en.body).toContain('Ministry of Public Security (holds this person’s data)');
    expect(en.body).toContain('Extended');
    expect(en.body).toContain('7 days — Chờ ý kiến của Công an tỉnh.');
    // the person sees the step
    const theirs = await get(`/my-data/requests/${r!.row.id}`, person.cookie);
    expect(theirs.body).toContain('Đã gia hạn');
  });

  it('shows overdue requests to the supervisor only', async () => {
    expect((await get('/dashboard/requests/overdue', officer.cookie)).statusCode).toBe(403);
    await h.app.services.accounts.bootstrapUser({
      email: 'sup@ndp.test',
      name: 'Supervisor',
      password: PASSWORD,
      platformAdmin: true,
    });
    const sup = await h.signIn('sup@ndp.test', PASSWORD);
    const page = await get('/dashboard/requests/overdue', sup.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Yêu cầu về dữ liệu cá nhân trễ hạn');
    expect(page.body).toContain('Không có yêu cầu nào trễ hạn.'); // everything filed today is within its clocks
    const en = await get('/dashboard/requests/overdue?lang=en', sup.cookie);
    expect(en.body).toContain('No request is overdue.');
  });
});
