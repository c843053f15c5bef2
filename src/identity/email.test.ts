import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { decodedMail as decoded, startSmtp } from '../../test/smtp.js';

const cookieOf = (res: { headers: Record<string, unknown> }, name: string) =>
  ([] as string[])
    .concat((res.headers['set-cookie'] as string | string[] | undefined) ?? [])
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith(`${name}=`) && c.length > name.length + 1);

for (const driver of testDrivers()) {
  describe(`reusers sign up and in with e-mailed links (${driver.name})`, () => {
    let h: Harness;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;

    beforeAll(async () => {
      smtp = await startSmtp();
      h = await startHarness(driver, { NDP_SMTP_URL: smtp.url, NDP_MAIL_FROM: 'ndp <no-reply@ndp.test>' });
    });
    afterAll(async () => {
      await h?.close();
      await smtp?.close();
    });

    async function ask(email: string, name = 'Nhà nghiên cứu', next?: string) {
      const form = await h.inject({ method: 'GET', url: next ? `/auth?next=${encodeURIComponent(next)}` : '/auth' });
      const kept = /name="next" value="([^"]*)"/.exec(form.body)![1]!;
      const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
      return h.inject({
        method: 'POST',
        url: '/auth/email',
        headers: { cookie: cookieOf(form, 'ndp_public_form')!, accept: 'text/html' },
        payload: { _csrf: token, email, name, next: kept },
      });
    }
    /** The `count`th mail to `email` (waiting for it: mails leave after the answer), decoded, and its link. */
    async function mailFor(email: string, count: number): Promise<{ text: string; link: string }> {
      for (let i = 0; i < 100 && smtp.inbox.filter((m) => m.to.includes(email)).length < count; i++)
        await new Promise((r) => setTimeout(r, 50));
      const mail = smtp.inbox.filter((m) => m.to.includes(email))[count - 1];
      if (!mail) throw new Error(`no mail ${count} for ${email}`);
      const text = decoded(mail.raw);
      return { text, link: /https?:\/\/\S+\/auth\/email\/confirm\?token=[\w-]+(&next=\S+)?/.exec(text)![0] };
    }
    const linkFor = async (email: string, count: number) => (await mailFor(email, count)).link;
    async function use(link: string) {
      const url = link.slice(link.indexOf('/auth/'));
      const page = await h.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      if (page.statusCode !== 200) return page;
      const form = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const token = /name="token" value="([^"]+)"/.exec(page.body)![1]!;
      const next = /name="next" value="([^"]+)"/.exec(page.body)![1]!;
      return h.inject({
        method: 'POST',
        url: '/auth/email/confirm',
        headers: { cookie: cookieOf(page, 'ndp_public_form')!, accept: 'text/html' },
        payload: { _csrf: form, token, next },
      });
    }

    it('signs a reuser up through a link sent by SMTP, once; the link does nothing a second time', async () => {
      const res = await ask('Researcher@Uni.example', 'Dr. Lan Nguyen');
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/auth/email/sent');
      const { text: mail, link } = await mailFor('researcher@uni.example', 1);
      expect(mail).toContain('From: ndp <no-reply@ndp.test>');
      expect(mail).toContain('vừa đăng ký tài khoản');
      const done = await use(link);
      expect(done.statusCode).toBe(303);
      expect(done.headers.location).toBe('/account');
      const session = cookieOf(done, 'ndp_public')!;
      const page = await h.inject({ method: 'GET', url: '/account', headers: { cookie: session } });
      expect(page.body).toContain('Dr. Lan Nguyen');
      expect(page.body).toContain('Email đã xác minh');
      const me = (await h.inject({ method: 'GET', url: '/api/v1/public/me', headers: { cookie: session } })).json();
      expect(me.user).toMatchObject({ kind: 'reuser', email: 'researcher@uni.example', level: 0 });
      // the token is kept only as its hash
      const rows = await h.db.selectFrom('email_links').selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(new URL(link).searchParams.get('token')!);

      const again = await use(link);
      expect(again.statusCode).toBe(400);
      expect(again.body).toContain('đã dùng');
    });

    it('answers alike whether an address has an account or not; a known one gets a sign-in link', async () => {
      const known = await ask('researcher@uni.example');
      const unknown = await ask('nobody@company.example');
      for (const res of [known, unknown]) {
        expect(res.statusCode).toBe(303);
        expect(res.headers.location).toBe('/auth/email/sent');
        expect(res.body).toBe(known.body);
      }
      const { text, link } = await mailFor('researcher@uni.example', 2);
      expect(text).toContain('vừa yêu cầu đăng nhập');
      const done = await use(link);
      expect(done.statusCode).toBe(303);
      const users = await h.db.selectFrom('public_users').select('email').where('kind', '=', 'reuser').execute();
      expect(users.map((u) => u.email)).toEqual(['researcher@uni.example']);
    });

    it('throttles links to one address, and refuses a form without its token', async () => {
      const codes: number[] = [];
      for (let i = 0; i < 6; i++) codes.push((await ask('flood@company.example')).statusCode);
      expect(codes).toEqual([303, 303, 303, 303, 303, 429]);
      const forged = await h.inject({
        method: 'POST',
        url: '/auth/email',
        payload: { email: 'x@company.example', name: 'x' },
      });
      expect(forged.statusCode).toBe(403);
    });

    it('keeps public sessions apart from staff ones, and signs out only with the CSRF token', async () => {
      await ask('apart@company.example', 'Công ty A');
      const done = await use(await linkFor('apart@company.example', 1));
      const session = cookieOf(done, 'ndp_public')!;
      const staff = await h.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: session } });
      expect(staff.statusCode).toBe(401);
      const page = await h.inject({ method: 'GET', url: '/account', headers: { cookie: session } });
      const csrf = /action="\/auth\/signout"[\s\S]*?name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const forged = await h.inject({
        method: 'POST',
        url: '/auth/signout',
        headers: { cookie: session },
        payload: {},
      });
      expect(forged.statusCode).toBe(403);
      const out = await h.inject({
        method: 'POST',
        url: '/auth/signout',
        headers: { cookie: session },
        payload: { _csrf: csrf },
      });
      expect(out.statusCode).toBe(303);
      const after = await h.inject({ method: 'GET', url: '/api/v1/public/me', headers: { cookie: session } });
      expect(after.statusCode).toBe(401);
    });

    it('comes back to the page the sign-in started from, and never to another site', async () => {
      const res = await ask('follower@uni.example', 'Người theo dõi', '/dataset/dan-so-2024?lang=en');
      expect(res.statusCode).toBe(303);
      const { link } = await mailFor('follower@uni.example', 1);
      expect(link).toContain('next=%2Fdataset%2Fdan-so-2024%3Flang%3Den');
      const done = await use(link.replace(/&amp;/g, '&'));
      expect(done.headers.location).toBe('/dataset/dan-so-2024?lang=en');
      for (const evil of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
        const form = await h.inject({ method: 'GET', url: `/auth?next=${encodeURIComponent(evil)}` });
        expect(/name="next" value="([^"]*)"/.exec(form.body)![1]).toBe('/account');
      }
      const search = await h.inject({
        method: 'GET',
        url: `/auth?next=${encodeURIComponent('/datasets?q=d%C3%A2n+s%E1%BB%91')}`,
      });
      expect(search.body).toContain('name="next" value="/datasets?q=d%C3%A2n+s%E1%BB%91"');
    });
  });
}
