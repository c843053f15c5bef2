import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import {
  buildDataset,
  buildDistribution,
  buildSession,
  publishDataset,
  type Dataset,
} from '../../../test/factories.js';
import { citizenSession, signedInWithEmail } from '../../../test/citizens.js';
import { decodedMail, startSmtp } from '../../../test/smtp.js';
import { freePort } from '../../../test/ports.js';
import { refusedAddress, verify } from './webhook-signing.js';

interface Hit {
  headers: Record<string, string | undefined>;
  body: string;
  status: number;
}

/** A local webhook receiver: answers 500 to the first `failFirst` posts, 200 after. */
async function startReceiver(failFirst: number) {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = hits.length < failFirst ? 500 : 200;
      hits.push({ headers: req.headers as Hit['headers'], body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${port}/hook`, hits, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const CSV = 'tinh,dan_so\nHà Nội,8587100\nĐà Nẵng,1245000\n';

for (const driver of testDrivers()) {
  describe(`follow and be told (${driver.name})`, () => {
    let h: Harness;
    let smtp: Awaited<ReturnType<typeof startSmtp>>;
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    let follower: Awaited<ReturnType<typeof signedInWithEmail>>;
    let dataset: Dataset;
    let fileId: string;
    const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);
    const pass = (now?: Date) => h.app.portal.follow.deliverer.runOnce(now);
    const as = (s: { cookie: string; csrf: string }) => ({ cookie: s.cookie, 'x-csrf-token': s.csrf });
    const versions = async () =>
      (await h.app.services.datastore.versionsOf(fileId)).filter((v) => v.status === 'ready').length;
    const until = async (what: () => Promise<boolean>) => {
      for (let i = 0; i < 300; i++) {
        if (await what()) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('timed out');
    };
    /** Whether the event of this version of the table was told. */
    const versionTold = async (version: number) =>
      !!(await h.db
        .selectFrom('follow_events')
        .select('id')
        .where('distribution_id', '=', fileId)
        .where('version', '=', version)
        .where('fanned_out_at', 'is not', null)
        .executeTakeFirst());
    /** Loads the table again (version `version` made current) and waits until its event is told. */
    const loadAgain = async (version: number) => {
      const res = await h.inject({
        method: 'POST',
        url: `/api/v1/distributions/${fileId}/datastore/load`,
        headers: dataset.user.auth,
      });
      expect(res.statusCode).toBe(202);
      await until(async () => {
        await pass();
        return versionTold(version);
      });
    };
    const myNotifications = async () =>
      (await h.inject({ method: 'GET', url: '/api/v1/my/notifications', headers: { cookie: follower.cookie } })).json()
        .notifications as {
        kind: string;
        subject: { vi: string; en: string };
        text: { vi: string; en: string };
        read: boolean;
      }[];

    beforeAll(async () => {
      smtp = await startSmtp();
      receiver = await startReceiver(1);
      h = await startHarness(driver, { NDP_SMTP_URL: smtp.url, NDP_PROBE_PRIVATE_LINKS: 'true' });
      await h.app.jobs.start();
      dataset = await buildDataset(h, {
        title_vi: 'Dân số theo tỉnh năm 2025',
        title_en: 'Population by province 2025',
      });
      fileId = (await buildDistribution(h, { dataset, fileName: 'dan_so.csv', csv: CSV })).id;
      // loaded while a draft (its first version tells nobody), then published: one event, told before the follow
      await until(async () => (await versions()) === 1);
      await new Promise((r) => setTimeout(r, 1000)); // the load's after-steps
      await publishDataset(h, dataset);
      await until(async () => {
        await pass();
        return !!(await h.db
          .selectFrom('follow_events')
          .select('id')
          .where('fanned_out_at', 'is not', null)
          .executeTakeFirst());
      });
      follower = await signedInWithEmail(h, '001090000001', 'Người theo dõi', 'follower@example.vn');
    }, 120_000);
    afterAll(async () => {
      await h?.close();
      await smtp?.close();
      await receiver?.close();
    });

    it('refuses a stranger: 401 from the API, a sign-in from the page', async () => {
      const api = await h.inject({
        method: 'POST',
        url: '/api/v1/my/follows',
        payload: { kind: 'dataset', dataset: dataset.slug },
      });
      expect(api.statusCode).toBe(401);
      const form = await h.inject({
        method: 'POST',
        url: '/my/follows',
        headers: { accept: 'text/html' },
        payload: { kind: 'dataset', dataset: dataset.slug },
      });
      expect(form.statusCode).toBe(303);
      expect(form.headers.location).toMatch(/^\/auth\?next=/);
      const page = await h.inject({ method: 'GET', url: `/dataset/${dataset.slug}`, headers: { accept: 'text/html' } });
      expect(page.body).toContain('/auth?next=');
      expect(page.body).toContain(`href="/dataset/${dataset.slug}/feed.atom"`);
    });

    it('does not offer e-mail to an e-ID account without an address, and says why', async () => {
      const citizen = await citizenSession(h, '001090000077', 'Người không có email');
      const page = await h.inject({ method: 'GET', url: '/my/follows?lang=en', headers: { cookie: citizen.cookie } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<input type="checkbox" id="email-on" disabled aria-describedby="email-none"/>');
      expect(page.body).not.toContain('action="/my/follows/email"');
      expect(page.body).toContain('Accounts signed in with VNeID have no e-mail address');
      // one with an address keeps the box and its form
      const mine = await h.inject({ method: 'GET', url: '/my/follows', headers: { cookie: follower.cookie } });
      expect(mine.body).toContain('action="/my/follows/email"');
    });

    it('follows from the data set page (CSRF form), and the page then says so', async () => {
      const page = await h.inject({
        method: 'GET',
        url: `/dataset/${dataset.slug}`,
        headers: { cookie: follower.cookie, accept: 'text/html' },
      });
      expect(page.body).toContain('action="/my/follows"');
      const res = await h.inject({
        method: 'POST',
        url: '/my/follows',
        headers: { cookie: follower.cookie, accept: 'text/html' },
        payload: { _csrf: follower.csrf, kind: 'dataset', dataset: dataset.slug, next: `/dataset/${dataset.slug}` },
      });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`/dataset/${dataset.slug}`);
      const after = await h.inject({
        method: 'GET',
        url: `/dataset/${dataset.slug}`,
        headers: { cookie: follower.cookie, accept: 'text/html' },
      });
      expect(after.body).toContain('Bạn đang theo dõi bộ dữ liệu này');
      const noCsrf = await h.inject({
        method: 'POST',
        url: '/my/follows',
        headers: { cookie: follower.cookie, accept: 'text/html' },
        payload: { kind: 'agency', agency: 'bo-tai-chinh' },
      });
      expect(noCsrf.statusCode).toBe(403);
    });

    it('tells of a new version: the page, an e-mail, the feed, a signed webhook retried after a 500', async () => {
      const made = await h.inject({
        method: 'POST',
        url: '/api/v1/my/webhooks',
        headers: as(follower),
        payload: { url: receiver.url },
      });
      expect(made.statusCode).toBe(201);
      const hook = made.json() as { id: string; secret: string };
      expect(hook.secret).toMatch(/^whsec_/);
      const listed = await h.inject({
        method: 'GET',
        url: '/api/v1/my/webhooks',
        headers: { cookie: follower.cookie },
      });
      expect(listed.body).not.toContain(hook.secret);

      await loadAgain(2);
      await pass();

      // (the first version's event may reach the follower too, when its load ended after the follow)
      const mine = (await myNotifications()).filter((n) => n.text.en.includes('(version 2)'));
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ kind: 'version.current', read: false });
      expect(mine[0]!.subject.en).toBe('New version: Population by province 2025');
      const page = await h.inject({ method: 'GET', url: '/my/follows', headers: { cookie: follower.cookie } });
      expect(page.body).toContain('Phiên bản mới: Dân số theo tỉnh năm 2025');
      expect(page.body).toMatch(/[12] thông báo mới/);

      await until(async () => smtp.inbox.some((m) => m.to.includes('follower@example.vn')));
      const mail = decodedMail(smtp.inbox.find((m) => m.to.includes('follower@example.vn'))!.raw);
      expect(mail).toContain('Dân số theo tỉnh năm 2025');
      expect(mail).toContain(`http://ndp.test/dataset/${dataset.slug}`);

      const feed = await h.inject({ method: 'GET', url: `/dataset/${dataset.slug}/feed.atom?lang=en` });
      expect(feed.statusCode).toBe(200);
      expect(feed.headers['content-type']).toContain('application/atom+xml');
      expect(feed.body).toContain('<title type="html"><![CDATA[New version: Population by province 2025]]></title>');

      // the first post got a 500; the retry waits a minute: look past it
      expect(receiver.hits).toHaveLength(1);
      expect(receiver.hits[0]!.status).toBe(500);
      await pass(later(2));
      expect(receiver.hits).toHaveLength(2);
      const [first, second] = receiver.hits as [Hit, Hit];
      expect(verify(hook.secret, second.headers, second.body)).toBe(true);
      expect(verify('whsec_AAAA', second.headers, second.body)).toBe(false);
      expect(second.headers['webhook-id']).toBe(first.headers['webhook-id']);
      expect(JSON.parse(second.body)).toMatchObject({
        type: 'version.current',
        data: { dataset: { id: dataset.id, slug: dataset.slug }, distribution: { id: fileId, version: 2 } },
      });
      const log = (
        await h.inject({
          method: 'GET',
          url: `/api/v1/my/webhooks/${hook.id}/deliveries`,
          headers: { cookie: follower.cookie },
        })
      ).json();
      expect(log.deliveries).toHaveLength(1);
      expect(log.deliveries[0].status).toBe('delivered');
      expect(log.deliveries[0].attempts.map((a: { response_code: number }) => a.response_code)).toEqual([500, 200]);
      const logPage = await h.inject({
        method: 'GET',
        url: `/my/webhooks/${hook.id}`,
        headers: { cookie: follower.cookie },
      });
      expect(logPage.body).toContain('Đã gửi');
    }, 120_000);

    it('stops telling once unfollowed', async () => {
      const follows = (
        await h.inject({ method: 'GET', url: '/api/v1/my/follows', headers: { cookie: follower.cookie } })
      ).json().follows as { id: string }[];
      const res = await h.inject({
        method: 'POST',
        url: `/my/follows/${follows[0]!.id}/delete`,
        headers: { cookie: follower.cookie, accept: 'text/html' },
        payload: { _csrf: follower.csrf },
      });
      expect(res.statusCode).toBe(303);
      const mails = smtp.inbox.length;
      const told = (await myNotifications()).length;
      await loadAgain(3);
      await pass();
      await pass(later(2));
      expect(await myNotifications()).toHaveLength(told);
      expect(smtp.inbox.length).toBe(mails);
    }, 120_000);

    it('tells of a new data set an agency publishes, or a followed search finds', async () => {
      const searcher = await signedInWithEmail(h, '001090000002', 'Người tìm', 'searcher@example.vn');
      await h.inject({
        method: 'PUT',
        url: '/api/v1/my/follows/email',
        headers: as(searcher),
        payload: { email: false },
      });
      const bySearch = await h.inject({
        method: 'POST',
        url: '/api/v1/my/follows',
        headers: as(searcher),
        payload: { kind: 'search', search: { q: 'Lúa gạo' } },
      });
      expect(bySearch.statusCode).toBe(201);
      const byAgency = await h.inject({
        method: 'POST',
        url: '/api/v1/my/follows',
        headers: as(follower),
        payload: { kind: 'agency', agency: 'bo-tai-chinh' },
      });
      expect(byAgency.statusCode).toBe(201);
      await buildDataset(h, { title_vi: 'Sản lượng lúa gạo 2025', status: 'published' });
      await until(async () => {
        await pass();
        const r = await h.inject({
          method: 'GET',
          url: '/api/v1/my/notifications',
          headers: { cookie: searcher.cookie },
        });
        return r.json().notifications.length > 0;
      });
      const found = (
        await h.inject({ method: 'GET', url: '/api/v1/my/notifications', headers: { cookie: searcher.cookie } })
      ).json().notifications;
      expect(found[0].subject.vi).toBe('Bộ dữ liệu mới: Sản lượng lúa gạo 2025');
      expect((await myNotifications())[0]!.subject.vi).toBe('Bộ dữ liệu mới: Sản lượng lúa gạo 2025');
      expect(smtp.inbox.some((m) => m.to.includes('searcher@example.vn'))).toBe(false); // e-mail off
      const feed = await h.inject({ method: 'GET', url: '/datasets/feed.atom?q=lua+gao' });
      expect(feed.body).toContain('Sản lượng lúa gạo 2025');
      const agencyFeed = await h.inject({ method: 'GET', url: '/agency/bo-tai-chinh/feed.atom' });
      expect(agencyFeed.body).toContain('Bộ dữ liệu mới: Sản lượng lúa gạo 2025');
    }, 120_000);

    it("delivers other parts' notices to an agency's staff: their page and e-mail", async () => {
      const staff = await buildSession(h, {
        agency: 'bo-tai-chinh',
        role: 'agency_admin',
        email: 'officer@mof.gov.vn',
      });
      const hook = await h.inject({
        method: 'POST',
        url: '/api/v1/staff/webhooks',
        headers: staff.auth,
        payload: { url: receiver.url },
      });
      expect(hook.statusCode).toBe(201);
      const secret = hook.json().secret as string;
      await h.app.portal.notifier.notify({
        to: { agencyId: staff.agencyId },
        kind: 'reuse.submitted',
        subject: { vi: 'Có ứng dụng mới dùng dữ liệu', en: 'A new reuse of your data' },
        text: { vi: 'Một ứng dụng dùng bộ dữ liệu của bạn.', en: 'An app uses your data set.' },
        link: '/reuses/1',
      });
      const page = await h.inject({
        method: 'GET',
        url: '/dashboard/notifications',
        headers: { cookie: staff.cookie },
      });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Có ứng dụng mới dùng dữ liệu');
      await until(async () => {
        await pass();
        return smtp.inbox.some((m) => m.to.includes('officer@mof.gov.vn'));
      });
      await until(async () => {
        await pass();
        return receiver.hits.some((x) => x.body.includes('reuse.submitted'));
      });
      const posted = receiver.hits.find((x) => x.body.includes('reuse.submitted'))!;
      expect(verify(secret, posted.headers, posted.body)).toBe(true);
      expect(JSON.parse(posted.body).data.link).toBe('http://ndp.test/reuses/1');
      const dashboard = await h.inject({ method: 'GET', url: '/dashboard', headers: { cookie: staff.cookie } });
      expect(dashboard.body).toContain('href="/dashboard/notifications"');
    }, 120_000);

    it('refuses webhooks to plain http or private addresses when private links are not allowed', async () => {
      expect(await refusedAddress('http://example.org/hook', false)).toBe('https only');
      expect(await refusedAddress('https://127.0.0.1/hook', false)).toMatch(/private/);
      expect(await refusedAddress('https://10.1.2.3/hook', false)).toMatch(/private/);
      expect(await refusedAddress('https://93.184.216.34/hook', false)).toBeNull();
    });
  });
}
