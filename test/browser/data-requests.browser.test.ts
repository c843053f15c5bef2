import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenSession } from '../citizens.js';
import { testDrivers } from '../drivers.js';
import { startHarness, type Harness } from '../harness.js';
import { freePort } from '../ports.js';
import { buildSession, buildTable, loadDistribution } from '../factories.js';
import { HAS_CHROMIUM, launch, seriousViolations } from './browser.js';

const cookieOf = (header: string) => {
  const [name, value] = header.split('=') as [string, string];
  return { name, value };
};
const sideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Issue 20: a data request asked, answered and seen in public; a data set's change history; 360 and 1280 px. */
describe.skipIf(!HAS_CHROMIUM)('data requests and change history in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await startHarness(testDrivers()[0]!, { NDP_BASE_URL: base });
    await h.app.server.listen({ port, host: '127.0.0.1' });
    browser = await launch();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('asks for data at 360 px, answers it at 1280 px, shows it in public in both languages, axe clean', async () => {
    const person = await citizenSession(h, '001090000041', 'Đặng Văn Hải', 1);
    const phone = await browser.newContext({ viewport: { width: 360, height: 800 } });
    await phone.addCookies([{ ...cookieOf(person.cookie), url: base }]);
    const page = await phone.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/data-requests/new`);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await page.getByLabel('Dữ liệu bạn cần').fill('Lượng mưa theo ngày của các trạm khí tượng');
    await page.getByLabel('Mô tả').fill('Lượng mưa ngày của mọi trạm khí tượng, từ năm 2015 đến nay.');
    await page.getByLabel('Mục đích sử dụng').fill('Mô hình dự báo lũ của trường đại học.');
    await page.getByLabel('Cơ quan nên giữ dữ liệu này').selectOption({ label: 'Bộ Tài chính' });
    await page.getByRole('button', { name: 'Gửi yêu cầu' }).click();
    await page.waitForURL(/\/data-requests\/[0-9a-f-]{36}\?sent=1$/);
    expect((await page.getByRole('status').textContent())?.trim()).toBe('Đã gửi yêu cầu của bạn.');
    expect(await page.getByTestId('data-request-status').textContent()).toContain('còn 10 ngày làm việc');
    expect(await seriousViolations(page)).toEqual([]);
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    const url = page.url().replace('?sent=1', '');
    await page.goto(`${base}/data-requests`);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await sideways(page)).toBeLessThanOrEqual(0);

    // the agency's officer answers from the dashboard at 1280 px
    const table = await buildTable(h, { agency: 'bo-tai-chinh', title_vi: 'Lượng mưa ngày 2015–2025' });
    const officer = await buildSession(h, { agency: 'bo-tai-chinh' });
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await desk.addCookies([{ ...cookieOf(officer.cookie), url: base }]);
    const inbox = await desk.newPage();
    await inbox.goto(`${base}/dashboard/data-requests`);
    expect(await seriousViolations(inbox)).toEqual([]);
    await inbox.getByRole('link', { name: 'Lượng mưa theo ngày của các trạm khí tượng' }).click();
    expect(await seriousViolations(inbox)).toEqual([]);
    await inbox.getByLabel('Bộ dữ liệu đã công bố (đường dẫn ngắn)').fill(table.dataset.slug);
    await inbox.getByRole('button', { name: 'Đã công bố' }).click();
    await inbox.waitForURL(/\?done=1$/);
    expect(await inbox.getByTestId('data-request-status').textContent()).toContain('Đã công bố dữ liệu');

    // anyone sees the answer, in English and Vietnamese, on a phone and a desktop
    for (const [width, lang] of [
      [360, 'en'],
      [1280, 'vi'],
    ] as const) {
      const anyone = await browser.newContext({ viewport: { width, height: 800 } });
      const p = await anyone.newPage();
      await p.goto(`${url}?lang=${lang}`);
      expect(await p.getByTestId('data-request-status').textContent()).toContain(
        lang === 'en' ? 'Data published' : 'Đã công bố dữ liệu',
      );
      expect(await p.getByTestId('data-request-answer').getByRole('link').textContent()).toBe(
        'Lượng mưa ngày 2015–2025',
      );
      expect(await seriousViolations(p)).toEqual([]);
      expect(await sideways(p)).toBeLessThanOrEqual(0);
      await anyone.close();
    }
    expect(errors).toEqual([]);
    await phone.close();
    await desk.close();
  });

  it('shows a data set’s change history with a new version, at 360 and 1280 px, axe clean', async () => {
    const table = await buildTable(h, { title_vi: 'Dân số các tỉnh (trình duyệt)' });
    await loadDistribution(h, table, { content: 'ma_tinh,ten_tinh,dan_so\n01,Hà Nội,8435650\n' });
    for (const [width, lang] of [
      [360, 'vi'],
      [1280, 'en'],
    ] as const) {
      const context = await browser.newContext({ viewport: { width, height: 800 } });
      const p = await context.newPage();
      await p.goto(`${base}/dataset/${table.dataset.slug}?lang=${lang}`);
      // the data set's page with its added sections (related data sets, the history's link)
      expect(await seriousViolations(p)).toEqual([]);
      expect(await sideways(p)).toBeLessThanOrEqual(0);
      await p.getByRole('link', { name: lang === 'vi' ? 'Xem lịch sử thay đổi' : 'See the change history' }).click();
      await p.waitForURL(/\/history/);
      expect(await p.getByTestId('history').textContent()).toContain(
        lang === 'vi' ? 'phiên bản 2: 1 dòng; trước đó 3 dòng' : 'version 2: 1 rows; 3 rows before',
      );
      expect(await seriousViolations(p)).toEqual([]);
      expect(await sideways(p)).toBeLessThanOrEqual(0);
      await context.close();
    }
  });
});
