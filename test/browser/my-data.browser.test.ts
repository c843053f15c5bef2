import fs from 'node:fs';
import http from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSENT_PURPOSE, startDemoNetwork, type DemoNetwork } from '../../src/cli/demo-network.js';
import { DEMO_CITIZEN, demoPopulation } from '../../src/cli/demo-citizens.js';
import { startStandInEid, type StandInEid } from '../../src/identity/stand-in/stand-in-eid.js';
import { createLogger } from '../../src/platform/logger.js';
import { testDrivers } from '../drivers.js';
import { startHarness, type Harness } from '../harness.js';
import { freePort } from '../ports.js';
import { HAS_CHROMIUM, launch, seriousViolations } from './browser.js';

fs.mkdirSync('test-results', { recursive: true });
const CONSUMER_SYSTEM = 'Hệ thống thông tin giải quyết thủ tục hành chính thành phố Hà Nội';

/**
 * Issue 19's journey in Chromium: a demo citizen signs in through the stand-in e-ID (PKCE) at level 2 and sees the
 * reads the demo network made of their data; a level-1 sign-in is refused "my data"; an agency's system asks for
 * consent, the citizen approves, a call under the consent-based grant succeeds, the citizen withdraws, the next call
 * is refused with an X-Road error, and the page shows both calls (the read and the refused attempt) and the withdrawn
 * consent. At 360 and 1280 px, in
 * Vietnamese and English, never wider than the screen.
 */
