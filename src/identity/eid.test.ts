import type { CustomFetch } from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { BASE, startHarness, type Harness } from '../../test/harness.js';
import { signInAtStandIn } from '../../test/eid.js';
import { freePort } from '../../test/ports.js';
import { generatePeople } from '../cli/demo-citizens.js';
import { subjectHash } from '../exchange/registry/registry.service.js';
import { startStandInEid, type StandInEid } from './stand-in/stand-in-eid.js';

const PEOPLE = [...generatePeople(12, [{ code: '00004', name: 'Phường Ba Đình', province: '01' }]).values()];
const CITIZEN = PEOPLE[0]!;
const CALLBACK = `${BASE}/auth/eid/callback`;
const cookieOf = (res: { headers: Record<string, unknown> }, name: string) =>
  ([] as string[])
    .concat((res.headers['set-cookie'] as string | string[] | undefined) ?? [])
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1);

for (const driver of testDrivers()) {
  describe(`sign-in with the e-ID through the stand-in (${driver.name})`, () => {
    let h: Harness;
    let eid: StandInEid;
    const secret = 'stand-in client secret for tests';

    beforeAll(async () => {
      h = await startHarness(driver);
      eid = await startStandInEid({
        issuer: `http://127.0.0.1:${await freePort()}`,
        people: PEOPLE,
        clients: [{ clientId: 'ndp-portal', clientSecret: secret, redirectUris: [CALLBACK] }],
        acrLevels: ['urn:ndp:loa:1', 'urn:ndp:loa:2'],
        demo: true,
      });
      h.app.identity.useEid({ issuer: eid.issuer, clientId: 'ndp-portal', clientSecret: secret });
    });
    afterAll(async () => {
      await eid?.close();
      await h?.close();
    });

    /** Starts at ndp, plays the person at the stand-in, and returns ndp's answer to the provider's redirect back. */
    async function signIn(o: { ask: 1 | 2; pick: 1 | 2; person?: string; next?: string }) {
      const start = await h.inject({ method: 'GET', url: `/auth/eid?level=${o.ask}&next=${o.next ?? '%2Faccount'}` });
      expect(start.statusCode).toBe(303);
      const attempt = cookieOf(start, 'ndp_eid_attempt')!;
      const authorization = String(start.headers.location);
      const back = await signInAtStandIn(authorization, {
        person: o.person ?? CITIZEN.id,
        level: o.pick,
        redirectBase: CALLBACK,
      });
      const url = back.slice(BASE.length);
      const res = await h.inject({ method: 'GET', url, headers: { cookie: attempt, accept: 'text/html' } });
      return { res, url, attempt, authorization };
    }

    it('signs a demo citizen in at level 2 with PKCE: their name and level on their page, the id number kept only hashed', async () => {
      const { res, authorization } = await signIn({ ask: 2, pick: 2 });
      const asked = new URL(authorization).searchParams;
      expect(asked.get('code_challenge_method')).toBe('S256');
      expect(asked.get('code_challenge')).toMatch(/^[\w-]{43}$/);
      expect(asked.get('scope')).toBe('openid profile cccd');
      expect(asked.get('acr_values')).toBe('urn:ndp:loa:2');
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/account');
      const session = cookieOf(res, 'ndp_public')!;
      const page = await h.inject({ method: 'GET', url: '/account', headers: { cookie: session } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(CITIZEN.fullName);
      expect(page.body).toContain('Mức 2');

      const me = await h.inject({ method: 'GET', url: '/api/v1/public/me', headers: { cookie: session } });
      expect(me.json().user).toMatchObject({ kind: 'citizen', name: CITIZEN.fullName, level: 2 });
      // the exchange's keyed hash of "VN" + CCCD, and never the number itself
      const a = await h.app.services.registry.authority();
      const hashes = await h.app.services.identity.subjectHashes({
        ...me.json().user,
        userId: me.json().user.id,
        method: 'eid',
        expiresAt: new Date(),
      });
      expect(hashes).toEqual([subjectHash(a.subjectKey, `VN${CITIZEN.id}`)]);
      for (const table of [
        'public_users',
        'public_identities',
        'public_user_subjects',
        'public_sessions',
        'audit_log',
      ]) {
        const rows = await h.db.selectFrom(table).selectAll().execute();
        expect(JSON.stringify(rows), table).not.toContain(CITIZEN.id);
      }
      const audit = await h.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'public_user').execute();
      expect(audit.map((r) => r.action)).toContain('public_user.create');
    });

    it('comes back to the page the sign-in started from (the data set page a follow link left)', async () => {
      const form = await h.inject({ method: 'GET', url: '/auth?next=%2Fdataset%2Fdan-so-2024%3Flang%3Den' });
      const button = /href="\/auth\/eid\?level=1&amp;next=([^"]+)"/.exec(form.body)![1]!;
      expect(button).toBe('%2Fdataset%2Fdan-so-2024%3Flang%3Den');
      const { res } = await signIn({ ask: 1, pick: 1, next: button });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/dataset/dan-so-2024?lang=en');
      const evil = await h.inject({ method: 'GET', url: '/auth?next=%2F%2Fevil.example%2F' });
      expect(evil.body).toContain('href="/auth/eid?level=1&amp;next=%2Faccount"');
    });

    it('refuses a replayed authorization code: at ndp, and at the provider', async () => {
      const { res, url, attempt } = await signIn({ ask: 1, pick: 1 });
      expect(res.statusCode).toBe(303);
      const again = await h.inject({ method: 'GET', url, headers: { cookie: attempt, accept: 'application/json' } });
      expect(again.statusCode).toBe(401);
      expect(again.json().error.code).toBe('SIGN_IN_FAILED');
      expect(cookieOf(again, 'ndp_public')).toBeUndefined();
      // the same code sent straight to the provider's token endpoint, verifier and all, is refused there too
      const code = new URL(url, BASE).searchParams.get('code')!;
      const token = await exchange({ code, code_verifier: 'x'.repeat(43) });
      expect(token.status).toBe(400);
      expect((await token.json()).error).toBe('invalid_grant');
    });

    const exchange = (params: Record<string, string>) =>
      fetch(`${eid.issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`ndp-portal:${encodeURIComponent(secret)}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'authorization_code', redirect_uri: CALLBACK, ...params }),
      });

    it('refuses a request without PKCE, and a code exchanged without its verifier', async () => {
      const bare = new URL(`${eid.issuer}/authorize`);
      for (const [k, v] of Object.entries({
        client_id: 'ndp-portal',
        redirect_uri: CALLBACK,
        response_type: 'code',
        scope: 'openid profile',
        state: 'abc',
        nonce: 'n-0S6_WzA2Mj',
      }))
        bare.searchParams.set(k, v);
      const refused = await fetch(bare, { redirect: 'manual' });
      const back = new URL(String(refused.headers.get('location')));
      expect(back.href.startsWith(CALLBACK)).toBe(true);
      expect(back.searchParams.get('error')).toBe('invalid_request');
      expect(back.searchParams.get('error_description')).toMatch(/PKCE/);
      expect(back.searchParams.has('code')).toBe(false);

      const start = await h.inject({ method: 'GET', url: '/auth/eid?level=1' });
      const url = await signInAtStandIn(String(start.headers.location), {
        person: CITIZEN.id,
        level: 1,
        redirectBase: CALLBACK,
      });
      const code = new URL(url).searchParams.get('code')!;
      const token = await exchange({ code });
      expect(token.status).toBe(400);
      expect((await token.json()).error).toMatch(/invalid_(grant|request)/);
    });

    it('refuses a tampered ID token (a level 1 sign-in whose token was edited to say level 2)', async () => {
      const tamper: CustomFetch = async (url, options) => {
        const res = await fetch(url, options as RequestInit);
        if (!url.endsWith('/token') || !res.ok) return res;
        const body = await res.json();
        const [head, payload, signature] = String(body.id_token).split('.');
        const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
        claims.acr = 'urn:ndp:loa:2';
        body.id_token = [head, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
        return new Response(JSON.stringify(body), { status: 200, headers: res.headers });
      };
      h.app.identity.useEid({ issuer: eid.issuer, clientId: 'ndp-portal', clientSecret: secret, fetch: tamper });
      try {
        const { res } = await signIn({ ask: 2, pick: 1 });
        expect(res.statusCode).toBe(401);
        expect(res.body).toContain('chữ ký');
        expect(cookieOf(res, 'ndp_public')).toBeUndefined();
      } finally {
        h.app.identity.useEid({ issuer: eid.issuer, clientId: 'ndp-portal', clientSecret: secret });
      }
    });

    it('signs in at level 1 without asking for the id number; a level 2 page sends the citizen to step up', async () => {
      const { res, authorization } = await signIn({ ask: 1, pick: 1, person: PEOPLE[3]!.id });
      expect(new URL(authorization).searchParams.get('scope')).toBe('openid profile');
      const session = cookieOf(res, 'ndp_public')!;
      const me = (await h.inject({ method: 'GET', url: '/api/v1/public/me', headers: { cookie: session } })).json();
      expect(me.user).toMatchObject({ name: PEOPLE[3]!.fullName, level: 1 });
      const user = { ...me.user, userId: me.user.id, method: 'eid', expiresAt: new Date() };
      await expect(h.app.services.identity.subjectHashes(user)).rejects.toMatchObject({ code: 'ASSURANCE_TOO_LOW' });
      const page = await h.inject({ method: 'GET', url: '/account', headers: { cookie: session } });
      expect(page.body).toContain('Mức 1');
      expect(page.body).toContain('/auth/eid?level=2');
    });

    it('refuses a level 1 answer to a level 2 request (a wrong acr)', async () => {
      const { res } = await signIn({ ask: 2, pick: 1 });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('mức 1');
      expect(cookieOf(res, 'ndp_public')).toBeUndefined();
      // no dead end: the way to sign in again at level 2, back to the page that asked
      expect(res.body).toMatch(
        /<a class="button-link" href="\/auth\/eid\?level=2&amp;next=%2F[^"]*" data-testid="step-up">/,
      );
      expect(res.body).toContain('Đăng nhập lại bằng VNeID mức 2');
    });
  });
}
