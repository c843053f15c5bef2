import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { field, insertDossier, reusedFields } from '../../src/services/meter/meter.fixtures.js';
import { citizenSession } from '../citizens.js';
import { testDrivers } from '../drivers.js';
import { buildProcedure } from '../factories.js';
import { startHarness, type Harness } from '../harness.js';
import { freePort } from '../ports.js';
import { axeViolations, HAS_CHROMIUM, launch } from './browser.js';

const sideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
/** The shares table as a reader sees it: each row's name and its share. */
const sharesShown = (page: Page) =>
  page.$$eval('[data-testid=shares] tbody tr', (rows) =>
    rows.map((r) => [r.querySelector('th')!.textContent!.trim(), r.querySelectorAll('td')[3]!.textContent!.trim()]),
  );

/** Issue 21: "the reuse meter's figures match the dossiers", as a reader sees them in Chromium, phone and desk. */
describe.skipIf(!HAS_CHROMIUM)('the reuse meter in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let base = '';

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await startHarness(testDrivers()[0]!, { NDP_BASE_URL: base });
    const hanoi = await h.agencyId('thanh-pho-ha-noi');
    const commune = await h.db
      .selectFrom('agencies')
      .select('id')
      .where('parent_id', '=', hanoi)
      .orderBy('code')
      .executeTakeFirstOrThrow();
    const finance = await h.agencyId('bo-tai-chinh');
    const p1 = await buildProcedure(h, { agency: 'thanh-pho-ha-noi' });
    const p2 = await buildProcedure(h, { agency: 'bo-tai-chinh' });
    const person = await citizenSession(h, '001090000321', 'Lê Văn Đo');
    const at = new Date();
    const dossier = (procedureId: string, agencyId: string, reused: number, typed: number) =>
      insertDossier(h.db, {
        procedureId,
        agencyId,
        publicUserId: person.user.userId,
        at,
        fields: [...reusedFields(reused), ...Array.from({ length: typed }, (_, i) => field(`t${i}`, 'typed'))],
      });
    await dossier(p1.id, commune.id, 10, 2);
    await dossier(p1.id, hanoi, 6, 6);
    await dossier(p2.id, finance, 0, 4);
    await h.app.server.listen({ port, host: '127.0.0.1' });
    browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('shows each agency’s share and the national one; the grouping changes by the form, without script', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 800 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/services/reuse?lang=vi`);
    expect(await page.textContent('[data-testid=total] li:first-child strong')).toBe('57,1%');
    const byAgency = await sharesShown(page);
    expect(byAgency.map(([, share]) => share).sort()).toEqual(['0%', '50%', '83,3%']);
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    await page.selectOption('#by', 'province');
    await Promise.all([page.waitForURL(/by=province/), page.click('form.filter-row button[type=submit]')]);
    expect(await sharesShown(page)).toEqual([
      [expect.stringContaining('Hà Nội'), '66,7%'],
      ['Cơ quan trung ương', '0%'],
    ]);
    await context.close();
  });

  it('passes axe in English at desk width, with the figures as English writes them', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/services/reuse?by=procedure&lang=en`);
    expect(await page.textContent('[data-testid=total] li:first-child strong')).toBe('57.1%');
    expect((await sharesShown(page)).map(([, share]) => share).sort()).toEqual(['0%', '66.7%']);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});
