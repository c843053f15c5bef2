import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { PASSWORD, startHarness, type Harness } from '../../../test/harness.js';

const INTERNAL = 'http://10.20.30.40:8080/citizens-api';
const OPENAPI = {
  openapi: '3.0.3',
  info: { title: 't', version: '1' },
  servers: [{ url: INTERNAL }],
  paths: {
    '/citizens/{id}': { servers: [{ url: `${INTERNAL}/v2` }], get: { servers: [{ url: `${INTERNAL}/v3` }] } },
  },
};

// Issue 18.15: a service's internal address is for the provider's gateway (and the agency that keeps it), not the public
for (const driver of testDrivers()) {
  describe(`the exchange's service list, as each caller sees it (${driver.name})`, () => {
    let h: Harness;
    let provider: string;
    let consumer: string;
    let supervisor: string;
    let serviceId = '';
    const get = (url: string, headers: Record<string, string> = {}) => h.inject({ method: 'GET', url, headers });

    beforeAll(async () => {
      h = await startHarness(driver);
      provider = (await h.tokenFor('000.00.00.G01', 'agency_admin')).token;
      consumer = (await h.tokenFor('000.00.00.H01', 'agency_admin')).token;
      await h.app.services.accounts.bootstrapUser({
        email: 'supervisor-18-15@ndp.test',
        name: 'Supervisor',
        password: PASSWORD,
        platformAdmin: true,
      });
      supervisor = (await h.signIn('supervisor-18-15@ndp.test', PASSWORD)).cookie;
      const auth = { authorization: `Bearer ${provider}` };
      const sub = await h.inject({
        method: 'POST',
        url: '/api/v1/exchange/subsystems',
        headers: auth,
        payload: { agency: '000.00.00.G01', code: 'CSDLQGDC', name: 'CSDLQGDC' },
      });
      const svc = await h.inject({
        method: 'POST',
        url: '/api/v1/exchange/services',
        headers: auth,
        payload: { subsystem: sub.json().id, code: 'citizens', title: 'Tra cứu', baseUrl: INTERNAL, openapi: OPENAPI },
      });
      expect(svc.statusCode, svc.body).toBe(201);
      serviceId = svc.json().id;
    });
    afterAll(() => h.close());

    it('shows anyone what a service is and its endpoints, never its internal address', async () => {
      const list = await get('/api/v1/exchange/services');
      expect(list.statusCode).toBe(200);
      expect(list.body).not.toContain('10.20.30.40');
      const s = list.json().services.find((x: { id: string }) => x.id === serviceId);
      expect(s).toMatchObject({
        code: 'citizens',
        title: 'Tra cứu',
        serviceId: 'VN/GOV/000.00.00.G01/CSDLQGDC/citizens',
        endpoints: [{ method: 'GET', path: '/citizens/*' }],
      });
      expect(s).not.toHaveProperty('baseUrl');
      // the OpenAPI document as the public gets it: the servers the provider wrote in it are internal too
      const doc = await get(`/api/v1/exchange/services/${serviceId}/openapi`);
      expect(doc.statusCode).toBe(200);
      expect(doc.body).not.toContain('10.20.30.40');
      expect(doc.json().paths['/citizens/{id}']).toHaveProperty('get');
      // another agency's administrator is the public here
      const other = await get('/api/v1/exchange/services', { authorization: `Bearer ${consumer}` });
      expect(other.body).not.toContain('10.20.30.40');
      const otherDoc = await get(`/api/v1/exchange/services/${serviceId}/openapi`, {
        authorization: `Bearer ${consumer}`,
      });
      expect(otherDoc.body).not.toContain('10.20.30.40');
    });

    it('shows the internal address to the providing agency’s administrators and the supervisor', async () => {
      const callers: Record<string, string>[] = [{ authorization: `Bearer ${provider}` }, { cookie: supervisor }];
      for (const headers of callers) {
        const s = (await get('/api/v1/exchange/services', headers))
          .json()
          .services.find((x: { id: string }) => x.id === serviceId);
        expect(s.baseUrl).toBe(INTERNAL);
        const doc = (await get(`/api/v1/exchange/services/${serviceId}/openapi`, headers)).json();
        expect(doc.servers).toEqual([{ url: INTERNAL }]);
      }
    });
  });
}
