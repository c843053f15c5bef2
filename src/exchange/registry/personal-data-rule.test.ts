import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';

const OPENAPI = { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/people/{id}': { get: {} } } };

/**
 * Issue 19: a service declares the dictionary fields it returns; a grant to one returning sensitive personal data
 * (Decree 356 Art. 4) must carry a legal basis and a purpose; grants that break the rule are listed for the provider.
 */
for (const driver of testDrivers()) {
  describe(`grants to services returning sensitive personal data (${driver.name})`, () => {
    let h: Harness;
    let provider: { token: string; agencyId: string };
    let consumer: { token: string; agencyId: string };
    let client: string;
    let providerSub: string;
    const call = (token: string, method: string, url: string, payload?: unknown) =>
      h.inject({
        method: method as 'GET',
        url,
        payload: payload as object,
        headers: { authorization: `Bearer ${token}` },
      });
    const service = async (code: string, fields?: string[]) =>
      call(provider.token, 'POST', '/api/v1/exchange/services', {
        subsystem: providerSub,
        code,
        title: code,
        baseUrl: 'http://10.0.0.1/api',
        openapi: OPENAPI,
        ...(fields ? { fields } : {}),
      });
    const grant = (token: string, serviceId: string, over: Record<string, unknown> = {}) =>
      call(token, 'POST', '/api/v1/exchange/grants', { client, service: serviceId, ...over });
    const gaps = async (token = provider.token) =>
      call(token, 'GET', '/api/v1/exchange/grants/personal-data-gaps?agency=000.00.00.G01');

    beforeAll(async () => {
      h = await startHarness(driver);
      provider = await h.tokenFor('000.00.00.G01', 'agency_admin');
      consumer = await h.tokenFor('000.00.00.H01', 'agency_admin');
      const dict = (id: string, personal_data: string | null) =>
        call(provider.token, 'POST', '/api/v1/dictionary', {
          id,
          label_vi: id,
          label_en: id,
          type: 'string',
          agency_id: provider.agencyId,
          personal_data,
        });
      for (const [id, flag] of [
        ['ho_ten', 'name'],
        ['tien_an', 'criminal'],
        ['nhom_mau', null],
      ] as const)
        expect((await dict(id, flag)).statusCode).toBe(201);
      providerSub = (
        await call(provider.token, 'POST', '/api/v1/exchange/subsystems', {
          agency: '000.00.00.G01',
          code: 'LLTP',
          name: 'Lý lịch tư pháp',
        })
      ).json().id;
      client = (
        await call(consumer.token, 'POST', '/api/v1/exchange/subsystems', {
          agency: '000.00.00.H01',
          code: 'DVC',
          name: 'Dịch vụ công',
        })
      ).json().id;
    });
    afterAll(() => h.close());

    it('keeps the fields a service declares, and only fields the dictionary has', async () => {
      const unknown = await service('x', ['ho_ten', 'khong_co']);
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.details[0]).toMatchObject({ field: 'fields' });
      expect(unknown.json().error.details[0].en).toContain('khong_co');
      const ok = await service('names', ['ho_ten']);
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json().fields).toEqual(['ho_ten']);
    });

    it('refuses a grant to a service returning a sensitive field without a legal basis or a purpose, naming it', async () => {
      const records = (await service('records', ['ho_ten', 'tien_an', 'nhom_mau'])).json();
      const bare = await grant(consumer.token, records.id);
      expect(bare.statusCode).toBe(400);
      const err = bare.json().error;
      expect(err.code).toBe('VALIDATION_FAILED');
      expect(err.details.map((d: { field: string }) => d.field)).toEqual(['basis', 'purposes']);
      expect(err.details[0].en).toContain('(tien_an)');
      expect(err.details[0].vi).toContain('nhạy cảm (tien_an)');
      const noPurpose = await grant(consumer.token, records.id, { basis: 'legal_obligation' });
      expect(noPurpose.json().error.details.map((d: { field: string }) => d.field)).toEqual(['purposes']);
      const noBasis = await grant(provider.token, records.id, { purposes: ['background-check'] });
      expect(noBasis.json().error.details.map((d: { field: string }) => d.field)).toEqual(['basis']);
      const full = await grant(consumer.token, records.id, {
        basis: 'legal_obligation',
        purposes: ['background-check'],
        legalBasis: 'Luật Lý lịch tư pháp 2009',
      });
      expect(full.statusCode, full.body).toBe(201);
      // basic personal data only: no such demand
      const names = (await call(consumer.token, 'GET', '/api/v1/exchange/services?agency=000.00.00.G01'))
        .json()
        .services.find((s: { code: string }) => s.code === 'names');
      expect((await grant(consumer.token, names.id)).statusCode).toBe(201);
    });

    it('lists the grants that break the rule once a service declares a sensitive field, and will not approve one', async () => {
      expect((await gaps()).json().grants).toEqual([]);
      const plain = (await service('plain')).json();
      const given = (await grant(provider.token, plain.id)).json(); // approved at once, no basis, no purpose
      const asked = (await grant(consumer.token, plain.id, { basis: 'public_task' })).json(); // waits for approval
      const patched = await call(provider.token, 'PATCH', `/api/v1/exchange/services/${plain.id}`, {
        fields: ['tien_an'],
      });
      expect(patched.statusCode, patched.body).toBe(200);
      const listed = (await gaps()).json().grants as { id: string; missing: string[]; sensitiveFields: string[] }[];
      expect(listed.map((g) => [g.id, g.missing, g.sensitiveFields])).toEqual([
        [given.id, ['basis', 'purposes'], ['tien_an']],
        [asked.id, ['purposes'], ['tien_an']],
      ]);
      const approve = await call(provider.token, 'POST', `/api/v1/exchange/grants/${asked.id}/decision`, {
        decision: 'approve',
      });
      expect(approve.statusCode).toBe(400);
      expect(approve.json().error.details[0]).toMatchObject({ field: 'purposes' });
      // revoked, it no longer counts
      await call(provider.token, 'POST', `/api/v1/exchange/grants/${given.id}/decision`, { decision: 'revoke' });
      expect(((await gaps()).json().grants as { id: string }[]).map((g) => g.id)).toEqual([asked.id]);
      // the client's administrator is not the provider's
      expect((await gaps(consumer.token)).statusCode).toBe(403);
      // a flag taken off the dictionary field lifts the demand
      await call(provider.token, 'PATCH', '/api/v1/dictionary/tien_an', { personal_data: null });
      expect((await gaps()).json().grants).toEqual([]);
    });
  });
}
