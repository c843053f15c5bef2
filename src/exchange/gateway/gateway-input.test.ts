import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { createLogger } from '../../platform/logger.js';
import { startDemoNetwork, type DemoNetwork } from '../../cli/demo-network.js';

/** What a gateway makes of what any caller on its internal network sends it (issue 18.13, 18.15). */
describe('a gateway’s internal side, given hostile input', () => {
  let h: Harness;
  let network: DemoNetwork;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  beforeAll(async () => {
    h = await startHarness(testDrivers()[0]!);
    await h.app.server.listen({ port: 0, host: '127.0.0.1' });
    network = await startDemoNetwork(h.app, h.database, {
      dataDir: h.dataDir,
      basePort: 0,
      logger: createLogger({ logLevel: 'silent' }),
      registryUrl: `http://127.0.0.1:${(h.app.server.server.address() as { port: number }).port}`,
    });
  }, 120_000);
  afterAll(async () => {
    agent.destroy();
    await network?.stop();
    await h?.close();
  });

  const call = (path: string, headers: http.OutgoingHttpHeaders) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const url = new URL(network.consumerUrl);
      const req = http.request({ host: url.hostname, port: url.port, path, headers, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
  const metricsLines = async () =>
    (await (await fetch(`${network.consumerUrl}/metrics`)).text()).split('\n').filter(Boolean).length;
  const random = () => randomBytes(6).toString('hex');

  it('keeps /metrics and its reports the same size however many unknown services are asked for (18.13)', async () => {
    // the known service's series exist already, as they would on a gateway in use
    const ok = await call(`/r1/${network.service}/citizens/${network.citizen}`, {
      'X-Road-Client': network.client,
      'X-Ndp-Api-Key': network.apiKey,
      'X-Ndp-Purpose': 'verify-residence',
    });
    expect(ok.status).toBe(200);
    const before = await metricsLines();
    const calls = async (n: number, headers: http.OutgoingHttpHeaders) => {
      for (let i = 0; i < n; i += 50)
        await Promise.all(
          Array.from({ length: 50 }, () =>
            call(`/r1/VN/GOV/${random()}/${random()}/${random()}/x`, { 'X-Road-Client': network.client, ...headers }),
          ),
        );
    };
    await calls(1000, {}); // no key
    const afterKeyless = await metricsLines();
    expect(afterKeyless - before).toBeLessThanOrEqual(25);
    // a system that signed in asks for services that do not exist: counted under the same label
    await calls(200, { 'X-Ndp-Api-Key': network.apiKey });
    await calls(1000, {});
    const after = await metricsLines();
    expect(after - afterKeyless).toBeLessThanOrEqual(2); // one more error type at most
    const metrics = await (await fetch(`${network.consumerUrl}/metrics`)).text();
    expect(metrics).toMatch(/ndp_gateway_requests_total\{side="consumer",service="unknown"\} 2200/);
    expect(metrics).toContain(`ndp_gateway_requests_total{side="consumer",service="${network.service}"} 1`);
    // what goes to the registry every 10 s: one series per known service and side, and one for the rest
    expect(network.gateways.consumer.context.metrics.summary().map((s) => s.service)).toEqual([
      network.service,
      'unknown',
    ]);
  }, 120_000);

  it('refuses an X-Road-UserId given twice instead of joining the two into one person (18.15)', async () => {
    const r = await call(`/r1/${network.service}/citizens/${network.citizen}`, {
      'X-Road-Client': network.client,
      'X-Ndp-Api-Key': network.apiKey,
      'X-Ndp-Purpose': 'verify-residence',
      'X-Road-UserId': ['VN001090000001', 'VN001090000002'],
    });
    expect(r.status).toBe(400);
    expect(r.headers['x-road-error']).toBe('Client.BadRequest');
    const body = JSON.parse(r.body);
    expect(body.type).toBe('Client.BadRequest');
    expect(body.message).toContain('X-Road-UserId was sent more than once; send it once.');
    expect(body.message_vi).toContain('X-Road-UserId được gửi nhiều lần; chỉ gửi một lần.');
    // once is fine
    const once = await call(`/r1/${network.service}/citizens/${network.citizen}`, {
      'X-Road-Client': network.client,
      'X-Ndp-Api-Key': network.apiKey,
      'X-Ndp-Purpose': 'verify-residence',
      'X-Road-UserId': 'VN001090000001',
    });
    expect(once.status).toBe(200);
  });
});
