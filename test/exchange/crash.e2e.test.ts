import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { testDrivers } from '../drivers.js';
import { startHarness, type Harness } from '../harness.js';
import { freePort, run, startGateway, tempDir, writeJson, type GatewayProcess } from './network.js';
import { CITIZENS_OPENAPI, DEMO_CITIZEN, generatePeople, startCitizensService } from '../../src/cli/demo-citizens.js';
import { ed25519FromRaw } from '../../src/exchange/protocol/pki.js';
import { verifierKey } from '../../src/exchange/protocol/checkpoint.js';
import { leafHash } from '../../src/exchange/protocol/merkle.js';
import { verifyRecordProof } from '../../src/exchange/protocol/record-proof.js';
import { RegistryService } from '../../src/exchange/registry/registry.service.js';

/**
 * Issue 18.11, as it was found: each gateway killed with SIGKILL under load and started again. Every 200 the client
 * received must be in both gateways' evidence logs, and every subject access record the provider's log holds must
 * reach the registry, with a proof window from which the registry builds its inclusion proof (issue 19).
 */
const driver = testDrivers().at(-1)!;
const PROVIDER = '000.00.00.G01';
const CONSUMER = '000.00.00.H01';
const SERVICE = ['VN', 'GOV', PROVIDER, 'CSDLQGDC', 'citizens'];
const WORKERS = 12;

interface Entry {
  side: string;
  id: string;
  status: number;
  error: string | null;
  user: string | null;
}

