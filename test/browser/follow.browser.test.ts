import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInWithEmail } from '../citizens.js';
import { testDrivers } from '../drivers.js';
import { buildDataset, buildDistribution, publishDataset, type Dataset } from '../factories.js';
import { startHarness, type Harness } from '../harness.js';
import { freePort } from '../ports.js';
import { HAS_CHROMIUM, launch, seriousViolations } from './browser.js';

const cookieOf = (header: string) => {
  const [name, value] = header.split('=') as [string, string];
  return { name, value };
};

const until = async (what: () => Promise<boolean>) => {
  for (let i = 0; i < 300; i++) {
    if (await what()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
};

/** Issue 20: a person follows a data set in Chromium, a new version is loaded, and they are told on their page. */
describe.skipIf(!HAS_CHROMIUM)('follow and be told in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let base = '';
  let dataset: Dataset;
  let fileId = '';
  const told = async () =>
    Number(
      (
        await h.db
          .selectFrom('follow_events')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('fanned_out_at', 'is not', null)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const tell = async (before: number) =>
    until(async () => {
      await h.app.portal.follow.deliverer.runOnce();
      return (await told()) > before;
    });
  const noSidewaysScroll = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await startHarness(testDrivers()[0]!, { NDP_BASE_URL: base });
    await h.app.server.listen({ port, host: '127.0.0.1' });
    await h.app.jobs.start();
    dataset = await buildDataset(h, { title_vi: 'Dân số theo tỉnh năm 2025', title_en: 'Population by province 2025' });
    fileId = (await buildDistribution(h, { dataset, csv: 'tinh,dan_so\nHà Nội,8587100\n' })).id;
    // loaded while a draft (its first version tells nobody), then published: one event, told before the follow
    await until(async () => (await h.app.services.datastore.versionsOf(fileId)).some((v) => v.status === 'ready'));
    await new Promise((r) => setTimeout(r, 1000));
    await publishDataset(h, dataset);
    await tell(0);
    browser = await launch();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('follows from the data set page, is told of a new version, at 360 and 1280 px, in Vietnamese and English', async () => {
    const person = await signedInWithEmail(h, '001090000031', 'Trần Thị Mai', 'mai@example.vn');
    const errors: string[] = [];
    const open = async (width: number) => {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      await context.addCookies([{ ...cookieOf(person.cookie), url: base }]);
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(String(e)));
      return { context, page };
    };

    const phone = await open(360);
    await phone.page.goto(`${base}/dataset/${dataset.slug}`);
    expect(await seriousViolations(phone.page)).toEqual([]);
    expect(await noSidewaysScroll(phone.page)).toBe(true);
    await phone.page.getByRole('button', { name: 'Theo dõi bộ dữ liệu này' }).click();
    await phone.page.waitForURL(`${base}/dataset/${dataset.slug}`);
    await phone.page.getByText('Bạn đang theo dõi bộ dữ liệu này').waitFor();
    expect(await seriousViolations(phone.page)).toEqual([]);

    // the publisher loads the table again: a new version becomes current
    const before = await told();
    const res = await h.inject({
      method: 'POST',
      url: `/api/v1/distributions/${fileId}/datastore/load`,
      headers: dataset.user.auth,
    });
    expect(res.statusCode).toBe(202);
    await tell(before);

    await phone.page.goto(`${base}/my/follows?lang=vi`);
    const list = phone.page.getByTestId('notifications');
    expect(await list.textContent()).toContain('Phiên bản mới: Dân số theo tỉnh năm 2025');
    expect(await list.locator('.badge').textContent()).toBe('Mới');
    expect(await seriousViolations(phone.page)).toEqual([]);
    expect(await noSidewaysScroll(phone.page)).toBe(true);

    const desk = await open(1280);
    await desk.page.goto(`${base}/my/follows?lang=en`);
    expect(await desk.page.getByTestId('notifications').textContent()).toContain(
      'New version: Population by province 2025',
    );
    expect(await seriousViolations(desk.page)).toEqual([]);
    await desk.page.getByRole('button', { name: 'Mark all as read' }).click();
    await desk.page.getByText('Marked as read.').waitFor();
    expect(await desk.page.getByTestId('notifications').locator('.badge').count()).toBe(0);
    await desk.page.goto(`${base}/dataset/${dataset.slug}`);
    expect(await desk.page.getByText('You follow this data set').count()).toBe(1);
    expect(await seriousViolations(desk.page)).toEqual([]);
    for (const path of ['/agency/bo-tai-chinh', '/datasets?q=dan+so']) {
      await phone.page.goto(`${base}${path}`);
      expect(await phone.page.locator('link[type="application/atom+xml"]').count()).toBe(1);
      expect(await seriousViolations(phone.page)).toEqual([]);
      expect(await noSidewaysScroll(phone.page)).toBe(true);
    }
    expect(errors).toEqual([]);
    await phone.context.close();
    await desk.context.close();
  }, 90_000);
});
