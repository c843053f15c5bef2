import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoNetwork, type DemoNetwork } from '../../src/cli/demo-network.js';
import { startDemoRegisters, type DemoRegisters } from '../../src/cli/demo-registers.js';
import { demoChild, startDemoServices } from '../../src/cli/demo-services.js';
import { DEMO_CODES, DEMO_PROCEDURES, DEMO_WARD } from '../../src/cli/demo-procedures.js';
import { DEMO_CITIZEN } from '../../src/cli/demo-citizens.js';
import { startStandInEid, type StandInEid } from '../../src/identity/stand-in/stand-in-eid.js';
import { createLogger } from '../../src/platform/logger.js';
import { testDrivers } from '../drivers.js';
import { PASSWORD, startHarness, type Harness } from '../harness.js';
import { freePort } from '../ports.js';
import { HAS_CHROMIUM, launch, seriousViolations } from './browser.js';

fs.mkdirSync('test-results', { recursive: true });
const cookieOf = (header: string) => {
  const [name, value] = header.split('=') as [string, string];
  return { name, value };
};

/**
 * Issue 21's journey in Chromium on the demo `npm start` brings up: the demo citizen signs in with the stand-in e-ID,
 * opens the ward's marital status certificate and finds it prefilled from the population and civil status registers
 * with their sources, disputes the place of birth (a correction request reaches the Ministry of Justice's inbox),
 * submits; the ward's officer issues the signed certificate, whose QR page verifies and a tampered copy does not; the
 * marriage registration reuses its number; "my data" lists every fetch; with the business register stopped its fields
 * are typed and the rest prefilled; the birth extract offered on "my data" is accepted in one click; the reuse meter
 * shows what the dossiers hold. One journey: each step builds on the one before.
 */
