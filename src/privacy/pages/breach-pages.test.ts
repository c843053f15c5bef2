import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { testDrivers } from '../../../test/drivers.js';
import { buildSession, type Session } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { generateTlsKey, rawEd25519 } from '../../exchange/protocol/pki.js';

const OPENAPI = { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/people/{id}': { get: {} } } };
const H = 3_600_000;
/** A time as a datetime-local field holds it, in Vietnam time. */
const local = (ms: number) => new Date(ms + 7 * H).toISOString().slice(0, 16);

/** Issue 19 in the portal: an agency records a breach and sends its notification; the supervisor sees it, overdue or not. */
describe('the breach pages', () => {
  let h: Harness;
  let bca: Session;
  let other: Session;
  let service: string;
  const now = Date.now();
  const post = (s: { cookie: string; csrf: string }, url: string, fields: [string, string][]) =>
    h.inject({
      method: 'POST',
      url,
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams([['_csrf', s.csrf], ...fields]).toString(),
    });
  const get = (s: { cookie: string }, url: string) => h.inject({ method: 'GET', url, headers: { cookie: s.cookie } });

  beforeAll(async () => {
    h = await startHarness(testDrivers()[0]!);
    bca = await buildSession(h, { agency: '000.00.00.G01', role: 'agency_admin', email: 'dpo@bca.gov.vn' });
    other = await buildSession(h, { agency: '000.00.00.H01', role: 'agency_admin', email: 'dpo@h01.gov.vn' });
    const api = (method: 'POST', url: string, payload: object) => h.inject({ method, url, payload, headers: bca.auth });
    const sub = (
      await api('POST', '/api/v1/exchange/subsystems', { agency: '000.00.00.G01', code: 'LLTP', name: 'x' })
    ).json();
    service = (
      await api('POST', '/api/v1/exchange/services', {
        subsystem: sub.id,
        code: 'records',
        title: 'Lý lịch',
        baseUrl: 'http://10.0.0.1/api',
        openapi: OPENAPI,
      })
    ).json().id;
    await api('POST', '/api/v1/exchange/gateways', {
      agency: '000.00.00.G01',
      address: 'https://10.0.0.5:8443',
      signingKey: rawEd25519(generateKeyPairSync('ed25519').privateKey).toString('base64'),
      tlsPublicKey: (await generateTlsKey()).publicPem,
    });
    const gateway = (await h.app.services.registry.activeGateway(bca.agencyId))!;
    const record = (subject: string, ago: number, i: number) => ({
      subject,
      at: new Date(now - ago * H).toISOString(),
      id: `m${i}`,
      index: i,
      client: 'VN/GOV/000.00.00.H01/DVC',
      service: 'VN/GOV/000.00.00.G01/LLTP/records',
      purpose: null,
      legalBasis: null,
      status: 200,
    });
    await h.app.services.registry.report(gateway, {
      accessRecords: [
        record('VN001090000001', 5, 1),
        record('VN001090000001', 4, 2),
        record('VN001090000002', 4, 3),
        record('VN001090000003', 30, 4), // outside the window
      ],
    } as never);
  });
  afterAll(() => h.close());

  it('records a breach from the form, shows the people and the clock, saves the edited notification and sends it', async () => {
    const list = await get(bca, '/dashboard/privacy/breaches');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`value="${service}"`);
    const fields = (over: Record<string, string> = {}): [string, string][] =>
      Object.entries({
        agency: bca.agencyId,
        detectedAt: local(now - 2 * H),
        windowFrom: local(now - 10 * H),
        windowUntil: local(now - 3 * H),
        services: service,
        description: 'Khóa API của một hệ thống khách bị lộ.',
        ...over,
      });
    const bad = await post(bca, '/dashboard/privacy/breaches', fields({ windowUntil: local(now - 20 * H) }));
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Khoảng thời gian phải kết thúc sau khi bắt đầu.');
    expect(bad.body).toContain('Khóa API của một hệ thống khách bị lộ.</textarea>');
    const made = await post(bca, '/dashboard/privacy/breaches', fields());
    expect(made.statusCode, made.body).toBe(303);
    const url = made.headers.location as string;
    expect(url).toMatch(/^\/dashboard\/privacy\/breaches\/[0-9a-f-]{36}$/);

    const page = await get(bca, `${url}?lang=vi`);
    expect(page.body).toContain('2 người, 3 lượt');
    expect(page.body).toContain('data-clock="running"');
    expect(page.body).toMatch(/còn 69 giờ \d+ phút/);
    expect(page.body).not.toContain('VN001090000001');
    expect(page.body).toContain('name="notificationVi"');
    const en = await get(bca, `${url}?lang=en`);
    expect(en.body).toContain('2 people, 3 reads');
    expect(en.body).toContain('NOTIFICATION OF A PERSONAL DATA PROTECTION BREACH');
    // the agency by its English name on the English page and in the English draft; Vietnamese in the Vietnamese one
    expect(en.body).toContain('Personal data breaches — Ministry of Public Security</h1>');
    expect(en.body).toContain('Notifying agency: Ministry of Public Security');
    expect(en.body).toContain('Cơ quan thông báo: Bộ Công an');
    expect(en.body).not.toContain('Notifying agency: Bộ Công an');

    const id = url.split('/').pop()!;
    const breach = (await h.app.services.breaches.get(bca.principal, id)).breach;
    const saved = await post(bca, `${url}/notification`, [
      ['version', String(breach.version)],
      ['notificationVi', `${breach.notification_vi}\nNgười phụ trách: Trần Thị B`],
      ['notificationEn', `${breach.notification_en}\nIn charge: Trần Thị B`],
    ]);
    expect(saved.statusCode).toBe(303);
    const stale = await post(bca, `${url}/notification`, [
      ['version', String(breach.version)],
      ['notificationVi', 'x'],
      ['notificationEn', 'x'],
    ]);
    expect(stale.statusCode).toBe(400);
    expect(stale.body).toContain('Thông báo vừa được người khác sửa');
    // sending asks first: without the ticked "I have checked the draft" nothing is sent
    const draftPage = (await get(bca, `${url}?lang=vi`)).body;
    expect(draftPage).toContain('cho cơ quan giám sát (quản trị viên nền tảng)');
    expect(draftPage).toMatch(/<input type="checkbox" name="checked" value="on" required/);
    const unconfirmed = await post(bca, `${url}/notify?lang=en`, []);
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toContain('Tick “I have checked the draft” before sending');
    expect((await h.app.services.breaches.get(bca.principal, id)).breach.status).toBe('draft');
    expect((await post(bca, `${url}/notify`, [['checked', 'on']])).headers.location).toBe(`${url}?done=sent`);
    const sent = await get(bca, `${url}?done=sent&lang=en`);
    expect(sent.body).toContain('Notification sent: recorded on the platform for the supervisor');
    expect((await get(bca, `${url}?done=sent&lang=vi`)).body).toContain('Nền tảng không gửi thư điện tử hay công văn');
    expect(sent.body).toContain('data-clock="notified"');
    expect(sent.body).toContain('In charge: Trần Thị B');
    expect(sent.body).not.toContain('name="notificationVi"');

    // another agency's administrator: nothing to see
    expect((await get(other, url)).statusCode).toBe(404);
    expect((await get(other, '/dashboard/privacy/breaches')).body).not.toContain(url);
  });

  it('refuses empty dates on the form with field errors in both languages, keeping the typed text (not a 500)', async () => {
    const fields = (lang: string): [string, string][] => [
      ['agency', bca.agencyId],
      ['detectedAt', ''],
      ['windowFrom', ''],
      ['windowUntil', ''],
      ['services', service],
      ['description', 'Chỉ có mô tả.'],
      ['lang', lang],
    ];
    const vi = await post(bca, '/dashboard/privacy/breaches?lang=vi', fields('vi'));
    expect(vi.statusCode, vi.body).toBe(400);
    expect(vi.body).toContain('Chỉ có mô tả.</textarea>');
    expect(vi.body).toContain(`value="${service}" checked`);
    // each error at its field: the label, then the message, then the input
    expect(vi.body).toMatch(
      /<div class="field field-error"><label for="b-from">Từ<\/label><p class="error-message">Hãy nhập thời điểm bắt đầu \(ngày và giờ\)\.<\/p><input id="b-from"/,
    );
    expect(vi.body).toContain('Hãy nhập thời điểm phát hiện (ngày và giờ).');
    const en = await post(bca, '/dashboard/privacy/breaches?lang=en', fields('en'));
    expect(en.statusCode).toBe(400);
    expect(en.body).toContain('Enter the end of the window (date and time).');
  });

  it('shows the supervisor every breach and, apart, the overdue ones, without the agency’s forms', async () => {
    const late = await h.app.services.breaches.record(bca.principal, {
      agency: bca.agencyId,
      detectedAt: new Date(now - 80 * H).toISOString(),
      windowFrom: new Date(now - 90 * H).toISOString(),
      windowUntil: new Date(now - 80 * H).toISOString(),
      description: 'Sao lưu bị lộ.',
      services: [service],
    });
    await h.app.services.accounts.bootstrapUser({
      email: 'root@ndp.test',
      name: 'Supervisor',
      password: 'correct horse battery',
      platformAdmin: true,
    });
    const root = await h.signIn('root@ndp.test', 'correct horse battery');
    // the supervisor's way in: /dashboard (no agency) and /admin both lead to the overdue requests and the breaches
    const dash = await get(root, '/dashboard?lang=vi');
    expect(dash.body).not.toContain('Tài khoản chưa thuộc cơ quan nào');
    for (const body of [dash.body, (await get(root, '/admin?lang=en')).body]) {
      const links = body.slice(body.indexOf('data-testid="supervisor"'));
      expect(links).toContain('href="/dashboard/requests/overdue"');
      expect(links).toContain('href="/dashboard/privacy/breaches"');
    }
    // an agency's administrator sees no supervisor's section
    expect((await get(bca, '/dashboard')).body).not.toContain('data-testid="supervisor"');
    const list = await get(root, '/dashboard/privacy/breaches?lang=en');
    expect(list.statusCode).toBe(200);
    const overdue = list.body.slice(list.body.indexOf('id="overdue"'), list.body.indexOf('<h2>Breaches</h2>'));
    expect(overdue).toContain(`/dashboard/privacy/breaches/${late.id}`);
    expect(overdue).toContain('data-clock="overdue"');
    expect(overdue.match(/\/dashboard\/privacy\/breaches\/[0-9a-f-]{36}/g)).toHaveLength(1);
    expect(list.body).not.toContain('id="record"');
    const detail = await get(root, `/dashboard/privacy/breaches/${late.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('<pre lang="vi" class="notification" tabindex="0">');
    expect(detail.body).not.toContain(`/dashboard/privacy/breaches/${late.id}/notify`);
  });
  it('lays out each label above its field, the time hint with its field; refuses year 0001; groups long hours', async () => {
    const form = (await get(bca, '/dashboard/privacy/breaches?lang=vi')).body;
    expect(form).toMatch(
      /<div class="field"><label for="b-detected">Phát hiện lúc<\/label><p class="hint" id="b-detected-hint">Giờ Việt Nam\.<\/p><input/,
    );
    expect(form).toMatch(
      /<fieldset class="field"><legend>Khoảng thời gian<\/legend><p class="hint" id="b-window-hint">/,
    );
    const ancient = await post(bca, '/dashboard/privacy/breaches?lang=vi', [
      ['agency', bca.agencyId],
      ['detectedAt', '0001-01-01T00:00'],
      ['windowFrom', '0001-01-01T00:00'],
      ['windowUntil', local(now - 3 * H)],
      ['services', service],
      ['description', 'Ngày gõ nhầm.'],
    ]);
    expect(ancient.statusCode).toBe(400);
    expect(ancient.body).toContain('Thời điểm phát hiện phải từ 01/01/2000 trở đi.');
    const old = await h.app.services.breaches.record(bca.principal, {
      agency: bca.agencyId,
      detectedAt: new Date(now - 1500 * H).toISOString(),
      windowFrom: new Date(now - 1600 * H).toISOString(),
      windowUntil: new Date(now - 1400 * H).toISOString(),
      description: 'Lâu rồi mới báo.',
      services: [service],
    });
    const page = await get(bca, `/dashboard/privacy/breaches/${old.id}?lang=vi`);
    expect(page.body).toMatch(/quá hạn 1\.428 giờ \d+ phút/);
    expect((await get(bca, `/dashboard/privacy/breaches/${old.id}?lang=en`)).body).toMatch(/1,428 h \d+ min overdue/);
  });
});
