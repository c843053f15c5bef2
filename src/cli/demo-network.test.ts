import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { createLogger } from '../platform/logger.js';
import { startDemoNetwork, type DemoNetwork } from './demo-network.js';

describe('the demo exchange network of npm start', () => {
  let h: Harness;
  let network: DemoNetwork;
  beforeAll(async () => {
    h = await startHarness(testDrivers()[0]!);
    await h.app.server.listen({ port: 0, host: '127.0.0.1' });
    const port = (h.app.server.server.address() as { port: number }).port;
    network = await startDemoNetwork(h.app, h.database, { dataDir: h.dataDir, basePort: 0, logger: createLogger({ logLevel: 'silent' }), registryUrl: `http://127.0.0.1:${port}` });
  }, 60_000);
  afterAll(async () => { await network?.stop(); await h?.close(); });

  it('answers the README’s call through two gateways, and refuses what the demo grant does not open', async () => {
    const headers = { 'X-Road-Client': network.client, 'X-Ndp-Api-Key': network.apiKey, 'X-Ndp-Purpose': 'verify-residence', 'X-Road-UserId': `VN${network.citizen}` };
    const ok = await fetch(`${network.consumerUrl}/r1/${network.service}/citizens/${network.citizen}`, { headers });
    expect(ok.status).toBe(200);
    const person = await ok.json();
    expect(person).toMatchObject({ id: '001090000001', sex: 'nam', dateOfBirth: expect.stringMatching(/^1990-/) });
    expect(person.permanentResidence.communeCode).toMatch(/^\d{5}$/);
    expect(network.curl).toContain(`/r1/${network.service}/citizens/${network.citizen}`);
    const denied = await fetch(`${network.consumerUrl}/r1/${network.service}/admin/export`, { headers });
    expect(denied.headers.get('x-road-error')).toBe('Server.ServerProxy.AccessDenied');
    // a second start (here on other ports) reuses the registrations: the same gateways, moved
    const before = (await h.app.services.registry.repo.activeGateways()).map((g) => g.id).sort();
    await network.stop();
    const port = (h.app.server.server.address() as { port: number }).port;
    network = await startDemoNetwork(h.app, h.database, { dataDir: h.dataDir, basePort: 0, logger: createLogger({ logLevel: 'silent' }), registryUrl: `http://127.0.0.1:${port}` });
    expect((await h.app.services.registry.repo.activeGateways()).map((g) => g.id).sort()).toEqual(before);
    const again = await h.app.services.registry.repo.listSubsystems();
    expect(again.filter((s) => s.code === 'DVC' || s.code === 'CSDLQGDC')).toHaveLength(2);
    expect((await fetch(`${network.consumerUrl}/r1/${network.service}/citizens/${network.citizen}`, { headers })).status).toBe(200);
  });
});
