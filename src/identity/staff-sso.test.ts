import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { BASE, startHarness, type Harness } from '../../test/harness.js';
import { signInAtStandIn } from '../../test/eid.js';
import { freePort } from '../../test/ports.js';
import { startStandInEid, type StandInEid } from './stand-in/stand-in-eid.js';

const CALLBACK = `${BASE}/signin/sso/callback`;
const cookieOf = (res: { headers: Record<string, unknown> }, name: string) =>
  ([] as string[])
    .concat((res.headers['set-cookie'] as string | string[] | undefined) ?? [])
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1);

for (const driver of testDrivers()) {
  describe(`agency staff sign in through SSO, mapped to their accounts by e-mail (${driver.name})`, () => {
    let h: Harness;
    let idp: StandInEid;

    beforeAll(async () => {
      // an agency directory played by the stand-in: two people with verified e-mail addresses
      idp = await startStandInEid({
        issuer: `http://127.0.0.1:${await freePort()}`,
        people: [
          {
            id: '001080000001',
            fullName: 'Lê Văn Cán Bộ',
            dateOfBirth: '1980-01-01',
            sex: 'nam',
            email: 'canbo@mof.gov.vn',
          },
          { id: '001080000002', fullName: 'Người Lạ', dateOfBirth: '1980-01-02', sex: 'nữ', email: 'la@mof.gov.vn' },
        ],
        clients: [{ clientId: 'ndp-staff', clientSecret: 'staff sso secret', redirectUris: [CALLBACK] }],
        acrLevels: ['urn:ndp:loa:1', 'urn:ndp:loa:2'],
        demo: true,
      });
      h = await startHarness(driver, {
        NDP_STAFF_OIDC_ISSUER: idp.issuer,
        NDP_STAFF_OIDC_CLIENT_ID: 'ndp-staff',
        NDP_STAFF_OIDC_CLIENT_SECRET: 'staff sso secret',
      });
      await h.tokenFor('bo-tai-chinh', 'agency_editor', 'canbo@mof.gov.vn');
    });
    afterAll(async () => {
      await h?.close();
      await idp?.close();
    });

    async function sso(person: string) {
      const start = await h.inject({ method: 'GET', url: '/signin/sso?next=%2Fdashboard' });
      expect(start.statusCode).toBe(303);
      const back = await signInAtStandIn(String(start.headers.location), { person, level: 1, redirectBase: CALLBACK });
      return h.inject({
        method: 'GET',
        url: back.slice(BASE.length),
        headers: { cookie: cookieOf(start, 'ndp_sso_attempt')!, accept: 'text/html' },
      });
    }

    it('offers SSO on the staff sign-in page and signs a staff member in to their own account', async () => {
      const page = await h.inject({ method: 'GET', url: '/signin' });
      expect(page.body).toContain('href="/signin/sso?next=%2Fdashboard"');
      const res = await sso('001080000001');
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/dashboard');
      const me = await h.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: { cookie: cookieOf(res, 'ndp_session')! },
      });
      expect(me.statusCode).toBe(200);
      expect(me.json().user.email).toBe('canbo@mof.gov.vn');
      const audit = await h.db.selectFrom('audit_log').select('after').where('action', '=', 'session.create').execute();
      expect(audit.some((a) => (a.after as { via?: string } | null)?.via === 'sso')).toBe(true);
    });

    it('makes no account for an e-mail address no staff account has', async () => {
      const res = await sso('001080000002');
      expect(res.statusCode).toBe(401);
      expect(res.body).toContain('la@mof.gov.vn');
      expect(cookieOf(res, 'ndp_session')).toBeUndefined();
      const users = await h.db.selectFrom('users').select('email').where('email', '=', 'la@mof.gov.vn').execute();
      expect(users).toEqual([]);
    });
  });
}
