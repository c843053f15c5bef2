import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../drivers.js';
import { BROWSER_UA, buildDataset, buildDistribution, type Dataset } from '../factories.js';
import { startHarness, type Harness } from '../harness.js';
import { HAS_CHROMIUM, launch, seriousViolations } from './browser.js';
import { freePort } from '../ports.js';

describe.skipIf(!HAS_CHROMIUM)('views and downloads, in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let base = '';
  let dataset: Dataset;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await startHarness(testDrivers()[0]!, { NDP_BASE_URL: base });
    dataset = await buildDataset(h, { title_vi: 'Số lượt khách quốc tế đến Việt Nam năm 2025', status: 'published' });
    await buildDistribution(h, { dataset, title_vi: 'Khách quốc tế theo tháng' });
    await h.app.services.cards.snapshot(dataset.id, 'request'); // a kept quality card: its grade shows in results
    await h.app.server.listen({ port, host: '127.0.0.1' });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  // headless Chromium calls itself HeadlessChrome, which counting takes for a robot: this one says it is a desktop's
  const personPage = async (width: number): Promise<Page> =>
    (
      await browser.newContext({ viewport: { width, height: 900 }, userAgent: BROWSER_UA, acceptDownloads: true })
    ).newPage();

  it('a person opens a data set page, downloads its file and sees the counts (axe clean, no sideways scroll at 360 px)', async () => {
    const page = await personPage(1280);
    await page.goto(`${base}/dataset/${dataset.slug}`);
    const file = page.locator('.file-list li', { hasText: 'Khách quốc tế theo tháng' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      file.locator('a.button-link').first().click(),
    ]);
    await download.path();
    await h.app.portal.counts.flush(); // written every few seconds; a test does not wait
    const box = page.locator('section.counts');
    // the download is counted when its batch is written: the page is read again until both figures are there
    await expect
      .poll(async () => {
        await page.reload();
        return [
          await box.locator('[data-count="views"]').textContent(),
          await box.locator('[data-count="downloads"]').textContent(),
        ];
      })
      .toEqual(['1', '1']);
    expect(await box.locator('.counts-files').textContent()).toContain(
      'Khách quốc tế theo tháng: lượt xem bảng 0, lượt tải 1',
    );
    expect(await seriousViolations(page)).toEqual([]);

    // in search results: the counts beside the data set
    await page.goto(`${base}/datasets?q=khach%20quoc%20te`);
    expect(await page.locator('.dataset-card .usage').first().textContent()).toContain('Lượt xem 1 · lượt tải 1');
    expect(await page.locator('.dataset-card .grade-badge').first().textContent()).toMatch(/^Chất lượng: hạng [A-E]$/);
    expect(await seriousViolations(page)).toEqual([]);

    const narrow = await personPage(360);
    for (const url of [`/dataset/${dataset.slug}?lang=en`, '/datasets?sort=views_desc']) {
      await narrow.goto(`${base}${url}`);
      const wide = await narrow.evaluate(() => document.documentElement.scrollWidth);
      expect(wide, url).toBeLessThanOrEqual(360);
    }
    await narrow.goto(`${base}/dataset/${dataset.slug}?lang=en`);
    expect(await narrow.locator('section.counts h2').textContent()).toBe('Views and downloads');
    await narrow.screenshot({ path: 'test-results/counts-360.png', fullPage: true });
    expect(await seriousViolations(narrow)).toEqual([]);
  });
});
