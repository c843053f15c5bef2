import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenSession } from '../citizens.js';
import { testDrivers } from '../drivers.js';
import { buildAgencyUser, buildProcedure } from '../factories.js';
import { startHarness, type Harness } from '../harness.js';
import { fakeJourney } from '../offers.js';
import { freePort } from '../ports.js';
import { HAS_CHROMIUM, launch, seriousViolations } from './browser.js';

/** Issue 21: "a proactive offer accepted in one click", in Chromium, at a phone's width. */
describe.skipIf(!HAS_CHROMIUM)('proactive offers in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await startHarness(testDrivers()[0]!, { NDP_BASE_URL: base });
    h.app.publicServices.offers.journey = fakeJourney(h);
    await h.app.server.listen({ port, host: '127.0.0.1' });
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('a birth registered becomes an offer on "my data", accepted in one click into a submitted dossier', async () => {
    const procedure = await buildProcedure(h, {
      agency: 'thanh-pho-ha-noi',
      fields: [
        {
          key: 'ho_ten',
          label_vi: 'Họ và tên',
          label_en: 'Full name',
          element: 'ho_va_ten',
          type: 'string',
          required: true,
        },
      ],
    });
    await h.app.publicServices.offers.createRule(procedure.user.principal, {
      procedure: procedure.code,
      event_kind: 'birth.registered',
      from_agency: 'bo-tu-phap',
      message_vi: 'Con của bạn đã được đăng ký khai sinh ngày {date}',
    });
    const register = await buildAgencyUser(h, { agency: 'bo-tu-phap' });
    const announced = await h.inject({
      method: 'POST',
      url: '/api/v1/services/events',
      headers: register.auth,
      payload: { id: 'KS-77', kind: 'birth.registered', person: 'VN001090000077', occurredAt: '2026-12-03' },
    });
    expect(announced.statusCode).toBe(202);
    const person = await citizenSession(h, '001090000077', 'Trần Văn Bình');
    const [name, value] = person.cookie.split('=') as [string, string];
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    await context.addCookies([{ name, value, url: base }]);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/my-data`);
    const offer = page.locator('#offers article');
    expect(await offer.getByTestId('offer-why').textContent()).toBe(
      'Con của bạn đã được đăng ký khai sinh ngày 03/12/2026',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await offer.getByRole('button', { name: 'Nhận đề nghị' }).click();
    await page.waitForURL(/\/my\/dossiers\/[0-9a-f-]{36}\?sent=1$/);
    expect(await page.locator('h1').textContent()).toMatch(/^Hồ sơ HS-\d{8}-\d{4}$/);
    expect(await page.locator('main').textContent()).toContain(procedure.name_vi);
    // told it was submitted, as after a form sent by hand
    expect(await page.locator('main').textContent()).toContain('Hồ sơ đã được nộp.');
    await page.goto(`${base}/my-data`);
    expect(await page.locator('#offers').count()).toBe(0);
    await context.close();
  });
});
