import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizenSession } from '../citizens.js';
import { testDrivers } from '../drivers.js';
import { buildProcedure } from '../factories.js';
import { startHarness, type Harness } from '../harness.js';
import { freePort } from '../ports.js';
import { buildDossierRow, issueResult } from '../results.js';
import type { ResultRow } from '../../src/services/results/result.js';
import { HAS_CHROMIUM, launch, seriousViolations } from './browser.js';

/** Issue 21: "an officer issues the result; its QR page verifies, and a tampered one does not" — as a reader sees it. */
describe.skipIf(!HAS_CHROMIUM)('signed results in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let base = '';
  let cookie = '';
  let result: ResultRow;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await startHarness(testDrivers()[0]!, { NDP_BASE_URL: base });
    await h.app.server.listen({ port, host: '127.0.0.1' });
    browser = await launch();
    const procedure = await buildProcedure(h, { agency: 'thanh-pho-ha-noi' });
    const citizen = await citizenSession(h, '001092000001', 'Ngô Bảo Châu');
    cookie = citizen.cookie;
    const dossier = await buildDossierRow(h, { procedure, citizen });
    result = await issueResult(h, { officer: procedure.user.principal, procedure, dossier });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('prints the holder’s result on one A4 page without the site’s menus, and its QR address says valid', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: base }]);
    const page = await context.newPage();
    await page.goto(`${base}/my/results/${result.id}`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(await page.locator('[data-testid="result-qr"] svg').isVisible()).toBe(true);
    expect(await page.locator('[data-testid="result-jws"]').isVisible()).toBe(true);
    const pdf = (await page.pdf({ format: 'A4' })).toString('latin1');
    expect(pdf.match(/\/Type\s*\/Page\b/g)?.length).toBe(1);
    await page.emulateMedia({ media: 'screen' });
    // the address printed beside the QR is the one it encodes: follow it as a phone's camera would
    const url = (await page.locator('[data-testid="result-url"]').textContent()) ?? '';
    await page.goto(url);
    expect(await page.locator('[data-testid="verdict"]').getAttribute('data-verdict')).toBe('valid');
    expect(await page.locator('main').textContent()).toContain('Ngô Bảo Châu');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  it('refuses a pasted JWS whose content was changed, saying why', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/verify?lang=en`);
    const [head, , sig] = result.jws.split('.');
    const changed = { ...result.payload, subject: 'Someone else' };
    await page.fill('#jws', `${head}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${sig}`);
    await page.click('form[action="/verify"] button[type="submit"]');
    const verdict = page.locator('[data-testid="verdict"]');
    expect(await verdict.getAttribute('data-verdict')).toBe('invalid');
    expect(await verdict.textContent()).toContain('the signature does not match the content');
    expect(await page.locator('main').textContent()).not.toContain('Someone else');
    await page.fill('#jws', result.jws);
    await page.click('form[action="/verify"] button[type="submit"]');
    expect(await page.locator('[data-testid="verdict"]').getAttribute('data-verdict')).toBe('valid');
    await page.close();
  });
});
