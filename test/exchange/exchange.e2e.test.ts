import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate, createPrivateKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import path from 'node:path';
import { Agent, request } from 'undici';
import { testDrivers } from '../drivers.js';
import { startHarness, type Harness } from '../harness.js';
import { freePort, run, startGateway, tempDir, writeJson, type GatewayProcess } from './network.js';
import { CITIZENS_OPENAPI, DEMO_CITIZEN, generatePeople, startCitizensService } from '../../src/cli/demo-citizens.js';
import { gatewayKeys, ed25519FromRaw, createCaCertificate, generateTlsKey } from '../../src/exchange/protocol/pki.js';
import { openCheckpoint, verifierKey } from '../../src/exchange/protocol/checkpoint.js';
import { leafHash, verifyInclusion } from '../../src/exchange/protocol/merkle.js';
import { sha256b64, signRequest, verifyResponse, type SignedRequest } from '../../src/exchange/protocol/signing.js';
import { BatchSigner, BatchVerifier } from '../../src/exchange/protocol/batch-signing.js';
import { checkSeals } from '../../src/exchange/evidence/seals.js';

/**
 * The exchange end to end: the registry (this process, listening on loopback), the provider's and
 * the consumer's gateways as their own `ndp gateway run` processes, a provider service, and a client
 * that knows only X-Road's REST protocol (plus the API key header).
 */
const driver = testDrivers().at(-1)!;
const PROVIDER = '000.00.00.G01';
const CONSUMER = '000.00.00.H01';
const SERVICE = ['VN', 'GOV', PROVIDER, 'CSDLQGDC', 'citizens'];
const GRACE_SECONDS = 8;

/** A client written from PR-REST alone: ids encoded part by part, X-Road-* headers, the error body. */
class XRoadRestClient {
  constructor(
    private readonly base: string,
    private readonly client: string[],
    private readonly apiKey: string,
  ) {}
  /** Sent with node:http, which (unlike fetch) leaves the path exactly as written: `%2e%2e` stays encoded. */
  call(method: string, service: string[], rest = '', o: { headers?: Record<string, string>; body?: string } = {}) {
    const url = new URL(this.base);
    return new Promise<{ status: number; headers: Headers; json: any; error: string | null }>((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path: `/r1/${service.map(encodeURIComponent).join('/')}${rest}`,
          headers: {
            'X-Road-Client': this.client.map(encodeURIComponent).join('/'),
            'X-Ndp-Api-Key': this.apiKey,
            accept: 'application/json',
            ...o.headers,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d) => {
            text += d;
          });
          res.on('end', () => {
            let json: any;
            try {
              json = JSON.parse(text);
            } catch {
              json = text;
            }
            const headers = new Headers();
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, String(v));
            resolve({ status: res.statusCode!, headers, json, error: headers.get('x-road-error') });
          });
        },
      );
      req.on('error', reject);
      req.end(o.body);
    });
  }
}

