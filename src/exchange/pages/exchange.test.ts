import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { buildSession } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { generateKeyPairSync } from 'node:crypto';
import { createCaCertificate, generateTlsKey, rawEd25519 } from '../protocol/pki.js';
import { certificateFingerprint } from '../protocol/client-keys.js';
import { AccessRecordsRepository } from '../registry/access-records.repository.js';
import { GatewaysRepository } from '../registry/gateways.repository.js';
import { X509Certificate } from 'node:crypto';

const OPENAPI = { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/citizens/{id}': { get: {} } } };

describe('the exchange in the portal', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(testDrivers()[0]!);
  });
  afterAll(() => h.close());

  it('shows each gateway’s last report, and says so when subject access records wait on disk or were lost', async () => {
    const admin = await h.tokenFor('000.00.00.G01', 'agency_admin', 'ops@bca.gov.vn');
    const signingKey = rawEd25519(generateKeyPairSync('ed25519').publicKey).toString('base64');
    const gw = (
      await h.inject({
        method: 'POST',
        url: '/api/v1/exchange/gateways',
        payload: {
          agency: '000.00.00.G01',
          address: 'https://10.0.0.7:8443',
          signingKey,
          tlsPublicKey: (await generateTlsKey()).publicPem,
        },
        headers: { authorization: `Bearer ${admin.token}` },
      })
    ).json();
    const report = (dropped: number) =>
      new GatewaysRepository(h.db).touchGateway(gw.id, {
        at: new Date().toISOString(),
        metrics: {
          services: [],
          log: { size: 1234 },
          configuration: { valid: true },
          accessRecordsWaiting: 12_000,
          accessRecordsSpooledBytes: 2_500_000,
          accessRecordsDropped: dropped,
        },
      });
    await report(0);
    const session = await h.signIn('ops@bca.gov.vn', 'correct horse battery');
    const calm = (
      await h.inject({ method: 'GET', url: '/dashboard/exchange?lang=en', headers: { cookie: session.cookie } })
    ).body;
    expect(calm).toContain('https://10.0.0.7:8443');
    expect(calm).toMatch(/Subject access records waiting for the registry: 12,000 — held on disk: 3 MB/);
    expect(calm).not.toContain('were lost');
    await report(7);
    const lost = (await h.inject({ method: 'GET', url: '/dashboard/exchange', headers: { cookie: session.cookie } }))
      .body;
    expect(lost).toContain('7 hồ sơ truy cập đã bị mất');
    expect(calm).toMatch(/certificate valid until/);
    expect(calm).not.toMatch(/The registry(&#39;|&#x27;|’|')s keys/); // the supervisor's alone
  });

  it('lets the supervisor announce the registry’s next keys and switch to them, refusing while a gateway has not fetched them unless forced', async () => {
    await h.app.services.accounts.bootstrapUser({
      email: 'root@ndp.test',
      name: 'Supervisor',
      password: 'correct horse battery',
      platformAdmin: true,
    });
    const root = await h.signIn('root@ndp.test', 'correct horse battery');
    const page = (q = '') =>
      h.inject({ method: 'GET', url: `/dashboard/exchange${q}`, headers: { cookie: root.cookie } });
    const post = (url: string, fields: Record<string, string> = {}) =>
      h.inject({
        method: 'POST',
        url,
        headers: { cookie: root.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: root.csrf, ...fields }).toString(),
      });
    const before = (await page('?lang=en')).body;
    const current = (await h.inject({ method: 'GET', url: '/api/v1/exchange/anchor' })).json().signingKey as string;
    expect(before).toMatch(/The registry(&#39;|&#x27;|’|')s keys/);
    expect(before).toContain(current);
    expect(before).toContain('action="/dashboard/exchange/authority/announce"');
    const announced = await post('/dashboard/exchange/authority/announce');
    expect(announced.statusCode).toBe(303);
    const after = (await page('?done=announce')).body;
    expect(after).toContain('Đã công bố các khóa kế tiếp');
    expect(after).toMatch(/0 trên 1 cổng đã nhận/); // the gateway registered above has not fetched a configuration
    const unticked = await post('/dashboard/exchange/authority/switch', { force: '1' });
    expect(unticked.statusCode).toBe(400); // the switch cannot be undone: its box must be ticked
    const early = await post('/dashboard/exchange/authority/switch', { confirm: '1' });
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain('Các cổng sau chưa nhận khóa kế tiếp: 000.00.00.G01');
    const forced = await post('/dashboard/exchange/authority/switch', { force: '1', confirm: '1' });
    expect(forced.statusCode).toBe(303);
    const next = (await h.inject({ method: 'GET', url: '/api/v1/exchange/anchor' })).json().signingKey as string;
    expect(next).not.toBe(current);
    expect((await page()).body).toContain(next);
    // a new key for persons' ids: the page says how many keys before it are kept
    expect((await page('?lang=en')).body).toMatch(/the keys before it \(0 kept now\)/);
    const rotated = await post('/dashboard/exchange/authority/subject-key', { confirm: '1' });
    expect(rotated.statusCode).toBe(303);
    expect(rotated.headers.location).toBe('/dashboard/exchange?done=subjectKey#authority');
    const shown = (await page('?done=subjectKey&lang=en')).body;
    expect(shown).toMatch(/A new key for persons(&#39;|&#x27;|’|')s? ids is in use/);
    expect(shown).toMatch(/the keys before it \(1 kept now\)/);
  });

  it('shows a provider’s administrator the grants asked of it, and approves one from a form', async () => {
    const provider = await h.tokenFor('000.00.00.G01', 'agency_admin', 'admin@bca.gov.vn');
    const consumer = await h.tokenFor('000.00.00.H01', 'agency_admin', 'admin@hanoi.gov.vn');
    const api = async (token: string, url: string, payload: object) =>
      (await h.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${token}` } })).json();
    const sub = await api(provider.token, '/api/v1/exchange/subsystems', {
      agency: '000.00.00.G01',
      code: 'CSDLQGDC',
      name: 'Dân cư',
    });
    const service = await api(provider.token, '/api/v1/exchange/services', {
      subsystem: sub.id,
      code: 'citizens',
      title: 'Tra cứu công dân',
      baseUrl: 'http://10.0.0.1',
      openapi: OPENAPI,
    });
    const dvc = await api(consumer.token, '/api/v1/exchange/subsystems', {
      agency: '000.00.00.H01',
      code: 'DVC',
      name: 'Dịch vụ công',
    });
    const grant = await api(consumer.token, '/api/v1/exchange/grants', {
      client: dvc.id,
      service: service.id,
      purposes: ['verify-residence'],
      legalBasis: 'Luật Cư trú 2020',
      dailyQuota: 5000,
    });
    expect(grant.status).toBe('requested');

    const session = await h.signIn('admin@bca.gov.vn', 'correct horse battery');
    const page = await h.inject({ method: 'GET', url: '/dashboard/exchange', headers: { cookie: session.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('VN/GOV/000.00.00.H01/DVC');
    expect(page.body).toContain('Luật Cư trú 2020');
    expect(page.body).toContain(`/dashboard/exchange/grants/${grant.id}/decision`);
    expect(page.body).toContain('chờ duyệt');

    // the consumer's administrator sees it too, but may only revoke (withdraw) it
    const theirs = await h.signIn('admin@hanoi.gov.vn', 'correct horse battery');
    const other = await h.inject({
      method: 'GET',
      url: '/dashboard/exchange?lang=en',
      headers: { cookie: theirs.cookie },
    });
    expect(other.body).toContain('requested');
    expect(other.body).not.toContain('value="approve"');
    const refused = await h.inject({
      method: 'POST',
      url: `/dashboard/exchange/grants/${grant.id}/decision`,
      headers: { cookie: theirs.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(theirs.csrf)}&decision=approve`,
    });
    expect(refused.statusCode).toBe(403);

    const noCsrf = await h.inject({
      method: 'POST',
      url: `/dashboard/exchange/grants/${grant.id}/decision`,
      headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'decision=approve',
    });
    expect(noCsrf.statusCode).toBe(403);
    const ok = await h.inject({
      method: 'POST',
      url: `/dashboard/exchange/grants/${grant.id}/decision`,
      headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(session.csrf)}&decision=approve`,
    });
    expect(ok.statusCode).toBe(303);
    const after = await h.inject({
      method: 'GET',
      url: ok.headers.location as string,
      headers: { cookie: session.cookie },
    });
    expect(after.body).toContain('Đã duyệt quyền truy cập.');
    expect(after.body).toContain('đã duyệt');
    expect((await h.inject({ method: 'GET', url: '/dashboard/exchange' })).statusCode).toBe(303); // signed-out visitors go to sign in
  });
});

describe('managing the exchange from the portal', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(testDrivers()[0]!);
  });
  afterAll(() => h.close());

  it('registers a subsystem and a service (OpenAPI in YAML), makes a key shown once, asks for a grant; bad input comes back with what was typed', async () => {
    const bca = await buildSession(h, { agency: '000.00.00.G01', role: 'agency_admin', email: 'p@bca.gov.vn' });
    const post = (s: { cookie: string; csrf: string }, url: string, fields: Record<string, string>) =>
      h.inject({
        method: 'POST',
        url,
        headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: s.csrf, ...fields }).toString(),
      });
    const agencyId = await h.agencyId('000.00.00.G01');
    const page = await h.inject({ method: 'GET', url: '/dashboard/exchange', headers: { cookie: bca.cookie } });
    expect(page.body).toContain('action="/dashboard/exchange/subsystems"');

    const bad = await post(bca, '/dashboard/exchange/subsystems', {
      agency: agencyId,
      code: 'has space',
      name: 'Dân cư',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Chưa lưu');
    expect(bad.body).toContain('value="has space"');
    expect(
      (await post(bca, '/dashboard/exchange/subsystems', { agency: agencyId, code: 'CSDLQGDC', name: 'Dân cư' }))
        .statusCode,
    ).toBe(303);

    const sub = (await h.app.services.registry.listSubsystems(agencyId))[0]!;
    const yaml = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths:\n  /citizens/{id}:\n    get: {}\n';
    const broken = await post(bca, '/dashboard/exchange/services', {
      subsystem: sub.id,
      code: 'citizens',
      title: 'Tra cứu',
      baseUrl: 'http://10.0.0.1',
      openapi: 'openapi: [',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.body).toContain('OpenAPI');
    expect(broken.body).toContain('openapi: [');
    expect(
      (
        await post(bca, '/dashboard/exchange/services', {
          subsystem: sub.id,
          code: 'citizens',
          title: 'Tra cứu',
          baseUrl: 'http://10.0.0.1',
          openapi: yaml,
        })
      ).statusCode,
    ).toBe(303);
    const services = await h.app.services.registry.listServices(agencyId);
    expect(services.map((s) => s.code)).toEqual(['citizens']);

    const key = await post(bca, '/dashboard/exchange/keys', { subsystem: sub.id, label: 'máy chủ ứng dụng' });
    expect(key.statusCode).toBe(200);
    expect(key.headers['cache-control']).toBe('no-store');
    expect(key.body).toMatch(/<code>ndpx_[A-Za-z0-9_-]{32}<\/code>/);

    const hn = await buildSession(h, { agency: '000.00.00.H01', role: 'agency_admin', email: 'c@hanoi.gov.vn' });
    expect(
      (
        await post(hn, '/dashboard/exchange/subsystems', {
          agency: await h.agencyId('000.00.00.H01'),
          code: 'DVC',
          name: 'Dịch vụ công',
        })
      ).statusCode,
    ).toBe(303);
    const dvc = (await h.app.services.registry.listSubsystems(await h.agencyId('000.00.00.H01')))[0]!;
    const asked = await post(hn, '/dashboard/exchange/grants', {
      client: dvc.id,
      service: services[0]!.id,
      endpoints: 'get /citizens/*',
      purposes: 'verify-residence, social-benefits',
      legalBasis: 'Luật Cư trú 2020',
      dailyQuota: '5000',
      expiresAt: '2030-12-31',
    });
    expect(asked.statusCode).toBe(303);
    const grant = (
      await h.app.services.registry.listGrants(await h.app.services.accounts.principalFor('c@hanoi.gov.vn'))
    )[0]!;
    expect(grant).toMatchObject({
      status: 'requested',
      purposes: ['verify-residence', 'social-benefits'],
      daily_quota: 5000,
      endpoints: [{ method: 'GET', path: '/citizens/*' }],
    });
    // someone else's subsystem is not theirs to make keys for
    expect((await post(hn, '/dashboard/exchange/keys', { subsystem: sub.id, label: 'x' })).statusCode).toBe(403);
  });

  it('registers a system’s client certificate, lists keys and certificates without secrets, and revokes one; a bad certificate comes back with what was pasted', async () => {
    const hn = await buildSession(h, { agency: '000.00.00.H01', role: 'agency_admin', email: 'c2@hanoi.gov.vn' });
    const post = (url: string, fields: Record<string, string>) =>
      h.inject({
        method: 'POST',
        url,
        headers: { cookie: hn.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: hn.csrf, ...fields }).toString(),
      });
    const dvc = (await h.app.services.registry.listSubsystems(await h.agencyId('000.00.00.H01')))[0]!;
    const key = await post('/dashboard/exchange/keys', { subsystem: dvc.id, label: 'máy chủ cũ' });
    const secret = /<code>(ndpx_[A-Za-z0-9_-]{32})<\/code>/.exec(key.body)![1]!;
    const pem = await createCaCertificate((await generateTlsKey()).keyPem, 'Một cửa Hà Nội', 30);
    const broken = await post('/dashboard/exchange/certificates', {
      subsystem: dvc.id,
      label: 'một cửa',
      certificate: 'not a certificate',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.body).toContain('Không đọc được chứng thư');
    expect(broken.body).toContain('not a certificate');
    expect(
      (await post('/dashboard/exchange/certificates', { subsystem: dvc.id, label: 'một cửa', certificate: pem }))
        .statusCode,
    ).toBe(303);

    const page = await h.inject({ method: 'GET', url: '/dashboard/exchange', headers: { cookie: hn.cookie } });
    expect(page.body).toContain('Khóa và chứng thư của các hệ thống');
    expect(page.body).toContain('CN=Một cửa Hà Nội');
    expect(page.body).toContain(certificateFingerprint(new X509Certificate(pem).raw));
    expect(page.body).toContain('máy chủ cũ');
    expect(page.body).not.toContain(secret);
    const creds = await h.app.services.registry.credentials(
      await h.app.services.accounts.principalFor('c2@hanoi.gov.vn'),
      dvc.id,
    );
    const oldKey = creds.keys.find((k) => k.label === 'máy chủ cũ')!;
    // another agency's administrator cannot revoke it
    const bca = await buildSession(h, { agency: '000.00.00.G01', role: 'agency_admin', email: 'p2@bca.gov.vn' });
    const foreign = await h.inject({
      method: 'POST',
      url: '/dashboard/exchange/credentials/revoke',
      headers: { cookie: bca.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: bca.csrf,
        subsystem: dvc.id,
        kind: 'key',
        id: oldKey.id,
        confirm: '1',
      }).toString(),
    });
    expect(foreign.statusCode).toBe(403);
    const revoked = await post('/dashboard/exchange/credentials/revoke', {
      subsystem: dvc.id,
      kind: 'key',
      id: oldKey.id,
      confirm: '1',
    });
    expect(revoked.statusCode).toBe(303);
    expect(revoked.headers.location).toBe('/dashboard/exchange?done=credential#credentials');
    const after = await h.inject({
      method: 'GET',
      url: revoked.headers.location as string,
      headers: { cookie: hn.cookie },
    });
    expect(after.body).toContain('Đã thu hồi khóa hoặc chứng thư');
    const keys = (
      await h.app.services.registry.credentials(await h.app.services.accounts.principalFor('c2@hanoi.gov.vn'), dvc.id)
    ).keys;
    expect(keys.find((k) => k.id === oldKey.id)!.revoked_at).toBeInstanceOf(Date);
  });

  it('looks up who read a person’s data from a form: the agency’s administrators through their own gateways, audited; a bad id comes back with what was typed', async () => {
    // a read of a person's data recorded by the provider's gateway (the first test's), as its report would store it
    const { subjectHash } = await import('../registry/registry.service.js');
    const a = await h.app.services.registry.authority();
    const admin = await h.tokenFor('000.00.00.G01', 'agency_admin', 'dpo@bca.gov.vn');
    const signingKey = rawEd25519(generateKeyPairSync('ed25519').publicKey).toString('base64');
    await h.inject({
      method: 'POST',
      url: '/api/v1/exchange/gateways',
      payload: {
        agency: '000.00.00.G01',
        address: 'https://10.0.0.9:8443',
        signingKey,
        tlsPublicKey: (await generateTlsKey()).publicPem,
      },
      headers: { authorization: `Bearer ${admin.token}` },
    });
    const agency = await h.agencyId('000.00.00.G01');
    const gw = (await new GatewaysRepository(h.db).activeGateways()).find((g) => g.agency_id === agency)!;
    const repo = new AccessRecordsRepository(h.db);
    const context = await repo.accessContext({
      client: 'VN/GOV/000.00.00.H01/DVC',
      service: 'VN/GOV/000.00.00.G01/CSDLQGDC/citizens',
      purpose: 'verify-residence',
      legal_basis: 'Luật Cư trú 2020',
    });
    await repo.insertAccessRecords(
      gw.id,
      context,
      200,
      [subjectHash(a.subjectKey, 'VN001090000042')],
      ['2026-11-24T08:00:00.000Z'],
      ['read-42'],
      [4242],
    );
    // a read made for a represented party (X-Road-Represented-Party) says for whom
    const forParty = await repo.accessContext({
      client: 'VN/GOV/000.00.00.H01/DVC',
      service: 'VN/GOV/000.00.00.G01/CSDLQGDC/citizens',
      purpose: 'verify-residence',
      legal_basis: 'Luật Cư trú 2020',
      represented_party: 'COM/0101234567',
    });
    expect(forParty).not.toBe(context);
    await repo.insertAccessRecords(
      gw.id,
      forParty,
      200,
      [subjectHash(a.subjectKey, 'VN001090000042')],
      ['2026-11-24T09:00:00.000Z'],
      ['read-43'],
      [4343],
    );
    const session = await h.signIn('dpo@bca.gov.vn', 'correct horse battery');
    const post = (fields: Record<string, string>) =>
      h.inject({
        method: 'POST',
        url: '/dashboard/exchange/access-records?lang=en',
        headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: session.csrf, ...fields }).toString(),
      });
    const found = await post({ subject: 'vn001090000042', agency });
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain('2 reads, newest first');
    expect(found.body).toContain('read-42');
    expect(found.body).toMatch(/read-43[\s\S]*read-42/); // newest first
    expect(found.body).toContain('on behalf of <code>COM/0101234567</code>');
    expect(found.body).toContain('#4,242');
    expect(found.body).toContain('Luật Cư trú 2020');
    expect(found.body).not.toContain('the whole exchange'); // an agency's administrator: its own services only
    const bad = await post({ subject: '12<b>', agency });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('two letters and 9 to 12 digits');
    expect(bad.body).toContain('value="12&lt;B'); // what was typed, escaped
    // another agency's administrator cannot look through this agency's gateways
    const other = await buildSession(h, { agency: '000.00.00.H01', role: 'agency_admin', email: 'ops@hanoi.gov.vn' });
    const refused = await h.inject({
      method: 'POST',
      url: '/dashboard/exchange/access-records',
      headers: { cookie: other.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: other.csrf, subject: 'VN001090000042', agency }).toString(),
    });
    expect(refused.statusCode).toBe(403);
    const reads = await h.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'exchange.access_records.read')
      .orderBy('id')
      .execute();
    expect(reads.map((r) => (r.after as { records: number }).records)).toEqual([2]);
  });
});
