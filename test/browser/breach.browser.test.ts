import fs from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../drivers.js';
import { buildAgencyUser, type AgencyUser } from '../factories.js';
import { PASSWORD, startHarness, type Harness } from '../harness.js';
import { HAS_CHROMIUM, launch, seriousViolations } from './browser.js';
import { freePort } from '../ports.js';
import { generateTlsKey, rawEd25519 } from '../../src/exchange/protocol/pki.js';

const OPENAPI = { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/people/{id}': { get: {} } } };
const H = 3_600_000;
const local = (ms: number) => new Date(ms + 7 * H).toISOString().slice(0, 16);
fs.mkdirSync('test-results', { recursive: true });

describe.skipIf(!HAS_CHROMIUM)('an agency records a personal-data breach and notifies it, in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let base = '';
  let dpo: AgencyUser;
  let service: string;
  const now = Date.now();

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await startHarness(testDrivers()[0]!, { NDP_BASE_URL: base });
    dpo = await buildAgencyUser(h, { agency: '000.00.00.G01', role: 'agency_admin', email: 'dpo@bca.gov.vn' });
    const api = (url: string, payload: object) => h.inject({ method: 'POST', url, payload, headers: dpo.auth });
    const sub = (await api('/api/v1/exchange/subsystems', { agency: '000.00.00.G01', code: 'LLTP', name: 'x' })).json();
    service = (
      await api('/api/v1/exchange/services', {
        subsystem: sub.id,
        code: 'records',
        title: 'Lý lịch',
        baseUrl: 'http://10.0.0.1/api',
        openapi: OPENAPI,
      })
    ).json().id;
    await api('/api/v1/exchange/gateways', {
      agency: '000.00.00.G01',
      address: 'https://10.0.0.5:8443',
      signingKey: rawEd25519(generateKeyPairSync('ed25519').privateKey).toString('base64'),
      tlsPublicKey: (await generateTlsKey()).publicPem,
    });
    const gateway = (await h.app.services.registry.activeGateway(dpo.agencyId))!;
    await h.app.services.registry.report(gateway, {
      accessRecords: ['VN001090000001', 'VN001090000002', 'VN001090000003'].map((subject, i) => ({
        subject,
        at: new Date(now - (4 + i) * H).toISOString(),
        id: `m${i}`,
        index: i,
        client: 'VN/GOV/000.00.00.H01/DVC',
        service: 'VN/GOV/000.00.00.G01/LLTP/records',
        purpose: null,
        legalBasis: null,
        status: 200,
      })),
    } as never);
    await h.app.server.listen({ port, host: '127.0.0.1' });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('fills the form, reads the people and the clock, edits and sends the notification; no serious WCAG violation', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    await page.goto(`${base}/signin?next=/dashboard/privacy/breaches`);
    await page.fill('#email', 'dpo@bca.gov.vn');
    await page.fill('#password', PASSWORD);
    await page.click('form.narrow-form button[type=submit]');
    await page.waitForURL(/\/dashboard\/privacy\/breaches$/);
    expect(await seriousViolations(page)).toEqual([]);

    await page.fill('#b-detected', local(now - H));
    await page.fill('#b-from', local(now - 10 * H));
    await page.fill('#b-until', local(now - 2 * H));
    await page.check(`input[name=services][value="${service}"]`);
    await page.fill('#b-description', 'Khóa API của một hệ thống khách bị lộ.');
    await page.getByRole('button', { name: 'Ghi nhận' }).click();
    await page.waitForURL(/\/dashboard\/privacy\/breaches\/[0-9a-f-]{36}$/);
    await expect(page.locator('#people-count').textContent()).resolves.toBe('3 người, 3 lượt');
    await expect(page.locator('[data-clock]').first().textContent()).resolves.toMatch(/^còn hạn — còn 70 giờ/);
    expect(await seriousViolations(page)).toEqual([]);

    const vi = await page.inputValue('#n-vi');
    expect(vi).toContain('3 người (3 lượt)');
    await page.fill('#n-vi', vi.replace('[…họ tên, chức vụ, điện thoại, thư điện tử…]', 'Trần Thị B, 0243 000 000'));
    await page.getByRole('button', { name: 'Lưu bản thảo' }).click();
    await page.waitForURL(/done=saved/);
    await expect(page.inputValue('#n-vi')).resolves.toContain('Trần Thị B, 0243 000 000');
    // sent only once the officer ticks that they have checked the draft
    await page.getByLabel('Tôi đã kiểm tra bản thảo').check();
    await page.getByRole('button', { name: 'Gửi thông báo' }).click();
    await page.waitForURL(/done=sent/);
    await expect(page.locator('p.notice').textContent()).resolves.toContain('cơ quan giám sát');
    await expect(page.locator('[data-clock]').first().getAttribute('data-clock')).resolves.toBe('notified');
    await expect(page.locator('pre[lang=vi]').textContent()).resolves.toContain('Trần Thị B, 0243 000 000');

    await page.goto(`${page.url().split('?')[0]}?lang=en`);
    await expect(page.locator('#people-count').textContent()).resolves.toBe('3 people, 3 reads');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('lays out the form at 360 px as the portal’s other forms: each label above its own field', async () => {
    const page = await (await browser.newContext({ viewport: { width: 360, height: 800 } })).newPage();
    await page.goto(`${base}/signin?next=/dashboard/privacy/breaches`);
    await page.fill('#email', 'dpo@bca.gov.vn');
    await page.fill('#password', PASSWORD);
    await page.click('form.narrow-form button[type=submit]');
    await page.waitForURL(/\/dashboard\/privacy\/breaches$/);
    await page.screenshot({ path: 'test-results/breach-form-360.png', fullPage: true });
    for (const id of ['b-agency', 'b-detected', 'b-from', 'b-until', 'b-description']) {
      const label = (await page.locator(`label[for="${id}"]`).boundingBox())!;
      const field = (await page.locator(`#${id}`).boundingBox())!;
      expect(label.y + label.height, id).toBeLessThanOrEqual(field.y + 1);
      expect(field.x + field.width, id).toBeLessThanOrEqual(360);
    }
    // the time hint sits with the detection time, under its label and above its field
    const hint = (await page.locator('#b-detected-hint').boundingBox())!;
    expect(hint.y).toBeGreaterThan((await page.locator('label[for="b-detected"]').boundingBox())!.y);
    expect(hint.y).toBeLessThan((await page.locator('#b-detected').boundingBox())!.y);
  });
});
