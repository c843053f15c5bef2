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
fs.mkdirSync('test-results', { recursive: true });

describe.skipIf(!HAS_CHROMIUM)('a table in Chromium: sort, filter, chart', () => {
  let h: Harness;
  let browser: Browser;
  let url = '';

  beforeAll(async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    h = await startHarness(testDrivers()[0]!, { NDP_BASE_URL: base });
    const table = await buildTable(h, {
      title_vi: 'Dân số theo huyện 2019',
      description_vi: 'Tổng điều tra 2019',
      fileName: 'dan_so.csv',
      csv: CENSUS,
    });
    await h.app.server.listen({ port, host: '127.0.0.1' });
    url = `${base}/dataset/${table.dataset.slug}`;
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('a visitor opens the table from the data set, sorts by a column, filters, and draws a bar chart', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    await page.goto(url);
    await page.getByRole('link', { name: /Xem bảng/ }).click();
    await page.waitForURL(/\/table\//);
    expect(await page.locator('.data-table tbody tr').count()).toBe(50);

    await page.locator('.data-table th a', { hasText: 'total' }).first().click(); // ascending
    await page.locator('.data-table th a', { hasText: 'total' }).first().click(); // descending
    await page.waitForURL(/order=total\.desc/);
    const totals = LINES.map((l) => Number(l[6])).sort((a, b) => b - a);
    const column = (await page.locator('.data-table thead th').allTextContents()).findIndex((x) =>
      x.startsWith('total'),
    );
    expect(await page.locator(`.data-table tbody tr:first-child td:nth-child(${column + 1})`).textContent()).toBe(
      totals[0]!.toLocaleString('vi-VN'),
    );

    await page.selectOption('#f-column', 'province_vi');
    await page.selectOption('#f-op', 'eq');
    await page.fill('#f-value', 'Hà Nội');
    await page.click('.filter-form button[type=submit]');
    await page.waitForURL(/province_vi=ilike/); // "equals" on text ignores case and diacritics
    expect(await page.locator('.data-table tbody tr').count()).toBe(LINES.filter((l) => l[1] === 'Hà Nội').length);
    expect(await page.locator('.chips li').count()).toBe(1);

    await page.selectOption('#c-kind', 'bar');
    await page.selectOption('#c-x', 'district_equiv_vi');
    await page.selectOption('#c-y', 'sum:total');
    await page.click('.chart-form button[type=submit]');
    await page.waitForURL(/chart=bar/);
    await page.waitForSelector('canvas#chart[data-drawn=true]');
    // Chart.js has painted: the canvas is no longer blank
    const painted = await page.evaluate(() => {
      const c = document.getElementById('chart') as HTMLCanvasElement;
      const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i]! > 0) ink++;
      return ink;
    });
    expect(painted).toBeGreaterThan(1000);
    await page.screenshot({ path: 'test-results/table-chart.png', fullPage: true });

    expect(await seriousViolations(page)).toEqual([]);
  });
});
