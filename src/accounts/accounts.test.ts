import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';

for (const driver of testDrivers()) {
  describe(`accounts on ${driver.name}`, () => {
    let h: Harness;
    const inject = (o: InjectOptions) => h.inject(o);
    beforeAll(async () => {
      h = await startHarness(driver);
      await h.app.services.accounts.bootstrapUser({
        email: 'admin@ndp.gov.vn',
        name: 'Admin',
        password: 'a long admin passphrase',
        platformAdmin: true,
      });
    });
    afterAll(() => h.close());

    it('refuses a wrong password with a bilingual, coded error', async () => {
      const res = await inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'admin@ndp.gov.vn', password: 'nope' },
      });
      expect(res.statusCode).toBe(401);
      const e = res.json().error;
      expect(e.code).toBe('INVALID_CREDENTIALS');
      expect(e.vi).toMatch(/mật khẩu/);
      expect(e.en).toMatch(/password/);
      const unknown = await inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'ghost@ndp.gov.vn', password: 'nope' },
      });
      expect(unknown.json().error.code).toBe('INVALID_CREDENTIALS');
    });

    it('signs in with an HttpOnly SameSite session cookie and needs the CSRF token for writes', async () => {
      const res = await inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'ADMIN@ndp.gov.vn', password: 'a long admin passphrase' },
      });
      expect(res.statusCode).toBe(200);
      const setCookie = String(res.headers['set-cookie']);
      expect(setCookie).toMatch(/ndp_session=/);
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Lax/i);
      const cookie = setCookie.split(';')[0]!;
      const csrf = res.json().csrf_token as string;
      const me = await inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
      expect(me.json().user.platform_admin).toBe(true);

      const agencyId = await h.agencyId('bo-y-te');
      const payload = {
        email: 'nurse@moh.gov.vn',
        name: 'Y tá',
        password: 'long enough password',
        agency_id: agencyId,
        role: 'agency_editor',
      };
      const noCsrf = await inject({ method: 'POST', url: '/api/v1/users', headers: { cookie }, payload });
      expect(noCsrf.statusCode).toBe(403);
      expect(noCsrf.json().error.code).toBe('CSRF_FAILED');
      const ok = await inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: { cookie, 'x-csrf-token': csrf },
        payload,
      });
      expect(ok.statusCode).toBe(201);
      const members = await inject({ method: 'GET', url: `/api/v1/agencies/${agencyId}/members`, headers: { cookie } });
      expect(members.json().members.map((m: { email: string }) => m.email)).toContain('nurse@moh.gov.vn');
    });

    it('shows a token once, stores only its hash, and scopes it to one agency', async () => {
      const { cookie, csrf } = await h.signIn('nurse@moh.gov.vn', 'long enough password');
      const agencyId = await h.agencyId('bo-y-te');
      const res = await inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { cookie, 'x-csrf-token': csrf },
        payload: { agency_id: agencyId, name: 'harvester' },
      });
      expect(res.statusCode).toBe(201);
      const { secret, token } = res.json();
      expect(secret).toMatch(/^ndp_[a-z0-9]{8}_/);
      const stored = await sql<{
        secret_hash: string;
      }>`select secret_hash from api_tokens where id = ${token.id}`.execute(h.db);
      expect(stored.rows[0]!.secret_hash).not.toContain(secret.slice(13));
      const list = await inject({
        method: 'GET',
        url: '/api/v1/tokens',
        headers: { authorization: `Bearer ${secret}` },
      });
      expect(list.body).not.toContain(secret);
      // A token for another agency is refused: the nurse has no role there.
      const other = await inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { cookie, 'x-csrf-token': csrf },
        payload: { agency_id: await h.agencyId('bo-tai-chinh'), name: 'x' },
      });
      expect(other.statusCode).toBe(403);
      expect(other.json().error.code).toBe('FORBIDDEN');
    });

    it('refuses revoked and expired tokens with their own codes', async () => {
      const t = await h.tokenFor('bo-cong-thuong', 'agency_editor');
      const ok = await inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: { authorization: `Bearer ${t.token}` },
      });
      expect(ok.statusCode).toBe(200);
      const id = (
        await inject({ method: 'GET', url: '/api/v1/tokens', headers: { authorization: `Bearer ${t.token}` } })
      ).json().tokens[0].id;
      const revoke = await inject({
        method: 'DELETE',
        url: `/api/v1/tokens/${id}`,
        headers: { authorization: `Bearer ${t.token}` },
      });
      expect(revoke.statusCode).toBe(200);
      const after = await inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: { authorization: `Bearer ${t.token}` },
      });
      expect(after.statusCode).toBe(401);
      expect(after.json().error.code).toBe('TOKEN_REVOKED');

      const t2 = await h.tokenFor('bo-cong-thuong', 'agency_editor');
      await sql`update api_tokens set expires_at = now() - interval '1 minute' where revoked_at is null`.execute(h.db);
      const expired = await inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: { authorization: `Bearer ${t2.token}` },
      });
      expect(expired.statusCode).toBe(401);
      expect(expired.json().error.code).toBe('TOKEN_EXPIRED');
      const garbage = await inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: { authorization: 'Bearer not-a-token' },
      });
      expect(garbage.json().error.code).toBe('UNAUTHENTICATED');
    });

    it('answers a burst of wrong passwords with 429 and Retry-After', async () => {
      await h.app.services.accounts.bootstrapUser({
        email: 'target@ndp.gov.vn',
        name: 'T',
        password: 'the right passphrase',
        platformAdmin: false,
      });
      const attempt = (password: string) =>
        inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: 'target@ndp.gov.vn', password },
          remoteAddress: '203.0.113.7',
        });
      for (let i = 0; i < 10; i++) expect((await attempt('guess')).statusCode).toBe(401);
      const locked = await attempt('the right passphrase');
      expect(locked.statusCode).toBe(429);
      expect(locked.json().error.code).toBe('TOO_MANY_ATTEMPTS');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('throttles by the connecting address: a rotated X-Forwarded-For does not escape it (proxy not trusted)', async () => {
      for (let i = 0; i < 10; i++) {
        const r = await inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: `sprayed${i}@ndp.gov.vn`, password: 'Summer2025!' },
          remoteAddress: '198.51.100.20',
          headers: { 'x-forwarded-for': `192.0.2.${i + 1}` },
        });
        expect(r.statusCode).toBe(401);
      }
      const next = await inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'sprayed99@ndp.gov.vn', password: 'Summer2025!' },
        remoteAddress: '198.51.100.20',
        headers: { 'x-forwarded-for': '192.0.2.200' },
      });
      expect(next.statusCode).toBe(429);
      expect(next.json().error.code).toBe('TOO_MANY_ATTEMPTS');
    });

    it('a stranger’s wrong passwords from one address do not stop the owner signing in from another', async () => {
      await h.app.services.accounts.bootstrapUser({
        email: 'owner@ndp.gov.vn',
        name: 'O',
        password: 'the owner passphrase',
        platformAdmin: false,
      });
      const attempt = (password: string, remoteAddress: string) =>
        inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: 'owner@ndp.gov.vn', password },
          remoteAddress,
        });
      for (let i = 0; i < 12; i++) expect((await attempt('guess', '198.51.100.66')).statusCode).toBeGreaterThan(400);
      expect((await attempt('the owner passphrase', '198.51.100.66')).statusCode).toBe(429);
      expect((await attempt('the owner passphrase', '203.0.113.50')).statusCode).toBe(200);
    });

    it('signs in by JSON only: a form body (a cross-site form post) is refused with 415 and no cookie', async () => {
      const res = await inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'email=admin%40ndp.gov.vn&password=a+long+admin+passphrase',
      });
      expect(res.statusCode).toBe(415);
      expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(res.json().error.vi).toBeTruthy();
      expect(res.headers['set-cookie']).toBeUndefined();
      const text = await inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'content-type': 'text/plain' },
        payload: JSON.stringify({ email: 'admin@ndp.gov.vn', password: 'a long admin passphrase' }),
      });
      expect(text.statusCode).toBe(415);
    });

    it('an agency administrator adds only users who belong to no agency; a platform administrator adds anyone', async () => {
      const admin = await h.tokenFor('bo-y-te', 'agency_admin');
      const elsewhere = await h.tokenFor('bo-tai-chinh', 'agency_editor');
      const loose = await h.app.services.accounts.bootstrapUser({
        email: 'loose@ndp.gov.vn',
        name: 'L',
        password: 'a loose passphrase',
        platformAdmin: false,
      });
      const put = (userId: string, auth: Record<string, string>) =>
        inject({
          method: 'PUT',
          url: `/api/v1/agencies/${admin.agencyId}/members`,
          headers: auth,
          payload: { user_id: userId, role: 'agency_editor' },
        });
      const bearer = { authorization: `Bearer ${admin.token}` };
      const taken = await put(elsewhere.userId, bearer);
      expect(taken.statusCode).toBe(403);
      expect(taken.json().error.code).toBe('FORBIDDEN');
      expect(taken.json().error.vi).toMatch(/cơ quan khác/);
      expect(taken.json().error.en).toMatch(/another agency/);
      // an unknown id answers the same, so the endpoint tells nothing about who exists
      const unknown = await put('00000000-0000-4000-8000-000000000000', bearer);
      expect(unknown.statusCode).toBe(403);
      expect(unknown.json().error.en).toBe(taken.json().error.en);
      expect((await put(loose.id, bearer)).statusCode).toBe(200);
      // changing the role of an existing member stays allowed
      const again = await inject({
        method: 'PUT',
        url: `/api/v1/agencies/${admin.agencyId}/members`,
        headers: bearer,
        payload: { user_id: loose.id, role: 'viewer' },
      });
      expect(again.statusCode).toBe(200);
      const { cookie, csrf } = await h.signIn('admin@ndp.gov.vn', 'a long admin passphrase');
      expect((await put(elsewhere.userId, { cookie, 'x-csrf-token': csrf })).statusCode).toBe(200);
    });

    it('answers an agency administrator’s user creation the same whether or not the e-mail exists', async () => {
      const admin = await h.tokenFor('bo-y-te', 'agency_admin');
      const existing = await h.tokenFor('bo-tai-chinh', 'agency_editor');
      const create = (email: string) =>
        inject({
          method: 'POST',
          url: '/api/v1/users',
          headers: { authorization: `Bearer ${admin.token}` },
          payload: { email, name: 'N', password: 'a long enough password', agency_id: admin.agencyId },
        });
      const fresh = await create('fresh@moh.gov.vn');
      const taken = await create(existing.email);
      expect(taken.statusCode).toBe(fresh.statusCode);
      const strip = (b: { request: Record<string, unknown> }) => ({ ...b, request: { ...b.request, email: '' } });
      expect(strip(taken.json())).toEqual(strip(fresh.json()));
      // the new account exists; the existing one was left alone (not added to the agency)
      const members = (
        await inject({
          method: 'GET',
          url: `/api/v1/agencies/${admin.agencyId}/members`,
          headers: { authorization: `Bearer ${admin.token}` },
        })
      ).json().members as { email: string }[];
      expect(members.map((m) => m.email)).toContain('fresh@moh.gov.vn');
      expect(members.map((m) => m.email)).not.toContain(existing.email);
      // what happened goes to platform administrators only, through the audit trail
      const { cookie, csrf } = await h.signIn('admin@ndp.gov.vn', 'a long admin passphrase');
      const trail = (await inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie } })).json().entries as {
        action: string;
        agency_id: string | null;
      }[];
      const refused = trail.find((e) => e.action === 'user.create_existing');
      expect(refused).toBeTruthy();
      expect(refused!.agency_id).toBeNull();
      const own = (
        await inject({
          method: 'GET',
          url: `/api/v1/audit?agency_id=${admin.agencyId}`,
          headers: { authorization: `Bearer ${admin.token}` },
        })
      ).json().entries as { action: string }[];
      expect(own.map((e) => e.action)).not.toContain('user.create_existing');
      // a platform administrator still gets the plain answer
      const direct = await inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: { cookie, 'x-csrf-token': csrf },
        payload: { email: existing.email, name: 'N', password: 'a long enough password' },
      });
      expect(direct.statusCode).toBe(409);
    });

    it('shows the audit trail to an agency admin for their agency only', async () => {
      const admin = await h.tokenFor('bo-y-te', 'agency_admin');
      const editor = await h.tokenFor('bo-y-te', 'agency_editor');
      const own = await inject({
        method: 'GET',
        url: `/api/v1/audit?agency_id=${admin.agencyId}`,
        headers: { authorization: `Bearer ${admin.token}` },
      });
      expect(own.statusCode).toBe(200);
      expect(own.json().entries.map((e: { action: string }) => e.action)).toContain('membership.set');
      expect(
        (
          await inject({
            method: 'GET',
            url: `/api/v1/audit?agency_id=${admin.agencyId}`,
            headers: { authorization: `Bearer ${editor.token}` },
          })
        ).statusCode,
      ).toBe(403);
      expect(
        (await inject({ method: 'GET', url: '/api/v1/audit', headers: { authorization: `Bearer ${admin.token}` } }))
          .statusCode,
      ).toBe(403);
    });

    it('records every write in an append-only audit trail', async () => {
      const db = h.db;
      const rows = await sql<{ action: string }>`select action from audit_log order by id`.execute(db);
      const actions = rows.rows.map((r) => r.action);
      expect(actions).toEqual(
        expect.arrayContaining(['user.create', 'membership.set', 'token.create', 'token.revoke', 'session.create']),
      );
      await expect(sql`update audit_log set action = 'x'`.execute(db)).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_log`.execute(db)).rejects.toThrow(/append-only/);
    });
  });
}
