import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenSession } from '../citizens.js';
import { testDrivers } from '../drivers.js';
import { buildAgencyUser, buildDataset, type AgencyUser, type Dataset } from '../factories.js';
import { PASSWORD, startHarness, type Harness } from '../harness.js';
import { freePort } from '../ports.js';
import { HAS_CHROMIUM, launch, seriousViolations } from './browser.js';

const cookieOf = (header: string) => {
  const [name, value] = header.split('=') as [string, string];
  return { name, value };
};
const sideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

const WORDS = {
  vi: {
    title: 'Tên sản phẩm',
    description: 'Mô tả',
    url: 'Địa chỉ sản phẩm',
    submit: 'Gửi sản phẩm',
    subject: 'Tiêu đề',
    question: 'Câu hỏi',
    ask: 'Gửi câu hỏi',
    answer: 'Câu trả lời',
    send: 'Gửi câu trả lời',
    inTime: 'Đã trả lời đúng hạn',
  },
  en: {
    title: 'Title',
    description: 'Description',
    url: 'Address of the reuse',
    submit: 'Submit the reuse',
    subject: 'Subject',
    question: 'Question',
    ask: 'Send the question',
    answer: 'Answer',
    send: 'Send the answer',
    inTime: 'Answered in time',
  },
};

/** Issue 20: a reuse submitted and seen on its data set's page; a question asked and answered; in Chromium. */
describe.skipIf(!HAS_CHROMIUM)('reuses and discussion in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let base = '';
  let publisher: AgencyUser;
  let ds: Dataset;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await startHarness(testDrivers()[0]!, { NDP_BASE_URL: base });
    await h.app.server.listen({ port, host: '127.0.0.1' });
    browser = await launch();
    publisher = await buildAgencyUser(h, { agency: 'bo-y-te' });
    ds = await buildDataset(h, { status: 'published', user: publisher });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  /** Every page the flow passes: no serious WCAG violation, no script error, no sideways scroll. */
  const check = async (page: Page, errors: string[]) => {
    expect(await seriousViolations(page)).toEqual([]);
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    expect(errors).toEqual([]);
  };

  for (const [width, lang, id] of [
    [360, 'vi', '001090000501'],
    [1280, 'en', '001090000502'],
    [360, 'en', '001090000503'],
    [1280, 'vi', '001090000504'],
  ] as const) {
    it(`submits a reuse and asks a question that the publisher answers, at ${width} px in ${lang}`, async () => {
      const w = WORDS[lang];
      const q = lang === 'en' ? '&lang=en' : '';
      const person = await citizenSession(h, id, `Người dùng ${id.slice(-3)}`, 1);
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      await context.addCookies([{ ...cookieOf(person.cookie), url: base }]);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));

      // the reuse: from the data set's page's link, the data set ticked already
      await page.goto(`${base}/reuses/new?dataset=${ds.slug}${q}`);
      await check(page, errors);
      const title = `Bản đồ ${id} (${width}, ${lang})`;
      await page.getByLabel(w.title, { exact: true }).fill(title);
      await page.getByLabel(w.description, { exact: true }).fill('Bản đồ tô màu các tỉnh theo số dân năm 2025.');
      await page.getByLabel(w.url, { exact: true }).fill('https://example.org/ban-do');
      await page.getByRole('button', { name: w.submit }).click();
      await page.waitForURL(/\/reuses\/[0-9a-f-]{36}\?saved=1/);
      await check(page, errors);
      const reusePage = page.url().split('?')[0]!;
      await page.goto(`${base}/reuses${q.replace('&', '?')}`);
      expect(await page.getByTestId('reuses').textContent()).toContain(title);
      await check(page, errors);
      await page.goto(`${base}/dataset/${ds.slug}${q.replace('&', '?')}`);
      await expect.poll(() => page.getByTestId('dataset-reuses').textContent()).toContain(title);
      await check(page, errors);

      // the question, from the data set's page
      await page.getByLabel(w.subject, { exact: true }).fill(`Câu hỏi ${id}`);
      await page.getByLabel(w.question, { exact: true }).fill('Số liệu có gồm người tạm trú không?');
      await page.getByRole('button', { name: w.ask }).click();
      await page.waitForURL(/\/questions\/[0-9a-f-]{36}\?sent=1/);
      await check(page, errors);
      const thread = page.url().split('?')[0]!;

      // the publisher answers from the thread
      const staff = await h.signIn(publisher.email, PASSWORD);
      const desk = await browser.newContext({ viewport: { width, height: 900 } });
      await desk.addCookies([{ ...cookieOf(staff.cookie), url: base }]);
      const officer = await desk.newPage();
      officer.on('pageerror', (e) => errors.push(String(e)));
      await officer.goto(`${base}/dashboard/questions${q.replace('&', '?')}`);
      await check(officer, errors);
      await officer.goto(`${reusePage}${q.replace('&', '?')}`); // with the moderators' form to hide it
      await check(officer, errors);
      await officer.goto(`${thread}${q.replace('&', '?')}`);
      await officer.getByLabel(w.answer, { exact: true }).fill('Có, người tạm trú trên 6 tháng.');
      await officer.getByRole('button', { name: w.send }).click();
      await officer.waitForURL(/\?answered=1/);
      expect(await officer.getByTestId('question-state').textContent()).toContain(w.inTime);
      await check(officer, errors);
      await page.reload();
      expect(await page.getByTestId('answers').textContent()).toContain('Có, người tạm trú trên 6 tháng.');
      await check(page, errors);
      await context.close();
      await desk.close();
    }, 60_000);
  }
});
