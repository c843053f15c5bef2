import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../drivers.js';
import { buildAgencyUser, buildTable, type Table } from '../factories.js';
import { PASSWORD, startHarness, type Harness } from '../harness.js';
import { HAS_CHROMIUM, launch, seriousViolations } from './browser.js';
import { freePort } from '../ports.js';

/** Only province names, as many real tables have them. */
const CSV = ['tinh,so_benh_vien', 'Hà Nội,41', 'Thua Thien-Hue,12', 'TP. Hồ Chí Minh,58', 'Hà Giang,9', 'Xyz,1'].join(
  '\n',
);
fs.mkdirSync('test-results', { recursive: true });

describe.skipIf(!HAS_CHROMIUM)('province names get their GSO codes from the load report, in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let base = '';
  let table: Table;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await startHarness(testDrivers()[0]!, { NDP_BASE_URL: base });
    const editor = await buildAgencyUser(h, { email: 'places@mof.gov.vn' });
    table = await buildTable(h, { user: editor, csv: CSV, title_vi: 'Bệnh viện theo tỉnh' });
    await h.app.server.listen({ port, host: '127.0.0.1' });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('the publisher sees the column recognised, adds ma_tinh with pre-2025 codes, and reads the codes on the table page', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    await page.goto(`${base}/signin?next=/dashboard/distributions/${table.id}/table`);
    await page.fill('#email', 'places@mof.gov.vn');
    await page.fill('#password', PASSWORD);
    await page.click('form.narrow-form button[type=submit]');
    await page.waitForURL(/\/table$/);

    const section = page.locator('section.place-columns');
    await expect(section.locator('h3').first().textContent()).resolves.toContain('tên tỉnh, thành phố');
    await expect(section.textContent()).resolves.toContain('4/5 dòng khớp');
    await expect(section.textContent()).resolves.toContain('Xyz (1)');
    await page.selectOption('#place-vintage-tinh', 'pre-2025');
    await page.getByRole('button', { name: 'Thêm cột mã ma_tinh' }).click();
    await page.waitForURL(/coded=ma_tinh/);
    await expect(page.locator('.notice').textContent()).resolves.toContain('ma_tinh');
    await expect(page.locator('.place-derived').textContent()).resolves.toContain('4 dòng có mã trước năm 2025');
    await page.screenshot({ path: 'test-results/table-places.png', fullPage: true });

    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`${base}/dataset/${table.dataset.slug}/table/${table.id}?order=_id`);
    const headers = await page.locator('.data-table thead th').allTextContents();
    const at = headers.findIndex((x) => x.startsWith('ma_tinh'));
    expect(at).toBeGreaterThan(0);
    const codes = await page.locator(`.data-table tbody td:nth-child(${at + 1})`).allTextContents();
    // Hà Giang keeps its own pre-2025 code, 02; the unmatched row stays empty
    expect(codes.map((c) => c.trim())).toEqual(['01', '46', '79', '02', '']);
  });
});
