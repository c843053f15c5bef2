import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { createLogger } from '../platform/logger.js';
import { startDemoNetwork, type DemoNetwork } from './demo-network.js';
import { GatewaysRepository } from '../exchange/registry/gateways.repository.js';

describe('the demo exchange network of npm start', () => {
  let h: Harness;
  let network: DemoNetwork;
  beforeAll(async () => {
    h = await startHarness(testDrivers()[0]!);
    await h.app.server.listen({ port: 0, host: '127.0.0.1' });
    const port = (h.app.server.server.address() as { port: number }).port;
    network = await startDemoNetwork(h.app, h.database, {
      dataDir: h.dataDir,
      basePort: 0,
      logger: createLogger({ logLevel: 'silent' }),
      registryUrl: `http://127.0.0.1:${port}`,
    });
  }, 60_000);
  afterAll(async () => {
    await network?.stop();
    await h?.close();
  });

  it('answers the README’s call through two gateways, and refuses what the demo grant does not open', async () => {
    const headers = {
      'X-Road-Client': network.client,
      'X-Ndp-Api-Key': network.apiKey,
      'X-Ndp-Purpose': 'verify-residence',
      'X-Road-UserId': `VN${network.citizen}`,
    };
    const ok = await fetch(`${network.consumerUrl}/r1/${network.service}/citizens/${network.citizen}`, { headers });
    expect(ok.status).toBe(200);
    const person = await ok.json();
    expect(person).toMatchObject({ id: '001090000001', sex: 'nam', dateOfBirth: expect.stringMatching(/^1990-/) });
    expect(person.permanentResidence.communeCode).toMatch(/^\d{5}$/);
    expect(network.curl).toContain(`/r1/${network.service}/citizens/${network.citizen}`);
    const denied = await fetch(`${network.consumerUrl}/r1/${network.service}/admin/export`, { headers });
    expect(denied.headers.get('x-road-error')).toBe('Server.ServerProxy.AccessDenied');
    // a second start (here on other ports) reuses the registrations: the same gateways, moved
    const before = (await new GatewaysRepository(h.db).activeGateways()).map((g) => g.id).sort();
    await network.stop();
    const port = (h.app.server.server.address() as { port: number }).port;
    network = await startDemoNetwork(h.app, h.database, {
      dataDir: h.dataDir,
      basePort: 0,
      logger: createLogger({ logLevel: 'silent' }),
      registryUrl: `http://127.0.0.1:${port}`,
    });
    expect((await new GatewaysRepository(h.db).activeGateways()).map((g) => g.id).sort()).toEqual(before);
    const again = await h.app.services.registry.listSubsystems();
    expect(again.filter((s) => s.code === 'DVC' || s.code === 'CSDLQGDC')).toHaveLength(2);
    expect(
      (await fetch(`${network.consumerUrl}/r1/${network.service}/citizens/${network.citizen}`, { headers })).status,
    ).toBe(200);
  });

  it('refuses an X-Road-UserId the registry could not take, and a report the registry refuses does not hold back the ones after it', async () => {
    const headers = {
      'X-Road-Client': network.client,
      'X-Ndp-Api-Key': network.apiKey,
      'X-Ndp-Purpose': 'verify-residence',
    };
    const url = `${network.consumerUrl}/r1/${network.service}/citizens/${network.citizen}`;
    for (const userId of [`VN${'1'.repeat(70)}`, 'VN']) {
      const r = await fetch(url, { headers: { ...headers, 'X-Road-UserId': userId } });
      expect(r.status, userId).toBe(400);
      expect(r.headers.get('x-road-error')).toBe('Client.BadRequest');
      const body = await r.json();
      expect(body.message).toMatch(/3 to 64 characters/);
      expect(body.message_vi).toMatch(/từ 3 đến 64 ký tự/);
    }
    // records the registry would refuse (put straight into the provider's queue: its gateways no longer make them)
    const { provider } = network.gateways;
    const records = provider.context.accessRecords;
    await provider.report(); // what the first test left
    const record = {
      subject: 'VN001090000043',
      at: new Date().toISOString(),
      id: 'poison',
      index: 0,
      client: network.client,
      service: network.service,
      purpose: 'verify-residence',
      legalBasis: null,
      status: 200,
    };
    // ones the gateway can tell (a user id too long; a record spooled before log indexes): let go before sending
    records.push({ ...record, subject: 'x'.repeat(100) });
    records.push({ ...record, index: undefined as unknown as number });
    await provider.report();
    expect([records.rejected, records.length]).toEqual([2, 0]);
    // one only the registry can tell: its report is refused once, counted, and not sent again
    records.push({ ...record, at: 'yesterday' });
    await expect(provider.report()).rejects.toThrow(/not sent again/);
    expect([records.rejected, records.length]).toEqual([3, 0]);
    // the next read of a person's data reaches the registry
    const subject = 'VN001090000042';
    expect((await fetch(url, { headers: { ...headers, 'X-Road-UserId': subject } })).status).toBe(200);
    await provider.report();
    await h.tokenFor('000.00.00.G01', 'agency_admin', 'dpo-demo@ndp.test');
    const admin = await h.app.services.accounts.principalFor('dpo-demo@ndp.test');
    admin.isPlatformAdmin = true;
    expect((await h.app.services.registry.accessRecords(admin, subject)).map((r) => r.status)).toEqual([200]);
    const metrics = await (
      await fetch(`${network.consumerUrl.replace(/:\d+$/, '')}:${provider.consumerPort}/metrics`)
    ).text();
    expect(metrics).toMatch(/ndp_gateway_access_records_rejected_total 3/);
  });
});