const readEntries = (dir: string): Entry[] =>
  readFileSync(path.join(dir, 'log', 'entries.ndjson'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Entry);

describe(`a gateway killed under load loses no evidence (gateways as processes; registry on ${driver.name})`, () => {
  let h: Harness;
  let citizens: { url: string; close(): Promise<void> };
  let provider: GatewayProcess;
  let consumer: GatewayProcess;
  let providerArgs: string[] = [];
  let consumerArgs: string[] = [];
  let apiKey = '';
  const gw: Record<string, { id: string; signingKey: string }> = {};
  const dirs = { provider: tempDir('ndp-crash-p-'), consumer: tempDir('ndp-crash-c-') };
  let relay: http.Server;
  let holdWindows = false;

  beforeAll(async () => {
    h = await startHarness(driver);
    await h.app.server.listen({ port: 0, host: '127.0.0.1' });
    const registryPort = (h.app.server.server.address() as { port: number }).port;
    // the gateways reach the registry through a relay that can hold back proof windows (answering 503), so that a
    // gateway is killed while the registry has records whose windows it has not had yet
    relay = http.createServer((req, res) => {
      if (holdWindows && req.url === '/api/v1/exchange/proof-windows') {
        req.resume();
        res.writeHead(503).end('held back by the test');
        return;
      }
      const out = http.request(
        { host: '127.0.0.1', port: registryPort, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      out.on('error', () => res.writeHead(502).end());
      req.pipe(out);
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    const registryUrl = `http://127.0.0.1:${(relay.address() as { port: number }).port}`;
    citizens = await startCitizensService(
      generatePeople(5, [{ code: '00004', name: 'Phường Ba Đình', province: '01' }]),
      0,
    );
    const api = async (token: string, method: string, url: string, payload?: unknown) => {
      const r = await h.inject({
        method: method as 'POST',
        url,
        payload: payload as object,
        headers: { authorization: `Bearer ${token}` },
      });
      if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
      return r.json();
    };
    const providerAdmin = (await h.tokenFor(PROVIDER, 'agency_admin')).token;
    const consumerAdmin = (await h.tokenFor(CONSUMER, 'agency_admin')).token;
    const prov = await api(providerAdmin, 'POST', '/api/v1/exchange/subsystems', {
      agency: PROVIDER,
      code: 'CSDLQGDC',
      name: 'CSDLQGDC',
    });
    const service = await api(providerAdmin, 'POST', '/api/v1/exchange/services', {
      subsystem: prov.id,
      code: 'citizens',
      title: 'Tra cứu công dân',
      baseUrl: citizens.url,
      openapi: CITIZENS_OPENAPI,
    });
    const dvc = await api(consumerAdmin, 'POST', '/api/v1/exchange/subsystems', {
      agency: CONSUMER,
      code: 'DVC',
      name: 'DVC',
    });
    apiKey = (await api(consumerAdmin, 'POST', `/api/v1/exchange/subsystems/${dvc.id}/keys`, { label: 'load' })).key;
    await api(providerAdmin, 'POST', '/api/v1/exchange/grants', {
      client: dvc.id,
      service: service.id,
      purposes: ['verify-residence'],
      legalBasis: 'Luật Cư trú 2020',
    });
    const ports = { provider: await freePort(), consumer: await freePort() };
    const init = async (dir: string, agency: string, port: number) => {
      const out = await run([
        'gateway',
        'init',
        '--dir',
        dir,
        '--agency',
        agency,
        '--address',
        `https://127.0.0.1:${port}`,
      ]);
      expect(out.code, out.stderr).toBe(0);
      return JSON.parse(out.stdout);
    };
    const [pInit, cInit] = await Promise.all([
      init(dirs.provider, PROVIDER, ports.provider),
      init(dirs.consumer, CONSUMER, ports.consumer),
    ]);
    gw.provider = await api(providerAdmin, 'POST', '/api/v1/exchange/gateways', pInit);
    gw.consumer = await api(consumerAdmin, 'POST', '/api/v1/exchange/gateways', cInit);
    const anchor = { ...(await api(providerAdmin, 'GET', '/api/v1/exchange/anchor')), registryUrl };
    const anchorFile = writeJson(path.join(dirs.provider, 'anchor.json'), anchor);
    const common = [
      '--anchor',
      anchorFile,
      '--listen',
      '127.0.0.1:0',
      '--config-interval',
      '1',
      '--report-interval',
      '1',
    ];
    providerArgs = [
      '--dir',
      dirs.provider,
      '--id',
      gw.provider!.id,
      '--peer-listen',
      `127.0.0.1:${ports.provider}`,
      ...common,
    ];
    consumerArgs = [
      '--dir',
      dirs.consumer,
      '--id',
      gw.consumer!.id,
      '--peer-listen',
      `127.0.0.1:${ports.consumer}`,
      ...common,
    ];
    [provider, consumer] = await Promise.all([startGateway(providerArgs), startGateway(consumerArgs)]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([provider?.stop(), consumer?.stop()]);
    await citizens?.close();
    relay?.closeAllConnections();
    await new Promise((r) => (relay ? relay.close(r) : r(undefined)));
    await h?.close();
  });

  /** One call as an agency's system makes it; resolves with the status only once the whole answer has arrived. */
  const call = (agent: http.Agent, id: string, user: string) =>
    new Promise<number>((resolve) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: consumer.consumerPort,
          agent,
          path: `/r1/${SERVICE.join('/')}/citizens/${DEMO_CITIZEN}`,
          headers: {
            'X-Road-Client': `VN/GOV/${CONSUMER}/DVC`,
            'X-Ndp-Api-Key': apiKey,
            'X-Road-Id': id,
            'X-Road-UserId': user,
            'X-Ndp-Purpose': 'verify-residence',
          },
          timeout: 10_000,
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d) => {
            text += d;
          });
          res.on('end', () => {
            try {
              resolve(res.statusCode === 200 && JSON.parse(text).id === DEMO_CITIZEN ? 200 : res.statusCode!);
            } catch {
              resolve(-1);
            }
          });
          res.on('error', () => resolve(-1));
        },
      );
      req.on('error', () => resolve(-1));
      req.on('timeout', () => req.destroy());
      req.end();
    });

  const kill = async (g: GatewayProcess) => {
    const exited = new Promise<void>((r) => (g.child.exitCode !== null ? r() : g.child.once('exit', () => r())));
    process.kill(g.pid, 'SIGKILL'); // the gateway itself, not the process that started it
    await exited;
  };

  const storedRefs = async () =>
    (await h.db.selectFrom('exchange_access_records').select(['gateway_id', 'log_index']).execute()).map(
      (r: { gateway_id: string; log_index: string | number }) => ({
        gatewayId: r.gateway_id,
        logIndex: Number(r.log_index),
      }),
    );

  it('keeps every delivered 200 in both logs and every access record, through a SIGKILL of each gateway', async () => {
    const registry = new RegistryService(h.db, {
      instance: 'VN',
      baseUrl: 'http://localhost',
      validityHours: 1,
      resolveAgency: async () => '',
    });
    const delivered: string[] = [];
    let stopping = false;
    let n = 0;
    const agent = new http.Agent({ keepAlive: true, maxSockets: WORKERS });
    const worker = async () => {
      while (!stopping) {
        const id = randomUUID();
        const user = `VN${String(++n).padStart(12, '0')}`;
        const status = await call(agent, id, user);
        if (status === 200) delivered.push(id);
        else if (status !== 200) await new Promise((r) => setTimeout(r, 20));
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, worker));
    const untilDelivered = async (more: number) => {
      const want = delivered.length + more;
      for (let i = 0; i < 600 && delivered.length < want; i++) await new Promise((r) => setTimeout(r, 50));
      expect(delivered.length).toBeGreaterThanOrEqual(want);
    };
    try {
      // killed within its first second (before it signed a checkpoint or saved a state): the log alone says what to send
      await untilDelivered(20);
      await kill(provider);
      provider = await startGateway(providerArgs);
      // and killed later, when a saved state names the first record the registry had not acknowledged — and the
      // first record whose proof window it had not: the registry has the records, not their windows (issue 19)
      holdWindows = true;
      await untilDelivered(300);
      await new Promise((r) => setTimeout(r, 2500)); // the records of the last second reach the registry, a checkpoint passes
      await kill(provider);
      // the registry has records of the killed gateway with no window: only a rebuild brings them
      const held = await registry.recordProofs(await storedRefs());
      expect(held.filter((p) => p === null).length).toBeGreaterThan(100);
      holdWindows = false;
      provider = await startGateway(providerArgs);
      await untilDelivered(300);
      await kill(consumer);
      consumer = await startGateway(consumerArgs);
      await untilDelivered(300);
    } finally {
      stopping = true;
      await load;
      agent.destroy();
    }

    // every access record the provider's log holds (a person named, no error) reaches the registry
    const providerRecords = () =>
      readEntries(dirs.provider).filter((e) => e.side === 'provider' && e.user && e.error === null);
    let stored = new Set<string>();
    let wanted: Entry[] = [];
    for (let i = 0; i < 60; i++) {
      wanted = providerRecords();
      const rows = await h.db.selectFrom('exchange_access_records').select('message_id').execute();
      stored = new Set(rows.map((r: { message_id: string }) => r.message_id));
      if (wanted.every((e) => stored.has(e.id)) && delivered.every((id) => stored.has(id))) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    // and every record has its proof: the windows of entries written before a kill come after the restart
    const refs = await storedRefs();
    let proofs: Awaited<ReturnType<RegistryService['recordProofs']>> = [];
    for (let i = 0; i < 60; i++) {
      proofs = await registry.recordProofs(refs);
      if (proofs.every((p) => p !== null)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const lines = readFileSync(path.join(dirs.provider, 'log', 'entries.ndjson'))
      .toString('utf8')
      .split('\n');
    const wrong = proofs.flatMap((p, i) => {
      if (!p) return [`no proof for entry ${refs[i]!.logIndex}`];
      const check = verifyRecordProof(p);
      if (!check.ok) return [`entry ${p.index}: ${check.reason.en}`];
      // the proof is of the entry itself: its leaf is the hash of the log's line
      if (p.leaf !== leafHash(Buffer.from(lines[p.index]!)).toString('base64'))
        return [`entry ${p.index}: another leaf`];
      return [];
    });
    expect(refs.length).toBeGreaterThanOrEqual(920);
    expect(wrong).toEqual([]);
    // the page's script (run here on Node's WebCrypto) agrees, on a sample
    const browser = (await import(new URL('../../src/web/assets/record-proof.js', import.meta.url).href)) as {
      verifyRecordProof: (p: unknown) => Promise<{ ok: boolean }>;
    };
    for (const p of proofs.filter((_, i) => i % 50 === 0))
      expect(await browser.verifyRecordProof(p)).toEqual({ ok: true });
    await Promise.all([provider.stop(), consumer.stop()]);

    const inLog = (dir: string, side: string) =>
      new Set(
        readEntries(dir)
          .filter((e) => e.side === side && e.status === 200 && e.error === null)
          .map((e) => e.id),
      );
    const providerLog = inLog(dirs.provider, 'provider');
    const consumerLog = inLog(dirs.consumer, 'consumer');
    expect(delivered.length).toBeGreaterThanOrEqual(920);
    expect({
      deliveredNotInProviderLog: delivered.filter((id) => !providerLog.has(id)),
      deliveredNotInConsumerLog: delivered.filter((id) => !consumerLog.has(id)),
      deliveredWithoutAccessRecord: delivered.filter((id) => !stored.has(id)),
      accessRecordsNotInRegistry: wanted.filter((e) => !stored.has(e.id)).map((e) => e.id),
    }).toEqual({
      deliveredNotInProviderLog: [],
      deliveredNotInConsumerLog: [],
      deliveredWithoutAccessRecord: [],
      accessRecordsNotInRegistry: [],
    });

    // and both logs still verify after the crashes
    for (const [name, dir] of [
      ['provider', dirs.provider],
      ['consumer', dirs.consumer],
    ] as const) {
      const vkey = verifierKey(`VN/exchange/gateway/${gw[name]!.id}`, ed25519FromRaw(gw[name]!.signingKey));
      const verified = await run(['log', 'verify', path.join(dir, 'log'), '--key', vkey]);
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    }
  }, 240_000);
});
