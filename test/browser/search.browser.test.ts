import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../drivers.js';
import { buildTable } from '../factories.js';
import { startHarness, type Harness } from '../harness.js';
import { HAS_CHROMIUM, launch, seriousViolations } from './browser.js';
import { freePort } from '../ports.js';

const CENSUS = fs.readFileSync(new URL('../fixtures/census2019_population_by_district.csv', import.meta.url));
const LINES = CENSUS.toString('utf8')
  .replace(/\u00a0/g, ' ')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((l) => l.split(','));
const HA_NOI = LINES.filter((l) => l[1] === 'Hà Nội').length;
fs.mkdirSync('test-results', { recursive: true });

describe.skipIf(!HAS_CHROMIUM)('search that finds, in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await startHarness(testDrivers()[0]!, { NDP_BASE_URL: base });
    // the demo's census: its metadata never names Hà Nội, its rows hold Hà Nội's 30 districts
    await buildTable(h, {
      title_vi: 'Dân số theo quận, huyện — Tổng điều tra dân số và nhà ở 2019',
      description_vi: 'Dân số của 712 quận, huyện, thị xã, thành phố (đơn vị hành chính trước năm 2025).',
      keywords: ['dân số', 'tổng điều tra'],
      fileName: 'census2019_population_by_district.csv',
      csv: CENSUS,
    });
    await h.app.server.listen({ port, host: '127.0.0.1' });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('the search box’s own example finds the census table and says why; a filtered table counts its matches', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    await page.goto(`${base}/`);
    const box = page.locator('input#q').first();
    const example = (await box.getAttribute('placeholder'))!.replace(/^Ví dụ:\s*/, '');
    expect(example).toBe('dân số Hà Nội');
    await box.fill(example);
    await box.press('Enter');
    await page.waitForURL(/\/datasets\?/);
    const card = page.locator('.dataset-card', { hasText: 'Tổng điều tra dân số và nhà ở 2019' });
    await expect.poll(() => card.count()).toBe(1);
    expect(await card.locator('.match-why').textContent()).toMatch(/trong cột province_vi: “Hà Nội”/);
    expect(await seriousViolations(page)).toEqual([]);

    // typed without diacritics, in English
    await page.goto(`${base}/datasets?q=dan+so+ha+noi&lang=en`);
    expect(await page.locator('.dataset-card .match-why').first().textContent()).toMatch(
      /in column province_vi: “Hà Nội”/,
    );

    await page.goto(`${base}/datasets?q=${encodeURIComponent('dân số Hà Nội')}&lang=vi`);
    await page.locator('.dataset-card h3 a').first().click();
    await page.waitForURL(/\/dataset\/[^/?]+$/);
    await page.getByRole('link', { name: /Xem bảng/ }).click();
    await page.waitForURL(/\/table\//);
    await page.selectOption('#f-column', 'province_vi');
    await page.selectOption('#f-op', 'eq');
    await page.fill('#f-value', 'ha noi');
    await page.click('.filter-form button[type=submit]');
    await page.waitForURL(/province_vi=ilike/);
    expect(await page.locator('.match-count').textContent()).toBe(
      `${HA_NOI} trên ${LINES.length.toLocaleString('vi-VN')} dòng khớp bộ lọc`,
    );
    expect(await page.locator('.data-table tbody tr').count()).toBe(HA_NOI);
    await page.screenshot({ path: 'test-results/search-why.png', fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  });
});