describe(`the exchange end to end (gateways as processes; registry on ${driver.name})`, () => {
  let h: Harness;
  let registryUrl: string;
  let citizens: { url: string; close(): Promise<void> };
  let provider: GatewayProcess;
  let consumer: GatewayProcess;
  const dirs = {
    provider: tempDir('ndp-gw-p-'),
    consumer: tempDir('ndp-gw-c-'),
    rogue: tempDir('ndp-gw-r-'),
    rogue2: tempDir('ndp-gw-r2-'),
  };
  const keys: Record<string, string> = {};
  const gw: Record<string, { id: string; certificate: string; signingKey: string }> = {};
  let expiringAt = 0;
  let providerArgs: string[] = [];
  let adminCookie = '';
  /** the headers of each request the provider's service received */
  const serviceSaw: Record<string, string | string[] | undefined>[] = [];
  const client = (subsystem: string, key = keys[subsystem]!) =>
    new XRoadRestClient(`http://127.0.0.1:${consumer.consumerPort}`, ['VN', 'GOV', CONSUMER, subsystem], key);

  beforeAll(async () => {
    h = await startHarness(driver);
    await h.app.server.listen({ port: 0, host: '127.0.0.1' });
    registryUrl = `http://127.0.0.1:${(h.app.server.server.address() as { port: number }).port}`;
    citizens = await startCitizensService(
      generatePeople(50, [{ code: '00004', name: 'Phường Ba Đình', province: '01' }]),
      0,
      (headers) => {
        serviceSaw.push(headers);
      },
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
    const rogueAdmin = (await h.tokenFor('bo-tai-chinh', 'agency_admin')).token;

    const sub = (token: string, agency: string, code: string) =>
      api(token, 'POST', '/api/v1/exchange/subsystems', { agency, code, name: `Hệ thống ${code}` });
    const prov = await sub(providerAdmin, PROVIDER, 'CSDLQGDC');
    const service = await api(providerAdmin, 'POST', '/api/v1/exchange/services', {
      subsystem: prov.id,
      code: 'citizens',
      title: 'Tra cứu công dân',
      baseUrl: citizens.url,
      openapi: CITIZENS_OPENAPI,
    });
    const subsystems: Record<string, { id: string }> = {};
    for (const code of ['DVC', 'NOGRANT', 'QUOTA', 'RATE', 'EXPIRING']) {
      subsystems[code] = await sub(consumerAdmin, CONSUMER, code);
      keys[code] = (
        await api(consumerAdmin, 'POST', `/api/v1/exchange/subsystems/${subsystems[code]!.id}/keys`, { label: 'test' })
      ).key;
    }
    // the consumer asks; the provider approves
    const asked = await api(consumerAdmin, 'POST', '/api/v1/exchange/grants', {
      client: subsystems.DVC!.id,
      service: service.id,
      endpoints: [{ method: 'GET', path: '/citizens/*' }],
      purposes: ['verify-residence'],
      legalBasis: 'Luật Cư trú 2020',
    });
    expect(asked.status).toBe('requested');
    expect(
      (await api(providerAdmin, 'POST', `/api/v1/exchange/grants/${asked.id}/decision`, { decision: 'approve' }))
        .status,
    ).toBe('approved');
    await api(providerAdmin, 'POST', '/api/v1/exchange/grants', {
      client: subsystems.QUOTA!.id,
      service: service.id,
      dailyQuota: 3,
    });
    await api(providerAdmin, 'POST', '/api/v1/exchange/grants', {
      client: subsystems.RATE!.id,
      service: service.id,
      ratePerSecond: 2,
    });

    // gateways: keys made by `ndp gateway init`, registered by each agency's administrator
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
    // a third agency's gateway, replaced at once: its certificate chains to the CA but its key is no longer pinned
    const r1 = await gatewayKeys(path.join(dirs.rogue, 'keys'));
    gw.rogue = await api(rogueAdmin, 'POST', '/api/v1/exchange/gateways', {
      agency: 'bo-tai-chinh',
      address: 'https://127.0.0.1:9',
      signingKey: r1.signingPublic,
      tlsPublicKey: r1.tlsPublicPem,
    });
    const r2 = await gatewayKeys(path.join(dirs.rogue2, 'keys'));
    await api(rogueAdmin, 'POST', '/api/v1/exchange/gateways', {
      agency: 'bo-tai-chinh',
      address: 'https://127.0.0.1:9',
      signingKey: r2.signingPublic,
      tlsPublicKey: r2.tlsPublicPem,
    });

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
      '--grace',
      String(GRACE_SECONDS),
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
    [provider, consumer] = await Promise.all([
      startGateway(providerArgs),
      startGateway([
        '--dir',
        dirs.consumer,
        '--id',
        gw.consumer!.id,
        '--peer-listen',
        `127.0.0.1:${ports.consumer}`,
        '--listen-tls',
        '127.0.0.1:0',
        ...common,
      ]),
    ]);
    // made last, so that its short life does not depend on how long the setup took; the gateways see it within a second
    expiringAt = Date.now() + 10_000;
    await api(providerAdmin, 'POST', '/api/v1/exchange/grants', {
      client: subsystems.EXPIRING!.id,
      service: service.id,
      expiresAt: new Date(expiringAt).toISOString(),
    });
    const admin = await h.app.services.accounts.bootstrapUser({
      email: 'supervisor@ndp.test',
      name: 'Supervisor',
      password: 'correct horse battery',
      platformAdmin: true,
    });
    expect(admin.id).toBeTruthy();
    adminCookie = (await h.signIn('supervisor@ndp.test', 'correct horse battery')).cookie;
  }, 120_000);

  afterAll(async () => {
    await Promise.all([provider?.stop(), consumer?.stop()]);
    await citizens?.close();
    await h?.close();
  });

  let grantedId = '';
  it('a granted call goes through both gateways and comes back with X-Road’s headers', async () => {
    let expiring = 0; // the grant that expires later on, once the configuration holding it has arrived
    for (let i = 0; i < 30 && expiring !== 200; i++) {
      expiring = (await client('EXPIRING').call('GET', SERVICE, `/citizens/${DEMO_CITIZEN}`)).status;
      if (expiring !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(expiring).toBe(200);
    grantedId = randomUUID();
    const r = await client('DVC').call('GET', SERVICE, `/citizens/${DEMO_CITIZEN}`, {
      headers: {
        'X-Road-Id': grantedId,
        'X-Road-UserId': `VN${DEMO_CITIZEN}`,
        'X-Road-Issue': 'HS-2026-000123',
        'X-Ndp-Purpose': 'verify-residence',
      },
    });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json).toMatchObject({ id: DEMO_CITIZEN, permanentResidence: { communeCode: '00004' } });
    expect(r.error).toBeNull();
    expect(r.headers.get('x-road-id')).toBe(grantedId);
    expect(r.headers.get('x-road-service')).toBe(SERVICE.join('/'));
    expect(r.headers.get('x-road-client')).toBe(`VN/GOV/${CONSUMER}/DVC`);
    expect(Buffer.from(r.headers.get('x-road-request-hash')!, 'base64')).toHaveLength(64);
    // the provider's service is told who asked, as an X-Road provider server tells it (PR-REST §4.3), and not the client's key
    const seen = serviceSaw.find((x) => x['x-road-id'] === grantedId);
    expect(seen).toMatchObject({
      'x-road-client': `VN/GOV/${CONSUMER}/DVC`,
      'x-road-service': SERVICE.join('/'),
      'x-road-userid': `VN${DEMO_CITIZEN}`,
      'x-road-issue': 'HS-2026-000123',
      'x-ndp-purpose': 'verify-residence',
      accept: 'application/json',
    });
    expect(seen!['x-ndp-api-key']).toBeUndefined();
    expect(seen!['x-ndp-seal']).toBeUndefined();
    expect(seen!['x-road-represented-party']).toBeUndefined();
  });

  it('carries X-Road-Represented-Party, signed, to the provider’s service and into both logs; a malformed one is refused', async () => {
    const id = randomUUID();
    const r = await client('DVC').call('GET', SERVICE, `/citizens/${DEMO_CITIZEN}`, {
      headers: {
        'X-Road-Id': id,
        'X-Ndp-Purpose': 'verify-residence',
        'X-Road-UserId': 'VN001090000042',
        'X-Road-Represented-Party': 'GOV/000.00.00.H%C6%AF',
      },
    });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    // decoded and encoded again, part by part: the canonical form
    expect(serviceSaw.find((x) => x['x-road-id'] === id)?.['x-road-represented-party']).toBe('GOV/000.00.00.H%C6%AF');
    // a client may not name a service or client of its own choosing to the provider's service
    const spoofId = randomUUID();
    await client('DVC').call('GET', SERVICE, `/citizens/${DEMO_CITIZEN}`, {
      headers: { 'X-Road-Id': spoofId, 'X-Ndp-Purpose': 'verify-residence', 'X-Road-Service': 'VN/GOV/X/Y/Z' },
    });
    expect(serviceSaw.find((x) => x['x-road-id'] === spoofId)?.['x-road-service']).toBe(SERVICE.join('/'));
    await new Promise((res) => setTimeout(res, 1500)); // the logs are written in batches
    for (const [name, dir] of [
      ['consumer', dirs.consumer],
      ['provider', dirs.provider],
    ] as const) {
      const entry = readFileSync(path.join(dir, 'log', 'entries.ndjson'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .find((e) => e.id === id);
      expect(entry, name).toMatchObject({ side: name, status: 200, represented: 'GOV/000.00.00.H%C6%AF' });
      const keyOf = (g: string) =>
        [gw.consumer!, gw.provider!]
          .filter((x) => x.id === g)
          .map((x) => new X509Certificate(x.certificate).publicKey)[0];
      expect(checkSeals(entry, { keyOf, userId: 'VN001090000042' }), name).toEqual({ request: true, response: true });
      expect(
        checkSeals({ ...entry, represented: 'GOV/000.00.00.H02' }, { keyOf, userId: 'VN001090000042' }).request,
        name,
      ).toBe(false); // another party: not what was signed
    }
    // the person's record of who read their data names the party the answer went on to
    let records: any[] = [];
    for (let i = 0; i < 40 && !records.length; i++) {
      records =
        (
          await h.inject({
            method: 'GET',
            url: '/api/v1/exchange/access-records?subject=VN001090000042',
            headers: { cookie: adminCookie },
          })
        ).json().records ?? [];
      if (!records.length) await new Promise((res) => setTimeout(res, 250));
    }
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      id,
      client: `VN/GOV/${CONSUMER}/DVC`,
      representedParty: 'GOV/000.00.00.H%C6%AF',
      status: 200,
    });
    const bad = await client('DVC').call('GET', SERVICE, `/citizens/${DEMO_CITIZEN}`, {
      headers: { 'X-Ndp-Purpose': 'verify-residence', 'X-Road-Represented-Party': 'a/b/c' },
    });
    expect(bad.status).toBe(400);
    expect(bad.error).toBe('Client.BadRequest');
    expect(bad.json.message).toContain('X-Road-Represented-Party must be CLASS/MEMBER or MEMBER');
    expect(bad.json.message_vi).toContain('X-Road-Represented-Party phải có dạng');
  });

  it('both evidence logs hold the call, with inclusion proofs that verify against their signed checkpoints', async () => {
    await new Promise((r) => setTimeout(r, 1500)); // a checkpoint a second
    for (const [name, g, dir] of [
      ['consumer', consumer, dirs.consumer],
      ['provider', provider, dirs.provider],
    ] as const) {
      const lines = readFileSync(path.join(dir, 'log', 'entries.ndjson'), 'utf8')
        .trim()
        .split('\n');
      const index = lines.findIndex((l) => JSON.parse(l).id === grantedId);
      expect(index, name).toBeGreaterThanOrEqual(0);
      const entry = JSON.parse(lines[index]!);
      expect(entry).toMatchObject({
        side: name,
        status: 200,
        client: `VN/GOV/${CONSUMER}/DVC`,
        service: SERVICE.join('/'),
        issue: 'HS-2026-000123',
        purpose: 'verify-residence',
      });
      expect(entry.user).not.toContain(DEMO_CITIZEN); // a keyed hash, not the id
      expect(JSON.stringify(entry)).not.toContain('Phường Ba Đình'); // hashes of bodies, not bodies
      const vkey = verifierKey(`VN/exchange/gateway/${gw[name]!.id}`, ed25519FromRaw(gw[name]!.signingKey));
      const note = await (await fetch(`http://127.0.0.1:${g.consumerPort}/log/checkpoint`)).text();
      const cp = openCheckpoint(note, vkey);
      expect(cp.size).toBeGreaterThan(index);
      const proof = await (
        await fetch(`http://127.0.0.1:${g.consumerPort}/log/proof/inclusion?index=${index}&size=${cp.size}`)
      ).json();
      expect(
        verifyInclusion(
          index,
          cp.size,
          leafHash(Buffer.from(lines[index]!)),
          proof.proof.map((p: string) => Buffer.from(p, 'base64')),
          cp.root,
        ),
      ).toBe(true);
      // each entry keeps both gateways' seals: with the person's id, each verifies with its gateway's certificate key
      const keyOf = (id: string) =>
        [gw.consumer!, gw.provider!]
          .filter((x) => x.id === id)
          .map((x) => new X509Certificate(x.certificate).publicKey)[0];
      expect(checkSeals(entry, { keyOf, userId: `VN${DEMO_CITIZEN}` }), name).toEqual({
        request: true,
        response: true,
      });
      expect(checkSeals(entry, { keyOf, userId: 'VN001090000999' }).request, name).toBe(false); // another person: not what was signed
      expect(checkSeals({ ...entry, status: 404 }, { keyOf, userId: `VN${DEMO_CITIZEN}` }).response, name).toBe(false); // an entry changed after
    }
  });

  it('refuses what no grant allows, with the right X-Road error, and logs each refusal', async () => {
    const purpose = { 'X-Ndp-Purpose': 'verify-residence' };
    const cases: [string, () => ReturnType<XRoadRestClient['call']>, number, string][] = [
      [
        'no grant',
        () => client('NOGRANT').call('GET', SERVICE, `/citizens/${DEMO_CITIZEN}`),
        403,
        'Server.ServerProxy.AccessDenied',
      ],
      [
        'wrong purpose',
        () =>
          client('DVC').call('GET', SERVICE, `/citizens/${DEMO_CITIZEN}`, {
            headers: { 'X-Ndp-Purpose': 'marketing' },
          }),
        403,
        'Server.ServerProxy.AccessDenied',
      ],
      [
        'no purpose',
        () => client('DVC').call('GET', SERVICE, `/citizens/${DEMO_CITIZEN}`),
        403,
        'Server.ServerProxy.AccessDenied',
      ],
      [
        'unregistered system',
        () => client('UNKNOWN', keys.DVC).call('GET', SERVICE, `/citizens/${DEMO_CITIZEN}`, { headers: purpose }),
        401,
        'Server.ClientProxy.ClientAuthenticationFailed',
      ],
      [
        'wrong API key',
        () => client('DVC', 'ndpx_wrong').call('GET', SERVICE, `/citizens/${DEMO_CITIZEN}`, { headers: purpose }),
        401,
        'Server.ClientProxy.ClientAuthenticationFailed',
      ],
      [
        'endpoint outside the grant',
        () => client('DVC').call('GET', SERVICE, `/citizens/${DEMO_CITIZEN}/household`, { headers: purpose }),
        403,
        'Server.ServerProxy.AccessDenied',
      ],
      [
        'escape by ..',
        () => client('DVC').call('GET', SERVICE, '/citizens/../admin/export', { headers: purpose }),
        403,
        'Server.ServerProxy.AccessDenied',
      ],
      [
        'escape by %2e%2e',
        () => client('DVC').call('GET', SERVICE, '/citizens/%2e%2e/admin/export', { headers: purpose }),
        403,
        'Server.ServerProxy.AccessDenied',
      ],
      [
        'escape by %2f',
        () => client('DVC').call('GET', SERVICE, '/citizens%2f..%2fadmin%2fexport', { headers: purpose }),
        400,
        'Client.InvalidPath',
      ],
      [
        'escape above the root',
        () => client('DVC').call('GET', SERVICE, '/citizens/%2e%2e/%2e%2e/x', { headers: purpose }),
        400,
        'Client.InvalidPath',
      ],
      [
        'unknown service',
        () => client('DVC').call('GET', ['VN', 'GOV', PROVIDER, 'CSDLQGDC', 'nothing'], '/x', { headers: purpose }),
        404,
        'Server.ClientProxy.UnknownService',
      ],
    ];
    const ids: string[] = [];
    for (const [what, call, status, type] of cases) {
      const r = await call();
      expect(r.status, what).toBe(status);
      expect(r.error, what).toBe(type);
      expect(r.json, what).toMatchObject({
        type,
        message: expect.any(String),
        message_vi: expect.any(String),
        detail: expect.any(String),
      });
      ids.push(r.headers.get('x-road-id')!);
    }
    await new Promise((r) => setTimeout(r, 300));
    const logged = readFileSync(path.join(dirs.consumer, 'log', 'entries.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    for (const [i, id] of ids.entries())
      expect(logged.find((e) => e.id === id)?.error, cases[i]![0]).toBe(cases[i]![3]);
  });

  /** Talks to the provider's gateway directly, as a gateway would (mutual TLS, signed headers). */
  async function asGateway(o: {
    tls: { key: string; cert: string };
    gatewayId: string;
    signWith: KeyObject;
    id?: string;
    body?: string;
    sendBody?: string;
    method?: string;
    userId?: string;
  }) {
    const config = readFileSync(path.join(dirs.consumer, 'state', 'configuration.jws'), 'utf8');
    const ca = JSON.parse(Buffer.from(config.split('.')[1]!, 'base64url').toString()).ca as string;
    const target = `/r1/${SERVICE.join('/')}/citizens/${DEMO_CITIZEN}`;
    const body = Buffer.from(o.body ?? '');
    const signed: SignedRequest = {
      method: o.method ?? 'GET',
      target,
      client: `VN/GOV/${CONSUMER}/DVC`,
      service: SERVICE.join('/'),
      id: o.id ?? randomUUID(),
      userId: o.userId ?? '',
      issue: '',
      purpose: 'verify-residence',
      timestamp: new Date().toISOString(),
      bodyHash: sha256b64(body),
      gateway: o.gatewayId,
    };
    const agent = new Agent({
      connect: { ca, cert: o.tls.cert, key: o.tls.key, rejectUnauthorized: true, checkServerIdentity: () => undefined },
    });
    try {
      const r = await request(`https://127.0.0.1:${provider.providerPort}${target}`, {
        method: signed.method as 'GET',
        dispatcher: agent,
        body: o.sendBody ?? (body.length ? body : undefined),
        headers: {
          'x-road-client': signed.client,
          'x-road-id': signed.id,
          'x-ndp-purpose': signed.purpose,
          ...(o.userId ? { 'x-road-userid': o.userId } : {}),
          'x-ndp-seal': `${o.gatewayId};${signed.timestamp};${await signRequest(signed, new BatchSigner(o.signWith))}`,
        },
      });
      const text = await r.body.text();
      return { status: r.statusCode, error: r.headers['x-road-error'], headers: r.headers, text };
    } finally {
      await agent.close();
    }
  }

  it('refuses forged, replayed and tampered requests, and gateways whose key the configuration does not pin', async () => {
    const consumerKeys = await gatewayKeys(path.join(dirs.consumer, 'keys'));
    const tls = { key: consumerKeys.tlsKeyPem, cert: gw.consumer!.certificate };
    const me = { tls, gatewayId: gw.consumer!.id, signWith: createPrivateKey(consumerKeys.tlsKeyPem) };
    // a properly signed request goes through, and its response is signed by the provider's gateway
    const id = randomUUID();
    const ok = await asGateway({ ...me, id });
    expect(ok.status, ok.text).toBe(200);
    const [sealGateway, sealTime, sealSignature] = String(ok.headers['x-ndp-seal']).split(';');
    expect(sealGateway).toBe(gw.provider!.id);
    const respSigned = {
      id,
      status: 200,
      requestHash: String(ok.headers['x-road-request-hash']),
      bodyHash: sha256b64(Buffer.from(ok.text)),
      timestamp: sealTime!,
      gateway: gw.provider!.id,
    };
    expect(
      verifyResponse(
        respSigned,
        sealSignature!,
        new BatchVerifier(),
        new X509Certificate(gw.provider!.certificate).publicKey,
        gw.provider!.id,
      ),
    ).toBe(true);
    // the same signed request again
    expect((await asGateway({ ...me, id })).error).toBe('Server.ServerProxy.ReplayedRequest');
    // a user id the registry could not record, signed by a gateway that let it through: refused by the provider's
    expect((await asGateway({ ...me, userId: `VN${'1'.repeat(70)}` })).error).toBe('Client.BadRequest');
    // signed by a key that is not the consumer gateway's
    expect(
      (await asGateway({ ...me, signWith: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey })).error,
    ).toBe('Server.ServerProxy.InvalidSignature');
    // a body changed after signing
    expect((await asGateway({ ...me, method: 'POST', body: '{"a":1}', sendBody: '{"a":2}' })).error).toBe(
      'Server.ServerProxy.InvalidSignature',
    );
    // a certificate from the CA whose key is no longer in the configuration (the gateway was replaced)
    const old = await gatewayKeys(path.join(dirs.rogue, 'keys'));
    const unpinned = await asGateway({
      tls: { key: old.tlsKeyPem, cert: gw.rogue!.certificate },
      gatewayId: gw.rogue!.id,
      signWith: createPrivateKey(old.tlsKeyPem),
    });
    expect(unpinned.status).toBe(401);
    expect(unpinned.error).toBe('Server.ServerProxy.SslAuthenticationFailed');
    // a self-made certificate
    const own = await generateTlsKey();
    const selfMade = await asGateway({
      tls: { key: own.keyPem, cert: await createCaCertificate(own.keyPem, 'rogue', 1) },
      gatewayId: gw.consumer!.id,
      signWith: createPrivateKey(own.keyPem),
    });
    expect(selfMade.error).toBe('Server.ServerProxy.SslAuthenticationFailed');
    // claiming to be another gateway than the certificate's
    expect((await asGateway({ ...me, gatewayId: gw.provider!.id })).error).toBe(
      'Server.ServerProxy.SslAuthenticationFailed',
    );
  });

  it('holds a grant’s daily quota and rate, with 429 and Retry-After', async () => {
    const quota = client('QUOTA');
    for (let i = 0; i < 3; i++)
      expect((await quota.call('GET', SERVICE, `/citizens/${DEMO_CITIZEN}`)).status).toBe(200);
    const over = await quota.call('GET', SERVICE, `/citizens/${DEMO_CITIZEN}`);
    expect(over.status).toBe(429);
    expect(over.error).toBe('Server.ServerProxy.QuotaExceeded');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    // a restarted provider gateway still knows today's use, from its log…
    const consumerKeys = await gatewayKeys(path.join(dirs.consumer, 'keys'));
    const me = {
      tls: { key: consumerKeys.tlsKeyPem, cert: gw.consumer!.certificate },
      gatewayId: gw.consumer!.id,
      signWith: createPrivateKey(consumerKeys.tlsKeyPem),
    };
    const seen = randomUUID();
    expect((await asGateway({ ...me, id: seen })).status).toBe(200);
    await provider.stop();
    provider = await startGateway(providerArgs);
    const afterRestart = await quota.call('GET', SERVICE, `/citizens/${DEMO_CITIZEN}`);
    expect(afterRestart.error).toBe('Server.ServerProxy.QuotaExceeded');
    // …and the ids it took in the last minutes: a restart opens no gap for a replay
    expect((await asGateway({ ...me, id: seen })).error).toBe('Server.ServerProxy.ReplayedRequest');
    const burst = await Promise.all(
      Array.from({ length: 6 }, () => client('RATE').call('GET', SERVICE, `/citizens/${DEMO_CITIZEN}`)),
    );
    expect(burst.filter((r) => r.status === 200).length).toBeLessThanOrEqual(3);
    const limited = burst.find((r) => r.status === 429)!;
    expect(limited.error).toBe('Server.ServerProxy.RateLimitExceeded');
    expect(limited.headers.get('retry-after')).toBe('1');
  });

  it('answers X-Road’s metaservices to a client that knows only the protocol', async () => {
    const dvc = client('DVC');
    const list = await dvc.call('GET', SERVICE.slice(0, 4).concat('listMethods'));
    expect(list.status).toBe(200);
    expect(list.json.service).toEqual([
      expect.objectContaining({
        xroad_instance: 'VN',
        member_class: 'GOV',
        member_code: PROVIDER,
        subsystem_code: 'CSDLQGDC',
        service_code: 'citizens',
        object_type: 'SERVICE',
        service_type: 'OPENAPI',
      }),
    ]);
    expect(list.json.service[0].endpoint_list).toHaveLength(3);
    const allowed = await dvc.call('GET', SERVICE.slice(0, 4).concat('allowedMethods'));
    expect(allowed.json.service[0].endpoint_list).toEqual([{ method: 'GET', path: '/citizens/*' }]);
    expect((await client('NOGRANT').call('GET', SERVICE.slice(0, 4).concat('allowedMethods'))).json.service).toEqual(
      [],
    );
    const openapi = await dvc.call('GET', SERVICE.slice(0, 4).concat('getOpenAPI'), '?serviceCode=citizens');
    expect(openapi.json.paths['/citizens/{id}']).toBeTruthy();
    const clients = await (await fetch(`http://127.0.0.1:${consumer.consumerPort}/listClients`)).json();
    expect(clients.member).toContainEqual({
      id: {
        member_class: 'GOV',
        member_code: CONSUMER,
        subsystem_code: 'DVC',
        object_type: 'SUBSYSTEM',
        xroad_instance: 'VN',
      },
      name: 'Hệ thống DVC',
    });
  });

  it('lets a system sign in over HTTPS with its registered client certificate instead of an API key, until it is revoked', async () => {
    const admin = (await h.tokenFor(CONSUMER, 'agency_admin')).token;
    const dvc = (
      await h.inject({
        method: 'GET',
        url: `/api/v1/exchange/subsystems?agency=${CONSUMER}`,
        headers: { authorization: `Bearer ${admin}` },
      })
    )
      .json()
      .subsystems.find((x: { code: string }) => x.code === 'DVC');
    const mine = await generateTlsKey();
    const cert = await createCaCertificate(mine.keyPem, 'DVC Hà Nội — một cửa', 30);
    const stranger = await generateTlsKey();
    const ca = (await h.inject({ method: 'GET', url: '/api/v1/exchange/anchor' })).json().caCertificate as string;
    // the gateway answers with the certificate the registry issued it (checked against the registry's CA)
    const call = (tlsClient?: { key: string; cert: string }, apiKey?: string) =>
      new Promise<{ status: number; error: string | undefined; body: string }>((resolve, reject) => {
        const req = https.request(
          {
            host: '127.0.0.1',
            port: consumer.consumerTlsPort,
            method: 'GET',
            path: `/r1/${SERVICE.map(encodeURIComponent).join('/')}/citizens/${DEMO_CITIZEN}`,
            ca,
            servername: undefined,
            headers: {
              'X-Road-Client': `VN/GOV/${CONSUMER}/DVC`,
              'X-Ndp-Purpose': 'verify-residence',
              ...(apiKey ? { 'X-Ndp-Api-Key': apiKey } : {}),
            },
            ...tlsClient,
            agent: false,
          },
          (res) => {
            let body = '';
            res.on('data', (d) => {
              body += d;
            });
            res.on('end', () =>
              resolve({ status: res.statusCode!, error: res.headers['x-road-error'] as string | undefined, body }),
            );
          },
        );
        req.on('error', reject);
        req.end();
      });
    expect(consumer.consumerTlsPort).toBeGreaterThan(0);
    expect((await call(undefined, keys.DVC)).status).toBe(200); // an API key works over HTTPS too
    const before = await call({ key: mine.keyPem, cert });
    expect(before).toMatchObject({ status: 401, error: 'Server.ClientProxy.ClientAuthenticationFailed' });
    const added = await h.inject({
      method: 'POST',
      url: `/api/v1/exchange/subsystems/${dvc.id}/certificates`,
      headers: { authorization: `Bearer ${admin}` },
      payload: { label: 'một cửa', certificate: cert },
    });
    expect(added.statusCode).toBe(201);
    let after = before;
    for (let i = 0; i < 40 && after.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 250));
      after = await call({ key: mine.keyPem, cert });
    }
    expect(after.status, after.body).toBe(200);
    expect(JSON.parse(after.body)).toMatchObject({ id: DEMO_CITIZEN });
    // another system's certificate, the same certificate naming another subsystem, or none at all: refused
    expect(
      (
        await call({
          key: stranger.keyPem,
          cert: await createCaCertificate(stranger.keyPem, 'DVC Hà Nội — một cửa', 30),
        })
      ).error,
    ).toBe('Server.ClientProxy.ClientAuthenticationFailed');
    expect((await call()).error).toBe('Server.ClientProxy.ClientAuthenticationFailed');
    const asOther = await new Promise<string | undefined>((resolve, reject) => {
      https
        .request(
          {
            host: '127.0.0.1',
            port: consumer.consumerTlsPort,
            path: `/r1/${SERVICE.map(encodeURIComponent).join('/')}/citizens/${DEMO_CITIZEN}`,
            ca,
            key: mine.keyPem,
            cert,
            agent: false,
            headers: { 'X-Road-Client': `VN/GOV/${CONSUMER}/QUOTA` },
          },
          (res) => {
            res.resume();
            resolve(res.headers['x-road-error'] as string | undefined);
          },
        )
        .on('error', reject)
        .end();
    });
    expect(asOther).toBe('Server.ClientProxy.ClientAuthenticationFailed');
    // revoked: refused again once the gateway has the next configuration
    expect(
      (
        await h.inject({
          method: 'DELETE',
          url: `/api/v1/exchange/subsystems/${dvc.id}/certificates/${added.json().id}`,
          headers: { authorization: `Bearer ${admin}` },
        })
      ).statusCode,
    ).toBe(200);
    let revoked = after;
    for (let i = 0; i < 40 && revoked.status === 200; i++) {
      await new Promise((r) => setTimeout(r, 250));
      revoked = await call({ key: mine.keyPem, cert });
    }
    expect(revoked.error).toBe('Server.ClientProxy.ClientAuthenticationFailed');
  });

  it('records who read a person’s data, and reports figures to the registry and at /metrics', async () => {
    let records: any[] = [];
    for (let i = 0; i < 40 && !records.length; i++) {
      await new Promise((r) => setTimeout(r, 250));
      records =
        (
          await h.inject({
            method: 'GET',
            url: `/api/v1/exchange/access-records?subject=VN${DEMO_CITIZEN}`,
            headers: { cookie: adminCookie },
          })
        ).json().records ?? [];
    }
    expect(records[0]).toMatchObject({
      id: grantedId,
      client: `VN/GOV/${CONSUMER}/DVC`,
      service: SERVICE.join('/'),
      purpose: 'verify-residence',
      legalBasis: 'Luật Cư trú 2020',
      status: 200,
    });
    // the record names the provider gateway's log entry of the exchange
    expect(records[0].gateway).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isInteger(records[0].logIndex) && records[0].logIndex >= 0).toBe(true);
    await client('NOGRANT').call('GET', SERVICE, `/citizens/${DEMO_CITIZEN}`); // a refusal the (restarted) provider counts
    await client('DVC').call('GET', SERVICE, `/citizens/${DEMO_CITIZEN}`, {
      headers: { 'X-Ndp-Purpose': 'verify-residence' },
    });
    const metrics = await (await fetch(`http://127.0.0.1:${provider.consumerPort}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(`ndp_gateway_requests_total\\{side="provider",service="${SERVICE.join('/')}"\\} \\d+`),
    );
    expect(metrics).toMatch(
      /ndp_gateway_errors_total\{side="provider",service="[^"]+",type="Server.ServerProxy.AccessDenied"\} \d+/,
    );
    expect(metrics).toMatch(/ndp_gateway_quota_used\{grant="[^"]+",quota="3"\} 3/);
    expect(metrics).toMatch(/ndp_gateway_configuration_valid 1/);
    expect(metrics).toMatch(/ndp_gateway_event_loop_delay_ms\{quantile="0.99"\} \d+\.\d{3}/);
    expect(metrics).toMatch(/ndp_gateway_signed_messages_total [1-9]\d*/);
    expect(metrics).toMatch(/ndp_gateway_access_records_dropped_total 0/);
    // the consumer's gateway reached this one over the link (one TLS session for many exchanges), not HTTPS per call
    expect(metrics).toMatch(/ndp_gateway_link_connections_total [1-9]\d*/);
    // started by bin/ndp.js with a floor under its young generation (16 MB semi-spaces), which V8 takes only at start
    expect(Number(/ndp_gateway_young_generation_bytes (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(
      16 * 1024 * 1024,
    );
    const gateways = (
      await h.inject({ method: 'GET', url: '/api/v1/exchange/gateways', headers: { cookie: adminCookie } })
    ).json().gateways;
    const reported = gateways.find((g: { id: string }) => g.id === gw.provider!.id);
    expect(
      reported.lastReport.metrics.services.some(
        (s: { side: string; requests: number }) => s.side === 'provider' && s.requests > 0,
      ),
    ).toBe(true);
    const checkpoints = (
      await h.inject({ method: 'GET', url: `/api/v1/exchange/gateways/${gw.provider!.id}/checkpoints` })
    ).json().checkpoints;
    expect(checkpoints.length).toBeGreaterThan(0);
  });

  it('refuses a grant once it has expired', async () => {
    await new Promise((r) => setTimeout(r, Math.max(0, expiringAt - Date.now()) + 200));
    const after = await client('EXPIRING').call('GET', SERVICE, `/citizens/${DEMO_CITIZEN}`);
    expect(after.error).toBe('Server.ServerProxy.AccessDenied');
  }, 40_000);

  it('goes on through a rotation of the registry’s keys: a new configuration key and a new CA, taken up by running gateways', async () => {
    const root = await h.signIn('supervisor@ndp.test', 'correct horse battery');
    const asRoot = (method: string, url: string, payload?: unknown) =>
      h.inject({
        method: method as 'POST',
        url,
        payload: payload as object,
        headers: { cookie: root.cookie, 'x-csrf-token': root.csrf },
      });
    const announced = (await asRoot('POST', '/api/v1/exchange/authority/announce', {})).json();
    expect(announced.next).toEqual(expect.any(String));
    const ours = [gw.provider!.id, gw.consumer!.id];
    for (let i = 0; i < 40; i++) {
      const st = (await asRoot('GET', '/api/v1/exchange/authority')).json();
      if (st.gateways.filter((g: { id: string; hasNext: boolean }) => ours.includes(g.id) && g.hasNext).length === 2)
        break;
      await new Promise((r) => setTimeout(r, 250));
    }
    // the third agency's gateway is registered but never runs: the switch must be forced past it
    expect((await asRoot('POST', '/api/v1/exchange/authority/switch', {})).statusCode).toBe(409);
    const switched = (await asRoot('POST', '/api/v1/exchange/authority/switch', { force: true })).json();
    expect(switched.current).toBe(announced.next);
    const newCa = new X509Certificate(
      (await h.inject({ method: 'GET', url: '/api/v1/exchange/anchor' })).json().caCertificate,
    );
    // the provider's gateway presents a certificate from the new CA once it has its next configuration…
    const presented = async () =>
      new Promise<X509Certificate>((resolve, reject) => {
        const socket = tlsConnect(
          { host: '127.0.0.1', port: provider.providerPort, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] },
          () => {
            const c = socket.getPeerX509Certificate()!;
            socket.destroy();
            resolve(c);
          },
        );
        socket.on('error', reject);
      });
    let cert = await presented();
    for (let i = 0; i < 40 && !cert.verify(newCa.publicKey); i++) {
      await new Promise((r) => setTimeout(r, 250));
      cert = await presented();
    }
    expect(cert.verify(newCa.publicKey)).toBe(true);
    // …and calls go on through both gateways, over links made with the new certificates
    let call = await client('DVC').call('GET', SERVICE, `/citizens/${DEMO_CITIZEN}`, {
      headers: { 'X-Ndp-Purpose': 'verify-residence' },
    });
    for (let i = 0; i < 20 && call.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 250));
      call = await client('DVC').call('GET', SERVICE, `/citizens/${DEMO_CITIZEN}`, {
        headers: { 'X-Ndp-Purpose': 'verify-residence' },
      });
    }
    expect(call.status, JSON.stringify(call.json)).toBe(200);
    const health = await (await fetch(`http://127.0.0.1:${consumer.consumerPort}/health`)).json();
    expect(health.configuration.valid).toBe(true);
  });

  it('goes on through a registry outage until the configuration’s grace ends', async () => {
    await h.app.server.close();
    const during = await client('DVC').call('GET', SERVICE, `/citizens/${DEMO_CITIZEN}`, {
      headers: { 'X-Ndp-Purpose': 'verify-residence' },
    });
    expect(during.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500)); // a fetch of the configuration has failed by now
    const health = await (await fetch(`http://127.0.0.1:${consumer.consumerPort}/health`)).json();
    expect(health.configuration.lastError).toBeTruthy();
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(health.configuration.expiresAt) - Date.now()) + 300));
    const after = await client('DVC').call('GET', SERVICE, `/citizens/${DEMO_CITIZEN}`, {
      headers: { 'X-Ndp-Purpose': 'verify-residence' },
    });
    expect(after.status).toBe(503);
    expect(after.error).toBe('Server.ClientProxy.OutdatedGlobalConf');
  }, 30_000);

  it('ndp log verify passes on the logs as written and finds an entry changed on disk', async () => {
    await provider.stop();
    const vkey = verifierKey(`VN/exchange/gateway/${gw.provider!.id}`, ed25519FromRaw(gw.provider!.signingKey));
    const logDir = path.join(dirs.provider, 'log');
    const good = await run(['log', 'verify', logDir, '--key', vkey]);
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toMatch(/^OK: \d+ entries/);
    // the seals kept for one exchange, checked from the console with the gateways' certificates
    const certs = tempDir('ndp-certs-');
    writeFileSync(path.join(certs, 'provider.pem'), gw.provider!.certificate);
    writeFileSync(path.join(certs, 'consumer.pem'), gw.consumer!.certificate);
    const sealArgs = [
      'log',
      'seals',
      logDir,
      grantedId,
      '--cert',
      path.join(certs, 'provider.pem'),
      path.join(certs, 'consumer.pem'),
      '--user',
      `VN${DEMO_CITIZEN}`,
    ];
    const sealed = await run(sealArgs);
    expect(sealed.code, sealed.stdout + sealed.stderr).toBe(0);
    expect(sealed.stdout).toContain('provider entry, status 200: request seal verifies, response seal verifies');
    const file = path.join(logDir, 'entries.ndjson');
    const lines = readFileSync(file, 'utf8').split('\n');
    const i = lines.findIndex((l) => l.includes(grantedId));
    lines[i] = lines[i]!.replace('"status":200', '"status":404');
    writeFileSync(file, lines.join('\n'));
    const bad = await run(['log', 'verify', logDir, '--key', vkey]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain(`entry ${i} (line ${i + 1}) differs`);
    expect(bad.stdout).toMatch(/does not match the entries/);
    const unsealed = await run(sealArgs);
    expect(unsealed.code).toBe(1);
    expect(unsealed.stdout).toContain('status 404: request seal verifies, response seal DOES NOT VERIFY');
  });
});
