import { generateKeyPairSync } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTlsKey, rawEd25519 } from '../../src/exchange/protocol/pki.js';
import { GatewaysRepository } from '../../src/exchange/registry/gateways.repository.js';
import { loadCatalog } from '../catalog-fixture.js';
import { testDrivers } from '../drivers.js';
import { startHarness, type Harness } from '../harness.js';
import { freePort } from '../ports.js';
import { HAS_CHROMIUM, launch, seriousViolations } from './browser.js';

/** How much wider than the window the page is: 0 when nothing scrolls sideways. */
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe.skipIf(!HAS_CHROMIUM)('agencies, phones and the sort list, in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let base = '';
  let phone: BrowserContext;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await startHarness(testDrivers()[0]!, { NDP_BASE_URL: base });
    await loadCatalog(h, [
      { agency: 'bo-tai-chinh', title_vi: 'Thu ngân sách nhà nước', description_vi: 'Số thu.', spatial: ['01'] },
      { agency: 'thanh-pho-ha-noi', title_vi: 'Dân số Hà Nội', description_vi: 'Dân số.', keywords: ['dân số'] },
    ]);
    const admin = await h.tokenFor('000.00.00.G01', 'agency_admin', 'ops@bca.gov.vn');
    const gw = (
      await h.inject({
        method: 'POST',
        url: '/api/v1/exchange/gateways',
        payload: {
          agency: '000.00.00.G01',
          address: 'https://gateway.bo-cong-an.example.gov.vn:8443',
          signingKey: rawEd25519(generateKeyPairSync('ed25519').publicKey).toString('base64'),
          tlsPublicKey: (await generateTlsKey()).publicPem,
        },
        headers: { authorization: `Bearer ${admin.token}` },
      })
    ).json();
    await new GatewaysRepository(h.db).touchGateway(gw.id, {
      at: new Date().toISOString(),
      metrics: {
        services: [
          {
            side: 'provider',
            service: 'VN/GOV/000.00.00.G01/CSDLQGDC/citizens-of-a-very-long-service-name/v1',
            requests: 1200,
            ok: 1100,
            errors: 40,
            p50Ms: 3,
            p99Ms: 40,
          },
        ],
        log: { size: 1200, pending: 0, checkpointSize: 1200 },
        configuration: { valid: true },
      },
    });
    await h.app.server.listen({ port, host: '127.0.0.1' });
    browser = await launch();
    phone = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const { cookie } = await h.signIn('ops@bca.gov.vn', 'correct horse battery');
    const [name, value] = cookie.split('=') as [string, string];
    await phone.addCookies([{ name, value, url: base }]);
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('/agencies shows the hierarchy, finds "tai chinh" and "ha noi" without diacritics, in both languages', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    await page.goto(`${base}/agencies`);
    const headings = await page.locator('main h2').allTextContents();
    expect(headings[0]).toMatch(/^Bộ \(14\)/);
    expect(headings.at(-1)).toMatch(/Tỉnh, thành phố/);
    expect(await page.locator('main').textContent()).not.toContain('Ủy ban nhân dân Phường');
    await page.locator('a[href="/agencies?province=thanh-pho-ha-noi"]').click();
    await page.waitForURL(/province=thanh-pho-ha-noi/);
    expect(await page.locator('[role="status"]').textContent()).toBe('126 cơ quan');
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`${base}/agencies`);
    await page.fill('#agency-q', 'tai chinh');
    await page.press('#agency-q', 'Enter');
    await page.waitForURL(/q=tai\+chinh/);
    expect(await page.locator('main table').textContent()).toContain('Bộ Tài chính');
    await page.goto(`${base}/agencies?q=ha+noi&lang=en`);
    expect(await page.locator('main table tbody tr').first().textContent()).toContain("People's Committee of Hanoi");
    expect(await seriousViolations(page)).toEqual([]);
  });

  for (const lang of ['vi', 'en'] as const) {
    it(`at 360 px (${lang}): /datasets and the exchange page do not scroll sideways; the menu and filters are collapsed`, async () => {
      const page = await phone.newPage();
      const q = lang === 'en' ? '?lang=en' : '';
      await page.goto(`${base}/datasets${q}`);
      expect(await overflow(page)).toBe(0);
      // the menu is one button; its links show once it is opened
      const menu = page.locator('nav.main-nav summary');
      expect(await menu.isVisible()).toBe(true);
      expect(await page.locator('nav.main-nav a[href="/agencies"]').isVisible()).toBe(false);
      await menu.click();
      expect(await page.locator('nav.main-nav a[href="/agencies"]').isVisible()).toBe(true);
      // the filters come before the results, collapsed
      const filters = page.locator('.facets summary');
      const [fy, ry] = await Promise.all([
        filters.evaluate((e) => e.getBoundingClientRect().top),
        page.locator('.dataset-list').evaluate((e) => e.getBoundingClientRect().top),
      ]);
      expect(fy).toBeLessThan(ry);
      expect(await page.locator('.facets input[type="checkbox"]').first().isVisible()).toBe(false);
      expect(await seriousViolations(page)).toEqual([]);

      await page.goto(`${base}/dashboard/exchange${q}`);
      expect(await page.locator('main').textContent()).toContain('gateway.bo-cong-an.example.gov.vn');
      expect(await page.locator('main table').count()).toBeGreaterThan(0);
      expect(await overflow(page)).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      await page.close();
    });
  }

  it('moving through the sort list with the arrow keys does not reload the page; the Sort button applies it', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
    await page.goto(`${base}/datasets`);
    const url = page.url();
    let navigated = false;
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigated = true;
    });
    await page.focus('#sort');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(500);
    expect(navigated).toBe(false);
    expect(page.url()).toBe(url);
    await page.locator('.sort button[type="submit"]').click();
    await page.waitForURL(/sort=/);
    expect(await seriousViolations(page)).toEqual([]);
    // wide screens: the menu is open and has no button
    expect(await page.locator('nav.main-nav summary').isVisible()).toBe(false);
    expect(await page.locator('nav.main-nav a[href="/agencies"]').isVisible()).toBe(true);
  });
});
