import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePeople } from '../../src/cli/demo-citizens.js';
import { startStandInEid, type StandInEid } from '../../src/identity/stand-in/stand-in-eid.js';
import { testDrivers } from '../drivers.js';
import { startHarness, type Harness } from '../harness.js';
import { freePort } from '../ports.js';
import { HAS_CHROMIUM, launch } from './browser.js';

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PEOPLE = [...generatePeople(40, [{ code: '00004', name: 'Phường Ba Đình', province: '01' }]).values()];
fs.mkdirSync('test-results', { recursive: true });

async function seriousViolations(page: Page) {
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(o: object): Promise<{ violations: { id: string; impact: string }[] }> } }
    ).axe;
    const r = await axe.run({ runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

for (const driver of testDrivers()) {
  describe.skipIf(!HAS_CHROMIUM)(`a citizen signs in with the e-ID in Chromium (${driver.name})`, () => {
    let h: Harness;
    let eid: StandInEid;
    let browser: Browser;
    let base = '';

    beforeAll(async () => {
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      h = await startHarness(driver, { NDP_BASE_URL: base });
      eid = await startStandInEid({
        issuer: `http://127.0.0.1:${await freePort()}`,
        people: PEOPLE,
        clients: [
          { clientId: 'ndp-portal', clientSecret: 'browser test secret', redirectUris: [`${base}/auth/eid/callback`] },
        ],
        acrLevels: ['urn:ndp:loa:1', 'urn:ndp:loa:2'],
        demo: true,
      });
      h.app.identity.useEid({ issuer: eid.issuer, clientId: 'ndp-portal', clientSecret: 'browser test secret' });
      await h.app.server.listen({ port, host: '127.0.0.1' });
      browser = await launch();
    });
    afterAll(async () => {
      await browser?.close();
      await eid?.close();
      await h?.close();
    });

    it('picks a demo citizen at level 2 on the stand-in (PKCE) and lands on a page with their name and level, at 360 px', async () => {
      const citizen = PEOPLE[7]!;
      const page = await (await browser.newContext({ viewport: { width: 360, height: 800 } })).newPage();
      await page.goto(`${base}/`);
      // the public sign-in is its own link in the header, apart from staff sign-in
      await page.click('header a.eid-signin');
      await page.waitForURL(/\/auth$/);
      expect(await page.locator('header a[href="/signin"]').textContent()).toBe('Cán bộ đăng nhập');
      expect(await seriousViolations(page)).toEqual([]);
      await page.click('a[href^="/auth/eid?level=2"]');
      await page.waitForURL((u) => u.href.startsWith(`${eid.issuer}/interaction/`));
      expect(await page.textContent('h1')).toContain('VNeID');
      expect(await page.textContent('main')).toContain('số định danh cá nhân');
      await page.fill('#id_number', citizen.id);
      expect(await page.isChecked('input[name=level][value="2"]')).toBe(true);
      await page.click('form[action$="/login"] button[type=submit]');
      await page.waitForURL(`${base}/account`);
      expect(await page.textContent('[data-testid=account-name]')).toBe(citizen.fullName);
      expect(await page.textContent('[data-testid=account-level]')).toBe('Mức 2');
      expect(await page.textContent('header')).toContain(citizen.fullName);
      expect(await seriousViolations(page)).toEqual([]);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(wide).toBeLessThanOrEqual(360);
      await page.screenshot({ path: `test-results/identity-account-360-${driver.name}.png`, fullPage: true });

      // signing out ends the public session; the header offers the e-ID again
      await page.click('header form[action="/auth/signout"] button');
      await page.waitForURL(`${base}/`);
      expect(await page.locator('header a.eid-signin').count()).toBe(1);
    });

    it('refuses a level 1 sign-in where level 2 was asked, in words', async () => {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${base}/auth/eid?level=2`);
      await page.waitForURL((u) => u.href.startsWith(`${eid.issuer}/interaction/`));
      await page.check('input[name=level][value="1"]');
      await page.click('form[action$="/login"] button[type=submit]');
      await page.waitForURL((u) => u.href.startsWith(`${base}/auth/eid/callback`));
      expect(await page.textContent('main')).toContain('mức 1; trang này cần mức 2');
      const me = await page.request.get(`${base}/api/v1/public/me`);
      expect(me.status()).toBe(401);
    });
  });
}
