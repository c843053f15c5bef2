import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenSession } from '../citizens.js';
import { testDrivers } from '../drivers.js';
import { buildAgencyUser, buildProcedure, buildRegisterEntry, buildSession } from '../factories.js';
import { startHarness, type Harness } from '../harness.js';
import { freePort } from '../ports.js';
import { storePrefill } from '../prefills.js';
import { HAS_CHROMIUM, launch, seriousViolations } from './browser.js';

const cookieOf = (header: string) => {
  const [name, value] = header.split('=') as [string, string];
  return { name, value };
};

/**
 * Issue 21: a citizen checks a prefilled form in Chromium — "wrong" reveals the correction's input (no script) — and
 * submits it; the deciding agency's officer issues the signed result, which the citizen's dossier then links to.
 */
describe.skipIf(!HAS_CHROMIUM)('a public service dossier in Chromium', () => {
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

  it('disputes one prefilled value, submits, and sees the issued result’s link', async () => {
    const police = await buildAgencyUser(h, { agency: 'bo-cong-an', role: 'agency_admin' });
    const db = await buildRegisterEntry(h, { user: police, name_vi: 'Cơ sở dữ liệu quốc gia về dân cư' });
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
        {
          key: 'ngay_sinh',
          label_vi: 'Ngày sinh',
          label_en: 'Date of birth',
          element: 'ngay_sinh',
          type: 'date',
          required: true,
        },
        { key: 'muc_dich', label_vi: 'Mục đích', label_en: 'Purpose', element: null, type: 'text', required: true },
      ],
    });
    const person = await citizenSession(h, '001090000031', 'Đỗ Thị Hoa');
    const source = {
      kind: 'register' as const,
      agency_id: police.agencyId,
      database_id: db.id,
      service: 'NDP-TEST/GOV/000.00.00.G01/CSDLQGDC/citizens',
      result_id: null,
      at: new Date().toISOString(),
    };
    const prefill = await storePrefill(h, person, procedure, {
      ho_ten: { value: 'Đỗ Thị Hoa', origin: 'register', source },
      ngay_sinh: { value: '1992-06-01', origin: 'register', source },
    });

    const phone = await browser.newContext({ viewport: { width: 360, height: 800 } });
    await phone.addCookies([{ ...cookieOf(person.cookie), url: base }]);
    const page = await phone.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/services/${procedure.code}/apply?prefill=${prefill}`);
    expect(await seriousViolations(page)).toEqual([]);
    const birth = page.getByRole('group', { name: 'Ngày sinh' });
    expect(await birth.textContent()).toContain('01/06/1992');
    expect(await birth.textContent()).toContain('Cơ sở dữ liệu quốc gia về dân cư — Bộ Công an, đọc lúc');
    const corrected = birth.getByLabel('Giá trị đúng của “Ngày sinh”');
    expect(await corrected.isVisible()).toBe(false);
    await birth.getByLabel('Sai — tôi sửa').check();
    expect(await corrected.isVisible()).toBe(true);
    await corrected.fill('02/06/1992');
    await page.getByLabel('Mục đích').fill('Đăng ký thường trú cho con');
    await page.getByRole('button', { name: 'Nộp hồ sơ' }).click();
    await page.waitForURL(/\/my\/dossiers\/[0-9a-f-]{36}\?sent=1&corrections=1&failed=0$/);
    expect(await page.getByRole('status').textContent()).toContain('Đã gửi 1 yêu cầu chỉnh sửa dữ liệu');
    const fields = page.getByTestId('dossier-fields');
    expect(await fields.locator('tr[data-origin="disputed"] th').textContent()).toBe('Ngày sinh');
    expect(await fields.locator('tr[data-origin="reused"] th').textContent()).toBe('Họ và tên');
    expect(await seriousViolations(page)).toEqual([]);
    const dossierUrl = page.url().split('?')[0]!;

    // the deciding agency's officer issues the result from the dashboard
    const officer = await buildSession(h, { agency: 'thanh-pho-ha-noi' });
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await desk.addCookies([{ ...cookieOf(officer.cookie), url: base }]);
    const inbox = await desk.newPage();
    await inbox.goto(`${base}/dashboard/services/dossiers`);
    expect(await seriousViolations(inbox)).toEqual([]);
    // on a phone the inbox is a card per dossier: due date and status stay in view beside the procedure's long name
    const small = await browser.newContext({ viewport: { width: 360, height: 800 } });
    await small.addCookies([{ ...cookieOf(officer.cookie), url: base }]);
    const narrow = await small.newPage();
    await narrow.goto(`${base}/dashboard/services/dossiers`);
    const row = narrow.getByTestId('dossier-inbox').locator('tbody tr').first();
    for (const label of ['Hạn giải quyết', 'Trạng thái']) {
      const cell = row.locator(`td[data-label="${label}"]`);
      const box = (await cell.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(360);
    }
    expect(await row.locator('td[data-label="Trạng thái"]').textContent()).toContain('Đã nộp');
    expect(await seriousViolations(narrow)).toEqual([]);
    await small.close();
    await inbox.getByTestId('dossier-inbox').getByRole('link').first().click();
    await inbox.getByRole('button', { name: 'Ký số và trả kết quả' }).click();
    await inbox.waitForURL(/\?done=issue$/);
    expect(await inbox.getByTestId('dossier-status').textContent()).toBe('Đã trả kết quả');

    await page.goto(dossierUrl);
    expect(await page.getByTestId('dossier-status').textContent()).toBe('Đã trả kết quả');
    await page.getByTestId('result-link').click();
    await page.waitForURL(/\/my\/results\//);
    expect(errors).toEqual([]);
    await phone.close();
    await desk.close();
  });
});