describe.skipIf(!HAS_CHROMIUM)('once-only services in Chromium, on the demo', () => {
  let h: Harness;
  let eid: StandInEid;
  let network: DemoNetwork;
  let registers: DemoRegisters;
  let browser: Browser;
  let citizen: BrowserContext;
  let page: Page;
  let base = '';
  let dossierUrl = '';
  let resultUrl = '';
  const errors: string[] = [];

  const staffContext = async (agency: string) => {
    const { email } = await h.tokenFor(agency, 'agency_editor');
    const staff = await h.signIn(email, PASSWORD);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ ...cookieOf(staff.cookie), url: base }]);
    return context;
  };
  const prefilled = (key: string) =>
    page.locator('[data-testid=prefilled-field]').filter({ has: page.locator(`#f-${key}`) });
  const reportReads = () =>
    Promise.all(
      [network.gateways.provider, registers.gateways.civilStatus, registers.gateways.business].map((g) => g.report()),
    );

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await startHarness(testDrivers()[0]!, { NDP_BASE_URL: base });
    await h.app.server.listen({ port, host: '127.0.0.1' });
    const o = { dataDir: h.dataDir, basePort: 0, logger: createLogger({ logLevel: 'silent' }), registryUrl: base };
    network = await startDemoNetwork(h.app, h.database, o);
    registers = await startDemoRegisters(h.app, h.database, network, o);
    await startDemoServices(h.app, h.database, network, registers);
    eid = await startStandInEid({
      issuer: `http://127.0.0.1:${await freePort()}`,
      people: [registers.people.get(DEMO_CITIZEN)!],
      clients: [
        { clientId: 'ndp-portal', clientSecret: 'browser test secret', redirectUris: [`${base}/auth/eid/callback`] },
      ],
      acrLevels: ['urn:ndp:loa:1', 'urn:ndp:loa:2'],
      demo: true,
    });
    h.app.identity.useEid({ issuer: eid.issuer, clientId: 'ndp-portal', clientSecret: 'browser test secret' });
    browser = await launch();
    citizen = await browser.newContext({ viewport: { width: 360, height: 800 } });
    page = await citizen.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => errors.push(String(e)));
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await registers?.stop();
    await network?.stop();
    await eid?.close();
    await h?.close();
  });

  it('signs in as the demo citizen, finds the certificate prefilled with sources, disputes one value, submits', async () => {
    await page.goto(`${base}/services/${DEMO_CODES.maritalStatus}/apply`);
    await page.waitForURL((u) => u.href.startsWith(`${eid.issuer}/interaction/`));
    await page.fill('#id_number', DEMO_CITIZEN);
    await page.check('input[name=level][value="2"]');
    await page.click('form[action$="/login"] button[type=submit]');
    await page.waitForURL(`${base}/services/${DEMO_CODES.maritalStatus}/apply`);
    expect(await page.textContent('h1')).toBe('Cấp Giấy xác nhận tình trạng hôn nhân');
    const me = registers.people.get(DEMO_CITIZEN)!;
    const birth = registers.civil.births.get(DEMO_CITIZEN)!;
    expect(await prefilled('ho_ten').locator('.prefilled-value').textContent()).toBe(me.fullName);
    expect(await prefilled('ho_ten').locator('p.hint').first().textContent()).toContain(
      'Cơ sở dữ liệu quốc gia về dân cư',
    );
    expect(await prefilled('noi_cu_tru').locator('.prefilled-value').textContent()).toBe(me.permanentResidence.address);
    expect(await prefilled('noi_sinh').locator('.prefilled-value').textContent()).toBe(birth.placeOfBirth);
    expect(await prefilled('tinh_trang_hon_nhan').locator('.prefilled-value').textContent()).toBe('Chưa kết hôn');
    expect(await prefilled('tinh_trang_hon_nhan').locator('p.hint').first().textContent()).toContain(
      'Cơ sở dữ liệu hộ tịch điện tử',
    );
    // six of seven fields came from registers; the purpose is the applicant's to type
    expect(await page.locator('[data-testid=prefilled-field]').count()).toBe(6);
    expect(await seriousViolations(page)).toEqual([]);

    // the place of birth is wrong: the applicant says so and types theirs
    await prefilled('noi_sinh').locator('input[value=wrong]').check();
    await page.fill('#f-noi_sinh', 'Bệnh viện Phụ sản Hà Nội, Thành phố Hà Nội');
    await page.fill('#f-muc_dich', 'Để đăng ký kết hôn');
    await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
    await page.waitForURL(/\/my\/dossiers\/[0-9a-f-]{36}/);
    dossierUrl = page.url().split('?')[0]!;
    expect(await page.textContent('main')).toContain('Hồ sơ đã được nộp.');
    expect(await page.textContent('main')).toContain('Đã gửi 1 yêu cầu chỉnh sửa dữ liệu');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });

  it('puts the correction request in the civil status agency’s requests inbox', async () => {
    const desk = await staffContext(registers.services.civilStatus.split('/')[2]!);
    const inbox = await desk.newPage();
    await inbox.goto(`${base}/dashboard/requests`);
    expect(await inbox.textContent('main')).toContain('Bệnh viện Phụ sản Hà Nội');
    expect(await seriousViolations(inbox)).toEqual([]);
    await desk.close();
  });

  it('the ward’s officer issues the signed certificate; its QR page verifies, a tampered copy does not', async () => {
    const desk = await staffContext(DEMO_WARD);
    const officer = await desk.newPage();
    await officer.goto(`${base}/dashboard/services/dossiers`);
    await officer.locator('[data-testid=dossier-inbox] a').first().click();
    await officer.fill('#w-so_giay', '125/2026/XNTTHN');
    await officer.getByRole('button', { name: 'Ký số và trả kết quả' }).click();
    await officer.getByText('Đã ký số và trả kết quả.').waitFor();
    await desk.close();

    await page.goto(dossierUrl);
    await page.getByTestId('result-link').click();
    resultUrl = page.url();
    const verifyAt = (await page.getByTestId('result-url').textContent())!.trim();
    const jws = (await page.getByTestId('result-jws').textContent())!.trim();
    const anyone = await browser.newContext();
    const reader = await anyone.newPage();
    await reader.goto(verifyAt.replace(/^https?:\/\/[^/]+/, base));
    expect(await reader.getByTestId('verdict').getAttribute('data-verdict')).toBe('valid');
    expect(await reader.textContent('main')).toContain('125/2026/XNTTHN');
    // a copy whose payload says something else keeps the signature of the original: refused
    const [head, payload, signature] = jws.split('.') as [string, string, string];
    const altered = Buffer.from(payload, 'base64url').toString('utf8').replace('Chưa kết hôn', 'Đã ly hôn');
    await reader.goto(`${base}/verify`);
    await reader.fill('textarea[name=jws]', `${head}.${Buffer.from(altered).toString('base64url')}.${signature}`);
    await reader.locator('form[action="/verify"] button[type=submit]').click();
    expect(await reader.getByTestId('verdict').getAttribute('data-verdict')).toBe('invalid');
    await anyone.close();
  });

  it('the marriage registration reuses the certificate’s number from the signed result', async () => {
    await page.goto(`${base}/services/${DEMO_CODES.marriage}/apply`);
    const number = prefilled('so_giay_xac_nhan');
    expect(await number.locator('.prefilled-value').textContent()).toBe('125/2026/XNTTHN');
    expect(await number.locator('p.hint').first().textContent()).toContain('Kết quả đã cấp');
    expect(resultUrl).toMatch(/\/my\/results\//);
  });

  it('with the business register stopped, its fields are typed with a reason and the rest prefilled', async () => {
    await registers.businessService.close();
    await page.goto(`${base}/services/${DEMO_CODES.householdBusinessChange}/apply`);
    expect(await prefilled('ho_ten').count()).toBe(1);
    expect(await prefilled('ma_so_hkd').count()).toBe(0);
    expect(await page.locator('#f-ma_so_hkd-hint').textContent()).not.toBe('');
    expect(await page.locator('[data-testid=prefilled-field]').count()).toBe(3);
  });

  it('offers the birth extract on “my data”, accepted in one click', async () => {
    await page.goto(`${base}/my-data`);
    const offer = page.locator('[data-offer]');
    expect(await offer.locator('[data-testid=offer-why]').textContent()).toContain(demoChild(registers));
    await offer.locator('button[data-decision=accept]').click();
    await page.waitForURL(/\/my\/dossiers\/[0-9a-f-]{36}/);
    expect(await page.getByTestId('dossier-status').textContent()).toBe('Đã nộp');
    const main = (await page.textContent('main'))!;
    expect(main).toContain('Hồ sơ đã được nộp.');
    // the announced birth names the child in the dossier, the officer sees which child it is for
    const fields = page.getByTestId('dossier-fields');
    expect(await fields.textContent()).toContain(demoChild(registers));
    expect(await fields.locator('tr[data-origin=empty]').count()).toBe(1);
    expect(await fields.locator('tr[data-origin=typed]').count()).toBe(0);
  });

  it('“my data” lists every fetch the prefills made, each with its procedure as purpose', async () => {
    await reportReads();
    const kept = await h.db.selectFrom('service_prefills').select('fields').execute();
    // one register call per distinct service path of each prefill that reached a register and was answered
    await page.goto(`${base}/my-data`);
    const purposes = await page.locator('[data-record] [data-testid=purpose]').allTextContents();
    // each purpose is the procedure's name with its code, as the catalogue names it
    const named = (code: string) => `${DEMO_PROCEDURES.find((p) => p.code === code)!.name_vi} (${code})`;
    expect(purposes.filter((p) => p === named(DEMO_CODES.maritalStatus))).toHaveLength(3);
    expect(purposes.filter((p) => p === named(DEMO_CODES.marriage))).toHaveLength(1);
    expect(purposes.filter((p) => p === named(DEMO_CODES.birthExtract))).toHaveLength(1);
    expect(kept.length).toBeGreaterThanOrEqual(4);
    expect(errors).toEqual([]);
  });

  it('the reuse meter’s figures are the dossiers’', async () => {
    const dossiers = await h.db.selectFrom('service_dossiers').select(['reused', 'typed']).execute();
    const reused = dossiers.reduce((n, d) => n + d.reused, 0);
    const typed = dossiers.reduce((n, d) => n + d.typed, 0);
    const r = await h.inject({ method: 'GET', url: '/api/v1/services/reuse?by=agency' });
    const row = r.json().total as { reused: number; typed: number; dossiers: number };
    expect([row.dossiers, row.reused, row.typed]).toEqual([dossiers.length, reused, typed]);
    await page.goto(`${base}/services/reuse`);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
