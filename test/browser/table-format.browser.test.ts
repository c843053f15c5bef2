import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../drivers.js';
import {
  buildAgencyUser,
  buildDataset,
  buildDistribution,
  buildTable,
  loadDistribution,
  publishDataset,
} from '../factories.js';
import { PASSWORD, startHarness, type Harness } from '../harness.js';
import { freePort } from '../ports.js';
import { FIGURES_CSV, FIGURES_SCHEMA } from '../table-fixture.js';
import { HAS_CHROMIUM, launch, seriousViolations } from './browser.js';

const CENSUS = fs.readFileSync(new URL('../fixtures/census2019_population_by_district.csv', import.meta.url));
fs.mkdirSync('test-results', { recursive: true });

/** Whether the page scrolls sideways (wider than the window). */
const sideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
const cellTexts = (page: Page) => page.locator('.data-table tbody td').allTextContents();

describe.skipIf(!HAS_CHROMIUM)('tables as a Vietnamese and an English reader read them, in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let figures = '';
  let figuresSet = '';
  let census = '';
  let censusSet = '';
  let report = '';
  let signin = '';

  beforeAll(async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    h = await startHarness(testDrivers()[0]!, { NDP_BASE_URL: base });
    const dataset = await buildDataset(h, { title_vi: 'Chỉ tiêu kinh tế theo tỉnh' });
    const d = await buildDistribution(h, { dataset, csv: FIGURES_CSV, fileName: 'chi_tieu.csv' });
    await h.app.services.catalog.datasets.setTableSchema(dataset.user.principal, d.id, FIGURES_SCHEMA);
    await loadDistribution(h, d, { schema: FIGURES_SCHEMA });
    await publishDataset(h, dataset);
    const editor = await buildAgencyUser(h, { email: 'tables@mof.gov.vn' });
    const table = await buildTable(h, {
      user: editor,
      title_vi: 'Dân số theo huyện 2019',
      fileName: 'dan_so.csv',
      csv: CENSUS,
    });
    report = `${base}/dashboard/distributions/${table.id}/table`;
    signin = `${base}/signin?next=/dashboard/distributions/${table.id}/table`;
    await h.app.server.listen({ port, host: '127.0.0.1' });
    figures = `${base}/dataset/${dataset.slug}/table/${d.id}`;
    figuresSet = `${base}/dataset/${dataset.slug}`;
    census = `${base}/dataset/${table.dataset.slug}/table/${table.id}`;
    censusSet = `${base}/dataset/${table.dataset.slug}`;
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('shows years, numbers and dates as each language writes them, with titles from the schema', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(figures);
    const vi = await cellTexts(page);
    expect(vi).toEqual(expect.arrayContaining(['2024', '03/08/2024', 'Hà Nội', '18.848,1', '1.234.567', '5,25']));
    expect(vi).not.toContain('2.024');
    await expect(page.locator('.data-table thead th').nth(3).textContent()).resolves.toBe(
      'Giá trị (tỷ đồng)gia_trisố thập phân',
    );
    await page.screenshot({ path: 'test-results/table-vi.png', fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'Switch to English' }).click();
    await page.waitForURL(/lang=en/);
    const en = await cellTexts(page);
    expect(en).toEqual(expect.arrayContaining(['2024', '3 Aug 2024', '18,848.1', '1,234,567', '5.25']));
    await expect(page.locator('.data-table thead th').nth(3).textContent()).resolves.toBe(
      'Giá trị (tỷ đồng)gia_tridecimal number',
    );
    await page.screenshot({ path: 'test-results/table-en.png', fullPage: true });

    // Chart.js writes the figures on its axes and tooltips in the page's language too
    for (const [lang, locale] of [
      ['vi', 'vi-VN'],
      ['en', 'en-GB'],
    ]) {
      await page.goto(`${figures}?chart=bar&x=tinh&y=sum:gia_tri&lang=${lang}`);
      await page.waitForSelector('canvas#chart[data-drawn=true]');
      const used = await page.evaluate(
        () =>
          (
            window as unknown as { Chart: { getChart: (c: Element) => { options: { locale: string } } } }
          ).Chart.getChart(document.getElementById('chart')!).options.locale,
      );
      expect(used).toBe(locale);
    }
  });

  it('draws the choropleth of the 34 provinces with its legend, from the 63 old provinces named in a table', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${census}?chart=tiles&x=province_vi&y=sum:total`);
    const map = page.locator('.province-map svg[role=img]');
    await expect(map.isVisible()).resolves.toBe(true);
    expect(await map.locator('path').count()).toBe(34);
    // every province has a figure (the census covers the country): none left in the no-data colour
    const fills = await map.locator('path').evaluateAll((ps) => ps.map((p) => p.getAttribute('fill')));
    expect(fills.filter((f) => f === '#f1f5f9')).toEqual([]);
    expect(new Set(fills).size).toBeGreaterThanOrEqual(4);
    expect(await page.locator('.map-legend li').count()).toBe(6); // five classes and "no data"
    await expect(page.locator('.map-credit').textContent()).resolves.toContain('geoBoundaries');
    const box = await map.boundingBox();
    expect(box!.height).toBeGreaterThan(300);
    await map.screenshot({ path: 'test-results/province-map.png' });
    expect(await seriousViolations(page)).toEqual([]);

    // a column the map cannot read: why, and the columns it can; the chart type stays chosen
    await page.goto(`${census}?chart=tiles&x=total&y=count&lang=en`);
    await expect(page.locator('#c-kind').inputValue()).resolves.toBe('tiles');
    await expect(page.locator('.map-help').textContent()).resolves.toContain('cannot be drawn from the column');
    await page.locator('.map-help a', { hasText: 'province_vi' }).click();
    await page.waitForURL(/x=province_vi/);
    expect(await page.locator('.province-map path').count()).toBe(34);
  });

  it('has no sideways scroll at 360 px on the table pages and the data set pages', async () => {
    const page = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
    const pages: [string, string][] = [
      [figures, 'table-360-vi'],
      [`${figures}?lang=en&tinh=in.(H%C3%A0+N%E1%BB%99i,Hu%E1%BA%BF)&order=gia_tri.desc`, 'table-360-en-api'],
      [`${census}?chart=tiles&x=province_vi&y=sum:total`, 'table-360-map'],
      [`${census}?chart=tiles&x=total&y=count`, 'table-360-map-help'],
      [figuresSet, 'dataset-360-preview'],
      [`${censusSet}?lang=en`, 'dataset-360-census-en'],
    ];
    for (const [url, name] of pages) {
      await page.goto(url);
      await page.screenshot({ path: `test-results/${name}.png`, fullPage: true });
      expect({ name, sideways: await sideways(page) }).toEqual({ name, sideways: false });
    }
    // the data set page's preview: the first rows and the map of the places it names
    await page.goto(censusSet);
    expect(await page.locator('.table-preview .data-table tbody tr').count()).toBe(10);
    expect(await page.locator('.table-preview .province-map path').count()).toBe(34);
    expect(await seriousViolations(page)).toEqual([]);

    // the publisher's load report: its column tables scroll within themselves, the page does not
    await page.goto(signin);
    await page.fill('#email', 'tables@mof.gov.vn');
    await page.fill('#password', PASSWORD);
    await page.click('form.narrow-form button[type=submit]');
    await page.waitForURL(report);
    await page.goto(`${report}?lang=vi`); // the language chosen earlier in this visit was English
    await expect(page.locator('.types-form').textContent()).resolves.toContain('số nguyên');
    await page.screenshot({ path: 'test-results/load-report-360.png', fullPage: true });
    expect(await sideways(page)).toBe(false);
  });
});
