import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../drivers.js';
import { startHarness, type Harness } from '../harness.js';
import { loadCatalog, SAMPLE } from '../catalog-fixture.js';
import { HAS_CHROMIUM, launch } from './browser.js';
import { freePort } from '../ports.js';

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const CSV = 'ma_tinh,ten_tinh,dan_so\n01,Hà Nội,8435650\n79,Hồ Chí Minh,14002598\n';
fs.mkdirSync('test-results', { recursive: true });

describe.skipIf(!HAS_CHROMIUM)('the portal in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await startHarness(testDrivers()[0]!, { NDP_BASE_URL: base });
    await loadCatalog(h, SAMPLE);
    await h.app.services.accounts.bootstrapUser({
      email: 'officer@mof.gov.vn',
      name: 'Cán bộ Tài chính',
      password: 'officer passphrase',
      platformAdmin: false,
    });
    const admin = await h.app.services.accounts.principalFor('officer@mof.gov.vn');
    admin.isPlatformAdmin = true;
    await h.app.services.accounts.setMembership(admin, admin.userId, await h.agencyId('bo-tai-chinh'), 'agency_admin');
    await h.app.services.accounts.bootstrapUser({
      email: 'root@ndp.gov.vn',
      name: 'Quản trị',
      password: 'root passphrase 1',
      platformAdmin: true,
    });
    await h.app.server.listen({ port, host: '127.0.0.1' });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const newPage = async (width = 1200) => (await browser.newContext({ viewport: { width, height: 900 } })).newPage();

  async function axe(page: Page) {
    // axe is injected through the DevTools protocol, so the page's strict CSP stays as users get it.
    await page.evaluate(AXE);
    const result = await page.evaluate(async () => {
      const r = await (
        window as unknown as {
          axe: {
            run: (
              o: object,
            ) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
          };
        }
      ).axe.run({ runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      }));
    });
    return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  }

  it('finds a title with diacritics from words typed without them, and facets narrow the results', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('vi');
    await page.fill('#q', 'dan so ha noi');
    await page.click('form[role=search] button[type=submit]');
    await page.waitForURL(/\/datasets\?q=dan/);
    await expect(page.locator('.dataset-card h3').first().textContent()).resolves.toBe(
      'Dân số Hà Nội theo phường, xã năm 2025',
    );

    await page.goto(`${base}/datasets`);
    expect(await page.locator('.dataset-card').count()).toBe(5);
    await page.getByLabel(/Bộ Y tế/).check(); // the checkbox submits the form by itself
    await page.waitForURL(/agency=bo-y-te/);
    expect(await page.locator('.dataset-card').count()).toBe(2);
    expect(await page.locator('.result-count').textContent()).toBe('2 bộ dữ liệu');
  });

  it('switches to English and back, remembering the choice', async () => {
    const page = await newPage();
    await page.goto(`${base}/datasets`);
    await page.click('a[hreflang=en]');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect(page.locator('h1').textContent()).resolves.toBe('Data sets');
    await page.goto(`${base}/agencies`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.click('a[hreflang=vi]');
    await expect(page.locator('h1').textContent()).resolves.toBe('Cơ quan công bố dữ liệu');
  });

  it('a publisher signs in, creates a data set (the form keeps input after an error), uploads a CSV, publishes; a visitor downloads it', async () => {
    const page = await newPage();
    await page.goto(`${base}/dashboard`);
    await page.waitForURL(/\/signin/);
    await page.fill('#email', 'officer@mof.gov.vn');
    await page.fill('#password', 'officer passphrase');
    await page.click('form.narrow-form button[type=submit]');
    await page.waitForURL(/\/dashboard$/);
    await page.click('text=Tạo bộ dữ liệu');
    await page.fill('#title_vi', 'Dân số các tỉnh năm 2025');
    await page.fill('#contact_email', 'not-an-email');
    await page.fill('#spatial', '01, 999');
    await page.click('form.dataset-form button[type=submit]');
    // Errors by the field, in Vietnamese; what was typed is still there.
    await expect(page.locator('.error-summary h2').textContent()).resolves.toMatch(/lỗi cần sửa/);
    expect(await page.inputValue('#title_vi')).toBe('Dân số các tỉnh năm 2025');
    expect(await page.inputValue('#spatial')).toBe('01, 999');
    await expect(page.locator('#description_vi-error').textContent()).resolves.toMatch(/mô tả/);
    await expect(page.locator('#contact_email-error').textContent()).resolves.toMatch(/Email/);
    await page.fill('#description_vi', 'Dân số của 34 tỉnh, thành phố sau sắp xếp năm 2025.');
    await page.fill('#contact_email', 'thongke@mof.gov.vn');
    await page.fill('#spatial', '01, 79');
    await page.check('#theme-SOCI');
    await page.click('form.dataset-form button[type=submit]');
    await page.waitForURL(/\/dashboard\/datasets\/dan-so-cac-tinh-nam-2025$/);

    await page.setInputFiles('#file', { name: 'dan-so-tinh-2025.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.click('form[data-upload] button[type=submit]');
    await page.waitForSelector('.file-list li');
    await expect(page.locator('.file-list li').first().textContent()).resolves.toContain('dan-so-tinh-2025.csv');
    await page.click('text=Công bố');
    await page.waitForURL(/published=1/);
    await expect(page.locator('.notice').textContent()).resolves.toContain('Đã công bố');

    const visitor = await newPage();
    await visitor.goto(`${base}/datasets?q=dan%20so%20cac%20tinh`);
    await visitor.click('text=Dân số các tỉnh năm 2025');
    await visitor.waitForURL(/\/dataset\/dan-so-cac-tinh-nam-2025/);
    const [download] = await Promise.all([visitor.waitForEvent('download'), visitor.click('.file-list a.button-link')]);
    const path = await download.path();
    expect(fs.readFileSync(path!, 'utf8')).toBe(CSV);
  });

  it('has no serious or critical accessibility violations on any page type (axe)', async () => {
    const page = await newPage();
    const pages = [
      '/',
      '/datasets?q=y%20te',
      '/dataset/tiem-chung-mo-rong-nam-2024',
      '/agencies',
      '/agency/bo-y-te',
      '/databases',
      '/dictionary',
      '/units?q=ba%20dinh&old=00001',
      '/signin',
      '/khong-co-trang-nay',
    ];
    const found: Record<string, unknown> = {};
    for (const url of pages) {
      await page.goto(`${base}${url}`);
      const v = await axe(page);
      if (v.length) found[url] = v;
    }
    await page.goto(`${base}/signin`);
    await page.fill('#email', 'officer@mof.gov.vn');
    await page.fill('#password', 'officer passphrase');
    await page.click('form.narrow-form button[type=submit]');
    await page.waitForURL(/\/dashboard/);
    for (const url of [
      '/dashboard',
      '/dashboard/datasets/new?agency=bo-tai-chinh',
      '/dashboard/datasets/dan-so-cac-tinh-nam-2025',
      '/dashboard/datasets/dan-so-cac-tinh-nam-2025/edit',
      '/dashboard/databases/new?agency=bo-tai-chinh',
      '/admin/agency/bo-tai-chinh',
      '/dashboard/exchange',
    ]) {
      await page.goto(`${base}${url}`);
      const v = await axe(page);
      if (v.length) found[url] = v;
    }
    const root = await newPage();
    await root.goto(`${base}/signin?next=/admin`);
    await root.fill('#email', 'root@ndp.gov.vn');
    await root.fill('#password', 'root passphrase 1');
    await root.click('form.narrow-form button[type=submit]');
    await root.waitForURL(/\/admin$/);
    const v = await axe(root);
    if (v.length) found['/admin'] = v;
    expect(found).toEqual({});
  });

  it('renders at 360 px wide without sideways scrolling (screenshots saved to test-results/)', async () => {
    const page = await newPage(360);
    for (const [name, url] of [
      ['home', '/'],
      ['search', '/datasets?q=ha%20noi'],
      ['dataset', '/dataset/dan-so-ha-noi-theo-phuong-xa-nam-2025'],
      ['quality', '/quality?lang=en'],
      ['overdue', '/overdue'],
    ]) {
      await page.goto(`${base}${url}`);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${url} scrolls sideways`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `test-results/portal-360-${name}.png`, fullPage: true });
    }
    // the supervisor's exchange page carries keys, fingerprints and wide tables
    await page.goto(`${base}/signin?next=/dashboard/exchange`);
    await page.fill('#email', 'root@ndp.gov.vn');
    await page.fill('#password', 'root passphrase 1');
    await page.click('form.narrow-form button[type=submit]');
    await page.waitForURL(/\/dashboard\/exchange$/);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, '/dashboard/exchange scrolls sideways').toBeLessThanOrEqual(0);
    await page.screenshot({ path: 'test-results/portal-360-exchange.png', fullPage: true });
  });
});
