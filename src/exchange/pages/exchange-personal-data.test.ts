import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { buildSession } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';

/** Issue 19 in the portal: a service's fields from the form, grants with a basis code, the grants breaking the rule. */
describe('sensitive personal data on the exchange page', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(testDrivers()[0]!);
  });
  afterAll(() => h.close());

  it('registers a service with the fields it returns, refuses a bare grant to it, and lists the grants that break the rule', async () => {
    const bca = await buildSession(h, { agency: '000.00.00.G01', role: 'agency_admin', email: 'p@bca.gov.vn' });
    const agencyId = await h.agencyId('000.00.00.G01');
    const post = (url: string, fields: Record<string, string>) =>
      h.inject({
        method: 'POST',
        url,
        headers: { cookie: bca.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: bca.csrf, ...fields }).toString(),
      });
    const admin = await h.app.services.accounts.principalFor(bca.email);
    await h.app.services.catalog.dictionary.create(admin, {
      id: 'tien_an',
      label_vi: 'Tiền án',
      label_en: 'Criminal record',
      type: 'string',
      agency_id: agencyId,
      personal_data: 'criminal',
    });
    expect(
      (await post('/dashboard/exchange/subsystems', { agency: agencyId, code: 'LLTP', name: 'x' })).statusCode,
    ).toBe(303);
    const sub = (await h.app.services.registry.listSubsystems(agencyId))[0]!;
    const yaml = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths:\n  /records/{id}:\n    get: {}\n';
    const svc = { subsystem: sub.id, code: 'records', title: 'Lý lịch', baseUrl: 'http://10.0.0.1', openapi: yaml };
    const unknown = await post('/dashboard/exchange/services', { ...svc, fields: 'tien_an, khong_co' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('khong_co');
    expect(unknown.body).toContain('value="tien_an, khong_co"');
    expect((await post('/dashboard/exchange/services', { ...svc, fields: 'tien_an' })).statusCode).toBe(303);
    const service = (await h.app.services.registry.listServices(agencyId))[0]!;
    expect(service.fields).toEqual(['tien_an']);

    const bare = await post('/dashboard/exchange/grants', { client: sub.id, service: service.id });
    expect(bare.statusCode).toBe(400);
    expect(bare.body).toContain('nhạy cảm (tien_an)');
    const based = await post('/dashboard/exchange/grants', {
      client: sub.id,
      service: service.id,
      basis: 'legal_obligation',
      purposes: 'background-check',
    });
    expect(based.statusCode).toBe(303);

    // a grant given before the service declared its sensitive field shows on the page until put right
    const plain = await h.app.services.registry.createService(admin, {
      ...svc,
      code: 'plain',
      openapi: { openapi: '3.0.3', paths: { '/x': { get: {} } } },
    });
    await h.app.services.registry.createGrant(admin, { client: sub.id, service: plain.id });
    await h.app.services.registry.updateService(admin, plain.id, { fields: ['tien_an'] });
    const page = await h.inject({ method: 'GET', url: '/dashboard/exchange?lang=en', headers: { cookie: bca.cookie } });
    expect(page.body).toContain('id="grant-gaps"');
    expect(page.body).toMatch(
      /000\.00\.00\.G01\/LLTP\/plain<\/code> \(approved\): sensitive fields <strong>tien_an<\/strong>; missing legal basis, purpose/,
    );
    expect(page.body).not.toMatch(/LLTP\/records<\/code> \(approved\): sensitive/);
    expect(page.body).toContain('<option value="legal_obligation">A legal obligation</option>');
  });
});
