import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenSession, recordReads } from '../citizens.js';
import { testDrivers } from '../drivers.js';
import { PASSWORD, startHarness, type Harness } from '../harness.js';
import { freePort } from '../ports.js';
import { HAS_CHROMIUM, launch, seriousViolations } from './browser.js';

const cookieOf = (header: string) => {
  const [name, value] = header.split('=') as [string, string];
  return { name, value };
};

/** Issue 19: a citizen files a data subject request in Chromium and an officer acknowledges it; axe finds nothing serious. */
describe.skipIf(!HAS_CHROMIUM)('data subject requests in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await startHarness(testDrivers()[0]!, { NDP_BASE_URL: base });
    await h.app.server.listen({ port, host: '127.0.0.1' });
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('files a request from the form, without script errors or serious WCAG violations, at 360 px', async () => {
    const person = await citizenSession(h, '001090000021', 'Phạm Văn Dũng');
    await recordReads(h, {
      hash: person.hashes[0]!,
      client: 'VN/GOV/000.00.00.G09/HRM',
      service: 'VN/GOV/000.00.00.G01/CSDLQGDC/citizens',
      provider: '000.00.00.G01',
    });
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    await context.addCookies([{ ...cookieOf(person.cookie), url: base }]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/my-data/requests`);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Chỉnh sửa dữ liệu').check();
    await page.getByLabel('Nội dung yêu cầu').fill('Địa chỉ thường trú của tôi đã thay đổi.');
    await page.getByRole('button', { name: 'Gửi yêu cầu' }).click();
    await page.waitForURL(/\?sent=2$/);
    expect((await page.getByRole('status').textContent())?.trim()).toBe('Đã gửi yêu cầu tới 2 cơ quan.');
    expect(await page.getByTestId('my-requests').locator('tbody tr').count()).toBe(2);
    expect(await seriousViolations(page)).toEqual([]);

    // the officer of the agency that holds the data acknowledges it in the inbox
    const officer = await h.tokenFor('000.00.00.G01', 'agency_editor');
    const staff = await h.signIn(officer.email, PASSWORD);
    const desk = await browser.newContext();
    await desk.addCookies([{ ...cookieOf(staff.cookie), url: base }]);
    const inbox = await desk.newPage();
    await inbox.goto(`${base}/dashboard/requests`);
    expect(await seriousViolations(inbox)).toEqual([]);
    await inbox.getByRole('button', { name: 'Xác nhận đã nhận' }).click();
    await inbox.waitForURL(/\?done=1#req-[0-9a-f-]{36}$/); // back at the request
    expect((await inbox.getByRole('status').textContent())?.trim()).toBe('Đã cập nhật yêu cầu.');
    expect(await inbox.getByTestId('request-status').textContent()).toContain('Đã xác nhận');
    expect(errors).toEqual([]);
    await context.close();
    await desk.close();
  });
});
