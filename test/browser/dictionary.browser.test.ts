import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../drivers.js';
import { PASSWORD, startHarness, type Harness } from '../harness.js';
import { buildAgencyUser, buildDistribution, type AgencyUser, type Distribution } from '../factories.js';
import { freePort } from '../ports.js';
import { HAS_CHROMIUM, launch, seriousViolations } from './browser.js';

/**
 * Issue 20: the dictionary editor feeds the schema picker. In Chromium, an officer proposes a field, the owner
 * approves it, and the schema picker of a data set's file offers it and attaches it; every page at 360 and 1280 px,
 * in Vietnamese and English, with no sideways scroll and no serious WCAG violation.
 */
describe.skipIf(!HAS_CHROMIUM)('the data dictionary editor in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let base = '';
  let officer: AgencyUser;
  let owner: AgencyUser;
  let file: Distribution;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await startHarness(testDrivers()[0]!, { NDP_BASE_URL: base });
    await h.app.server.listen({ port, host: '127.0.0.1' });
    browser = await launch();
    officer = await buildAgencyUser(h, { agency: 'bo-tai-chinh' });
    owner = await buildAgencyUser(h, { agency: 'bo-tai-chinh', role: 'agency_admin' });
    file = await buildDistribution(h, { user: officer });
    fs.mkdirSync('test-results', { recursive: true });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const signedIn = async (who: AgencyUser, width: number): Promise<{ context: BrowserContext; page: Page }> => {
    const s = await h.signIn(who.email, PASSWORD);
    const [name, value] = s.cookie.split('=') as [string, string];
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    await context.addCookies([{ name, value, url: base }]);
    return { context, page: await context.newPage() };
  };
  const check = async (page: Page, shot: string) => {
    expect(await seriousViolations(page), `${page.url()} has WCAG violations`).toEqual([]);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `test-results/dictionary-${shot}.png`, fullPage: true });
  };

  it('an officer proposes a field, the owner approves it, and the schema picker attaches it (360 px)', async () => {
    const desk = await signedIn(officer, 360);
    const errors: string[] = [];
    desk.page.on('pageerror', (e) => errors.push(String(e)));
    await desk.page.goto(`${base}/dashboard`);
    await desk.page.getByRole('link', { name: 'Từ điển dữ liệu: đề xuất và duyệt' }).click();
    await desk.page.getByRole('link', { name: 'Đề xuất trường mới' }).click();
    await check(desk.page, '360-vi-propose');
    await desk.page.getByLabel('Mã trường').fill('so_tai_khoan_ngan_sach');
    await desk.page.getByLabel('Tên tiếng Việt').fill('Số tài khoản ngân sách');
    await desk.page.getByLabel('Tên tiếng Anh').fill('Budget account number');
    await desk.page.getByLabel('Định nghĩa tiếng Việt').fill('Số tài khoản mở tại Kho bạc Nhà nước.');
    await desk.page.getByLabel('Mẫu (biểu thức chính quy)').fill('^\\d{4,12}$');
    await desk.page.getByRole('button', { name: 'Gửi đề xuất' }).click();
    await desk.page.waitForURL(/\/dashboard\/dictionary\?done=propose$/);
    expect((await desk.page.getByRole('status').first().textContent())?.trim()).toBe(
      'Đã gửi đề xuất; cơ quan sở hữu sẽ duyệt.',
    );
    await check(desk.page, '360-vi-review-mine');

    const review = await signedIn(owner, 360);
    await review.page.goto(`${base}/dashboard/dictionary`);
    await check(review.page, '360-vi-review');
    const item = review.page.getByTestId('to-decide').locator('li', { hasText: 'so_tai_khoan_ngan_sach' });
    await item.getByLabel('Ý kiến (bắt buộc khi từ chối)').fill('Đồng ý, dùng cho báo cáo thu chi.');
    await item.getByRole('button', { name: 'Duyệt' }).click();
    await review.page.waitForURL(/\?done=approve$/);

    await desk.page.goto(`${base}/dashboard/datasets/${file.dataset.slug}`);
    const picker = desk.page.locator(`#dict-${file.id}-0`);
    expect(await picker.locator('option[value="so_tai_khoan_ngan_sach"]').count()).toBe(1);
    await desk.page.locator(`#col-${file.id}-0`).fill('tai_khoan');
    await picker.selectOption('so_tai_khoan_ngan_sach');
    await check(desk.page, '360-vi-picker');
    await desk.page.getByRole('button', { name: 'Lưu cấu trúc dữ liệu' }).click();
    await desk.page.waitForURL(/\?schema=1$/);
    const stored = await h.db
      .selectFrom('distributions')
      .select('table_schema')
      .where('id', '=', file.id)
      .executeTakeFirstOrThrow();
    const field = (stored.table_schema as { fields: Record<string, unknown>[] }).fields.find(
      (f) => f.name === 'tai_khoan',
    );
    expect(field).toMatchObject({
      type: 'string',
      title: 'Số tài khoản ngân sách',
      description: 'Số tài khoản mở tại Kho bạc Nhà nước.',
      constraints: { pattern: '^\\d{4,12}$' },
      'ndp:dictionary': 'so_tai_khoan_ngan_sach',
      'ndp:dictionaryVersion': 1,
    });
    expect(errors).toEqual([]);
    await desk.context.close();
    await review.context.close();
  }, 120_000);

  for (const width of [360, 1280])
    for (const lang of ['vi', 'en'])
      it(`shows the dictionary's pages at ${width} px in ${lang === 'vi' ? 'Vietnamese' : 'English'}`, async () => {
        const { context, page } = await signedIn(owner, width);
        for (const [name, path] of <[string, string][]>[
          ['list', '/dictionary?q=tai+khoan'],
          ['field', '/dictionary/so_tai_khoan_ngan_sach'],
          ['review', '/dashboard/dictionary'],
          ['propose', '/dashboard/dictionary/propose?field=so_tai_khoan_ngan_sach'],
        ]) {
          await page.goto(`${base}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
          await check(page, `${width}-${lang}-${name}`);
        }
        const heading = await page.goto(`${base}/dictionary/so_tai_khoan_ngan_sach?lang=${lang}`);
        expect(heading?.status()).toBe(200);
        expect(await page.locator('h1').textContent()).toBe(
          lang === 'en' ? 'Budget account number' : 'Số tài khoản ngân sách',
        );
        await context.close();
      }, 90_000);
});