for (const driver of testDrivers()) {
  describe.skipIf(!HAS_CHROMIUM)(`"my data" in Chromium (${driver.name})`, () => {
    let h: Harness;
    let eid: StandInEid;
    let network: DemoNetwork;
    let browser: Browser;
    let base = '';
    let editor = '';
    const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });

    beforeAll(async () => {
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      h = await startHarness(driver, { NDP_BASE_URL: base });
      await h.app.server.listen({ port, host: '127.0.0.1' });
      network = await startDemoNetwork(h.app, h.database, {
        dataDir: h.dataDir,
        basePort: 0,
        logger: createLogger({ logLevel: 'silent' }),
        registryUrl: base,
      });
      const people = await demoPopulation(h.db);
      eid = await startStandInEid({
        issuer: `http://127.0.0.1:${await freePort()}`,
        people: [...people.values()].slice(0, 50),
        clients: [
          { clientId: 'ndp-portal', clientSecret: 'browser test secret', redirectUris: [`${base}/auth/eid/callback`] },
        ],
        acrLevels: ['urn:ndp:loa:1', 'urn:ndp:loa:2'],
        demo: true,
      });
      h.app.identity.useEid({ issuer: eid.issuer, clientId: 'ndp-portal', clientSecret: 'browser test secret' });
      editor = (await h.tokenFor('000.00.00.H01', 'agency_editor')).token;
      browser = await launch();
    }, 120_000);
    afterAll(async () => {
      agent.destroy();
      await browser?.close();
      await network?.stop();
      await eid?.close();
      await h?.close();
    });

    /** A call through the demo's gateways naming the demo citizen, as an agency's system makes it. */
    const call = (purpose: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; error: string | undefined }>((resolve, reject) => {
        const url = new URL(network.consumerUrl);
        const req = http.request(
          {
            host: url.hostname,
            port: url.port,
            agent,
            path: `/r1/${network.service}/citizens/${network.citizen}`,
            headers: {
              'X-Road-Client': network.client,
              'X-Ndp-Api-Key': network.apiKey,
              'X-Ndp-Purpose': purpose,
              'X-Road-UserId': `VN${DEMO_CITIZEN}`,
              ...headers,
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode!, error: res.headers['x-road-error'] as string }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    const agencyApi = async (method: 'GET' | 'POST', url: string, payload?: object) =>
      (await h.inject({ method, url, payload, headers: { authorization: `Bearer ${editor}` } })).json();

    /** Signs in at the stand-in as the demo citizen at `level`, from wherever the page is sent there. */
    async function atStandIn(page: Page, level: 1 | 2) {
      await page.waitForURL((u) => u.href.startsWith(`${eid.issuer}/interaction/`));
      await page.fill('#id_number', DEMO_CITIZEN);
      await page.check(`input[name=level][value="${level}"]`);
      await page.click('form[action$="/login"] button[type=submit]');
    }
    const notWider = async (page: Page) =>
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        page.viewportSize()!.width,
      );

    it('signs in at level 2 with PKCE, shows the demo network’s reads, and plays consent: approve, a call, withdraw, a refusal', async () => {
      // the demo network reads the citizen's data under its plain grant
      expect((await call('verify-residence')).status).toBe(200);
      await network.gateways.provider.report();

      const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const authorizations: URL[] = [];
      page.on('request', (r) => {
        const u = new URL(r.url());
        if (r.url().startsWith(eid.issuer) && u.searchParams.has('code_challenge')) authorizations.push(u);
      });
      await page.goto(`${base}/my-data`);
      await atStandIn(page, 2);
      await page.waitForURL(`${base}/my-data`);
      // the stand-in e-ID was asked with PKCE (S256) for level 2
      expect(authorizations).toHaveLength(1);
      expect(authorizations[0]!.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorizations[0]!.searchParams.get('acr_values')).toBe('urn:ndp:loa:2');
      expect(await page.textContent('h1')).toBe('Dữ liệu của tôi');
      expect(await page.textContent('[data-testid=coverage]')).toContain('X-Road-UserId');
      expect(await page.locator('[data-record]').count()).toBe(1);
      expect(await page.textContent('[data-record] [data-testid=reader]')).toContain(CONSUMER_SYSTEM);
      expect(await page.textContent('[data-record] [data-testid=purpose]')).toBe('verify-residence');
      expect(await page.textContent('[data-record] [data-testid=basis]')).toContain('Luật Cư trú 2020');
      // "verify" runs the browser verifier on the record's proof: in the provider gateway's signed log
      const verify = page.locator('[data-record] button[data-verify]');
      expect(await verify.textContent()).toBe('Kiểm tra bằng chứng');
      await verify.click();
      const result = page.locator('[data-record] output[data-verify-result]');
      await result.and(page.locator('[data-ok]')).waitFor();
      expect(await result.getAttribute('data-ok')).toBe('true');
      expect(await result.textContent()).toContain('Đã xác minh');
      // a proof changed on its way (another leaf) is said not to verify, with the reason
      await page.route('**/proof.json', async (route) => {
        const real = await (await route.fetch()).json();
        await route.fulfill({ json: { ...real, leaf: Buffer.alloc(32, 7).toString('base64') } });
      });
      await verify.click();
      await result.and(page.locator('[data-ok="false"]')).waitFor();
      expect(await result.textContent()).toContain('Không xác minh được: ');
      await page.unroute('**/proof.json');
      expect(await seriousViolations(page)).toEqual([]);
      await notWider(page);

      // an agency's system asks for consent: the request waits on the page with its terms
      const asked2 = await agencyApi('POST', '/api/v1/privacy/consents', {
        subject: `VN${DEMO_CITIZEN}`,
        recipient: network.clientSubsystemId,
        services: [{ service: network.serviceId, fields: ['fullName'] }],
        purpose: CONSENT_PURPOSE,
        validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        usesPerDay: 10,
        retentionDays: 90,
        note: 'Xét học bổng',
      });
      const card = page.locator(`#consent-${asked2.id}`);
      await page.reload();
      expect(await card.locator('[data-testid=consent-status]').textContent()).toBe('Đang chờ bạn');
      await card.locator('button[data-decision=approve]').click();
      await page.waitForURL(/done=approve/);
      expect(await page.textContent('[data-testid=done]')).toContain('Bạn đã đồng ý');
      expect(await card.locator('[data-testid=consent-status]').textContent()).toBe('Đang có hiệu lực');

      // the recipient fetches the artefact; a call under the consent-based grant goes through
      const artefact = (await agencyApi('GET', `/api/v1/privacy/consents/${asked2.id}`)).artefact as string;
      let ok = await call(CONSENT_PURPOSE, { 'X-Ndp-Consent': artefact });
      for (let i = 0; i < 50 && ok.error === 'Server.ServerProxy.ConsentUnverifiable'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        ok = await call(CONSENT_PURPOSE, { 'X-Ndp-Consent': artefact });
      }
      expect(ok.status).toBe(200);
      // every call that went through is a read the page must show (some may pass before the gateway learns of the withdrawal)
      let through = 1;

      // the citizen withdraws; within seconds the next call is refused with an X-Road error
      await card.locator('button[data-decision=withdraw]').click();
      await page.waitForURL(/done=withdraw/);
      let refused = await call(CONSENT_PURPOSE, { 'X-Ndp-Consent': artefact });
      for (let i = 0; i < 50 && refused.status === 200; i++) {
        through++;
        await new Promise((r) => setTimeout(r, 100));
        refused = await call(CONSENT_PURPOSE, { 'X-Ndp-Consent': artefact });
      }
      expect(refused).toMatchObject({ status: 403, error: 'Server.ServerProxy.ConsentWithdrawn' });

      // the page shows the refused attempt (newest, linked to the consent), the read the consent allowed, and the
      // consent withdrawn with its uses (the refusal is no use)
      await network.gateways.provider.report();
      await page.goto(`${base}/my-data`);
      expect(await page.locator('[data-record]').count()).toBe(2 + through);
      const attempt = page.locator('[data-record]').first();
      expect(await attempt.getAttribute('data-refused')).toBe('403');
      expect(await attempt.locator('h3').textContent()).toMatch(/^Lần đọc bị từ chối lúc /);
      expect(await attempt.locator('[data-testid=refused]').textContent()).toContain('không có dữ liệu nào của bạn');
      expect(await attempt.locator('[data-testid=read-consent]').getAttribute('href')).toBe(`#consent-${asked2.id}`);
      const read = page.locator('[data-record]:not([data-refused])').first();
      expect(await read.locator('[data-testid=purpose]').textContent()).toBe(CONSENT_PURPOSE);
      expect(await read.locator('[data-testid=basis]').textContent()).toContain('Sự đồng ý của bạn');
      expect(await read.locator('[data-testid=read-consent]').getAttribute('href')).toBe(`#consent-${asked2.id}`);
      expect(await card.locator('[data-testid=consent-status]').textContent()).toBe('Đã rút lại');
      expect(await card.locator('[data-testid=consent-uses]').textContent()).toBe(`${through} lần đọc đã dựa vào nó`);
      await card.locator('[data-testid=consent-uses]').click();
      await page.waitForURL(/consent=/);
      expect(await page.locator('[data-record]').count()).toBe(through + 1); // the uses, and the refused attempt
      expect(await page.locator('[data-record][data-refused]').count()).toBe(1);

      // both languages, both widths: never wider than the screen
      for (const width of [360, 1280]) {
        await page.setViewportSize({ width, height: 900 });
        for (const lang of ['vi', 'en'] as const) {
          await page.goto(`${base}/my-data?lang=${lang}`);
          expect(await page.textContent('#reads-title')).toBe(
            lang === 'vi' ? 'Ai đã đọc dữ liệu của tôi' : 'Who read my data',
          );
          await notWider(page);
          await page.screenshot({ path: `test-results/my-data-${width}-${lang}-${driver.name}.png`, fullPage: true });
        }
      }
      expect(await seriousViolations(page)).toEqual([]);
      await context.close();
    });

    it('refuses "my data" to a level-1 sign-in: the page asks for level 2, the API answers 403', async () => {
      const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
      const page = await context.newPage();
      await page.goto(`${base}/auth/eid?level=1&next=%2Faccount`);
      await atStandIn(page, 1);
      await page.waitForURL(`${base}/account`);
      expect(await page.textContent('[data-testid=account-level]')).toBe('Mức 1');
      // level 1 is offered the step up, not "my data"
      expect(await page.locator('a[href="/my-data"]').count()).toBe(0);
      await page.goto(`${base}/my-data`);
      // sent back to the e-ID for level 2; "my data" is not shown
      await page.waitForURL((u) => u.href.startsWith(`${eid.issuer}/interaction/`));
      expect(await page.locator('[data-record]').count()).toBe(0);
      const api = await page.request.get(`${base}/api/v1/my/records`);
      expect(api.status()).toBe(403);
      expect((await api.json()).error.code).toBe('ASSURANCE_TOO_LOW');
      await context.close();
    });
  });
}
