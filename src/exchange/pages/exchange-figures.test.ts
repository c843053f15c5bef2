import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { generateTlsKey, rawEd25519 } from '../protocol/pki.js';
import { GatewaysRepository } from '../registry/gateways.repository.js';

for (const driver of testDrivers()) {
  describe(`the exchange page's figures (${driver.name})`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(driver);
    });
    afterAll(() => h.close());

    it('shows successful reads apart from 404s, and the log entries written and queued', async () => {
      const admin = await h.tokenFor('000.00.00.G01', 'agency_admin', 'figures@bca.gov.vn');
      const gw = (
        await h.inject({
          method: 'POST',
          url: '/api/v1/exchange/gateways',
          payload: {
            agency: '000.00.00.G01',
            address: 'https://10.0.0.9:8443',
            signingKey: rawEd25519(generateKeyPairSync('ed25519').publicKey).toString('base64'),
            tlsPublicKey: (await generateTlsKey()).publicPem,
          },
          headers: { authorization: `Bearer ${admin.token}` },
        })
      ).json();
      // as a gateway reports it: 5 reads, 2 of them answered 404 by the service; 6 log entries, 4 still queued
      await new GatewaysRepository(h.db).touchGateway(gw.id, {
        at: '2026-08-03T07:05:00Z',
        metrics: {
          services: [
            { side: 'provider', service: 'GOV/G01/people/v1', requests: 5, ok: 3, errors: 0, p50Ms: 2, p99Ms: 9 },
          ],
          log: { size: 2, pending: 4, checkpointSize: 0 },
          configuration: { valid: true },
        },
      });
      const session = await h.signIn('figures@bca.gov.vn', 'correct horse battery');
      const en = (
        await h.inject({ method: 'GET', url: '/dashboard/exchange?lang=en', headers: { cookie: session.cookie } })
      ).body;
      expect(en).toContain('Log entries: 6');
      expect(en).toMatch(/<th scope="col">Successful reads<\/th>/);
      expect(en).toMatch(/<td>3<\/td><td>5<\/td><td>0<\/td>/);
      expect(en).toContain('3 Aug 2026 14:05');
      const vi = (await h.inject({ method: 'GET', url: '/dashboard/exchange', headers: { cookie: session.cookie } }))
        .body;
      expect(vi).toContain('Lượt đọc thành công');
      expect(vi).toContain('03/08/2026 14:05');
    });
  });
}
