import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { buildAgencyUser, buildProcedure, buildSession, type AgencyUser } from '../../../test/factories.js';
import { citizenSession } from '../../../test/citizens.js';
import { fakeJourney } from '../../../test/offers.js';
import { OffersService } from './offers.service.js';

describe.each(testDrivers())('proactive offers ($name)', (driver) => {
  let h: Harness;
  let register: AgencyUser;
  let journey: ReturnType<typeof fakeJourney>;
  /** a procedure every field of which registers hold: accepted in one click */
  let birth: Awaited<ReturnType<typeof buildProcedure>>;
  let ruleId: string;
  const A = '001090000011';
  const B = '001090000012';

  const announce = (o: { id: string; person?: string; kind?: string; agency?: string }, user = register) =>
    h.inject({
      method: 'POST',
      url: '/api/v1/services/events',
      headers: user.auth,
      payload: {
        id: o.id,
        kind: o.kind ?? 'birth.registered',
        person: o.person ?? `VN${A}`,
        occurredAt: '2026-12-03',
        data: { ten_con: 'Nguyễn Minh An' },
        ...(o.agency ? { agency: o.agency } : {}),
      },
    });

  beforeAll(async () => {
    h = await startHarness(driver);
    journey = fakeJourney(h);
    h.app.publicServices.offers.journey = journey;
    register = await buildAgencyUser(h, { agency: 'bo-tu-phap', role: 'agency_editor' });
    birth = await buildProcedure(h, {
      agency: 'thanh-pho-ha-noi',
      fields: [
        {
          key: 'ho_ten',
          label_vi: 'Họ và tên',
          label_en: 'Full name',
          element: 'ho_va_ten',
          type: 'string',
          required: true,
        },
        {
          key: 'ngay_sinh',
          label_vi: 'Ngày sinh',
          label_en: 'Date of birth',
          element: 'ngay_sinh',
          type: 'date',
          required: true,
        },
      ],
    });
    const res = await h.inject({
      method: 'POST',
      url: '/api/v1/services/offer-rules',
      headers: birth.user.auth,
      payload: {
        procedure: birth.code,
        event_kind: 'birth.registered',
        from_agency: 'bo-tu-phap',
        message_vi: 'Con của bạn ({ten_con}) đã được đăng ký khai sinh ngày {date}',
        message_en: 'Your child ({ten_con}) was registered at birth on {date}',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    ruleId = res.json().id;
  });
  afterAll(() => h.close());

  it('an event makes an offer for the person it names, and only them', async () => {
    const res = await announce({ id: 'KS-2026-0001' });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ outcome: 'created', offers: [{ rule_id: ruleId, procedure_id: birth.id }] });
    expect(res.body).not.toContain(A);
    const a = await citizenSession(h, A, 'Nguyễn Văn A');
    const mine = await h.inject({ method: 'GET', url: '/api/v1/my/offers', headers: { cookie: a.cookie } });
    expect(mine.json().results).toHaveLength(1);
    expect(mine.json().results[0]).toMatchObject({
      status: 'open',
      procedure: { code: birth.code },
      why: {
        vi: 'Con của bạn (Nguyễn Minh An) đã được đăng ký khai sinh ngày 03/12/2026',
        en: 'Your child (Nguyễn Minh An) was registered at birth on 3 Dec 2026',
      },
    });
    const b = await citizenSession(h, B, 'Trần Thị B');
    const theirs = await h.inject({ method: 'GET', url: '/api/v1/my/offers', headers: { cookie: b.cookie } });
    expect(theirs.json().results).toEqual([]);
    // kept as the exchange's keyed hash only
    const kept = await h.db
      .selectFrom('service_events')
      .selectAll()
      .where('external_id', '=', 'KS-2026-0001')
      .execute();
    expect(kept).toHaveLength(1);
    expect(a.hashes).toContain(kept[0]?.subject_hash);
    expect(JSON.stringify(kept)).not.toContain(A);
  });

  it('a repeated event id is recognised: the same offers, none more', async () => {
    const first = await announce({ id: 'KS-2026-0002', person: B });
    const again = await announce({ id: 'KS-2026-0002', person: B });
    expect(again.statusCode).toBe(200);
    expect(again.json().outcome).toBe('repeated');
    expect(again.json().offers.map((o: { id: string }) => o.id)).toEqual(
      first.json().offers.map((o: { id: string }) => o.id),
    );
    const b = await citizenSession(h, B, 'Trần Thị B');
    const mine = await h.inject({ method: 'GET', url: '/api/v1/my/offers', headers: { cookie: b.cookie } });
    expect(mine.json().results).toHaveLength(1);
  });

  it('refuses a token of another agency (403), and keeps an event no rule takes nowhere', async () => {
    const other = await buildAgencyUser(h, { agency: 'bo-tai-chinh', role: 'agency_admin' });
    const res = await announce({ id: 'KS-X-1', agency: 'bo-tu-phap' }, other);
    expect(res.statusCode).toBe(403);
    // its own agency announcing the kind: no rule takes it from there
    const own = await announce({ id: 'KS-X-2' }, other);
    expect(own.statusCode).toBe(202);
    expect(own.json()).toMatchObject({ outcome: 'ignored', event: null, offers: [] });
    const viewer = await buildAgencyUser(h, { agency: 'bo-tu-phap', role: 'viewer' });
    expect((await announce({ id: 'KS-X-3' }, viewer)).statusCode).toBe(403);
    const kept = await h.db
      .selectFrom('service_events')
      .select('external_id')
      .where('external_id', 'like', 'KS-X-%')
      .execute();
    expect(kept).toEqual([]);
  });

  it('bounds what an announcement carries: its data keys and its size', async () => {
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v']));
    const wide = await h.inject({
      method: 'POST',
      url: '/api/v1/services/events',
      headers: register.auth,
      payload: { id: 'KS-BIG-1', kind: 'birth.registered', person: A, occurredAt: '2026-12-03', data: many },
    });
    expect(wide.statusCode).toBe(400);
    const big = await h.inject({
      method: 'POST',
      url: '/api/v1/services/events',
      headers: { ...register.auth, 'content-type': 'application/json' },
      payload: JSON.stringify({
        id: 'KS-BIG-2',
        kind: 'birth.registered',
        person: A,
        occurredAt: '2026-12-03',
        data: { x: 'a'.repeat(9000) },
      }),
    });
    expect(big.statusCode).toBe(413);
  });

  it('the person sees the offer on "my data" and accepts it in one click: a dossier of reused fields', async () => {
    const c = await citizenSession(h, '001090000021', 'Lê Văn C');
    const offered = await announce({ id: 'KS-2026-0021', person: '001090000021' });
    const offerId = offered.json().offers[0].id as string;
    const page = await h.inject({ method: 'GET', url: '/my-data', headers: { cookie: c.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Con của bạn (Nguyễn Minh An) đã được đăng ký khai sinh ngày 03/12/2026');
    expect(page.body).toContain(birth.name_vi);
    expect(page.body).toContain(`action="/my-data/offers/${offerId}/accept"`);
    const en = await h.inject({ method: 'GET', url: '/my-data?lang=en', headers: { cookie: c.cookie } });
    expect(en.body).toContain('was registered at birth on 3 Dec 2026');

    const click = await h.inject({
      method: 'POST',
      url: `/my-data/offers/${offerId}/accept`,
      headers: { cookie: c.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(c.csrf)}`,
    });
    expect(click.statusCode, click.body).toBe(303);
    const dossierId = /^\/my\/dossiers\/([0-9a-f-]{36})\?sent=1$/.exec(String(click.headers.location))?.[1];
    expect(dossierId).toBeDefined();
    const dossier = await h.db
      .selectFrom('service_dossiers')
      .selectAll()
      .where('id', '=', dossierId!)
      .executeTakeFirstOrThrow();
    expect(dossier).toMatchObject({ procedure_id: birth.id, public_user_id: c.user.userId, reused: 2, typed: 0 });
    expect(dossier.fields.map((f: { key: string; origin: string }) => [f.key, f.origin])).toEqual([
      ['ho_ten', 'register'],
      ['ngay_sinh', 'register'],
    ]);
    const offer = await h.db
      .selectFrom('service_offers')
      .selectAll()
      .where('id', '=', offerId)
      .executeTakeFirstOrThrow();
    expect(offer).toMatchObject({ status: 'accepted', dossier_id: dossierId });
    expect(journey.prefilled).toContain(offerId);
    // a second click makes no second dossier
    const twice = await h.inject({
      method: 'POST',
      url: `/api/v1/my/offers/${offerId}/accept`,
      headers: { cookie: c.cookie, 'x-csrf-token': c.csrf },
    });
    expect(twice.statusCode).toBe(409);
    const after = await h.inject({ method: 'GET', url: '/my-data', headers: { cookie: c.cookie } });
    expect(after.body).not.toContain(`/my-data/offers/${offerId}/accept`);
  });

  it('a procedure asking what no register holds opens the apply form with the offer', async () => {
    const typed = await buildProcedure(h, { user: birth.user });
    await h.app.publicServices.offers.createRule(birth.user.principal, {
      procedure: typed.code,
      event_kind: 'business.registered',
      from_agency: 'bo-tu-phap',
      message_vi: 'Doanh nghiệp của bạn đã được đăng ký ngày {date}',
    });
    const d = await citizenSession(h, '001090000031', 'Phạm D');
    const offered = await announce({ id: 'DN-1', kind: 'business.registered', person: '001090000031' });
    const offerId = offered.json().offers[0].id as string;
    const res = await h.inject({
      method: 'POST',
      url: `/api/v1/my/offers/${offerId}/accept`,
      headers: { cookie: d.cookie, 'x-csrf-token': d.csrf },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().dossier).toBeNull();
    expect(res.json().apply_url).toMatch(
      new RegExp(`^/services/${typed.code.replace(/\./g, '\\.')}/apply\\?prefill=[0-9a-f-]{36}&offer=${offerId}$`),
    );
  });

  it('a declined offer is gone; another person’s offer is not found', async () => {
    const e = await citizenSession(h, '001090000041', 'Võ E');
    const offered = await announce({ id: 'KS-2026-0041', person: '001090000041' });
    const offerId = offered.json().offers[0].id as string;
    const stranger = await citizenSession(h, '001090000042', 'Đỗ F');
    for (const d of ['accept', 'decline'])
      expect(
        (
          await h.inject({
            method: 'POST',
            url: `/api/v1/my/offers/${offerId}/${d}`,
            headers: { cookie: stranger.cookie, 'x-csrf-token': stranger.csrf },
          })
        ).statusCode,
      ).toBe(404);
    const no = await h.inject({
      method: 'POST',
      url: `/my-data/offers/${offerId}/decline`,
      headers: { cookie: e.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(e.csrf)}`,
    });
    expect(no.statusCode).toBe(303);
    const page = await h.inject({ method: 'GET', url: '/my-data', headers: { cookie: e.cookie } });
    expect(page.body).not.toContain(offerId);
    const api = await h.inject({ method: 'GET', url: '/api/v1/my/offers', headers: { cookie: e.cookie } });
    expect(api.json().results).toEqual([]);
  });

  it('only the deciding agency’s administrator writes a rule for its procedure', async () => {
    const body = {
      procedure: birth.code,
      event_kind: 'birth.registered',
      from_agency: 'bo-tu-phap',
      message_vi: 'Con của bạn đã được đăng ký khai sinh ngày {date}',
    };
    const editor = await buildAgencyUser(h, { agency: 'thanh-pho-ha-noi', role: 'agency_editor' });
    const other = await buildAgencyUser(h, { agency: 'bo-tai-chinh', role: 'agency_admin' });
    for (const u of [editor, other])
      expect(
        (await h.inject({ method: 'POST', url: '/api/v1/services/offer-rules', headers: u.auth, payload: body }))
          .statusCode,
      ).toBe(403);
    const stop = await h.inject({
      method: 'PATCH',
      url: `/api/v1/services/offer-rules/${ruleId}`,
      headers: other.auth,
      payload: { active: false },
    });
    expect(stop.statusCode).toBe(404);
  });

  it('bounds the events an agency announces a minute, and an open offer past its date can no longer be taken', async () => {
    let clock = new Date();
    const { procedures } = h.app.publicServices;
    const offers = new OffersService(h.db, {
      procedures,
      agencyId: async (key) => h.agencyId(key),
      agencyNames: async () => new Map(),
      subjectHash: async (x) => `hash-${x}`,
      subjectHashes: async () => ['hash-VN001090000051'],
      eventsPerMinute: 2,
      now: () => clock,
    });
    offers.journey = journey;
    // an announcing agency of its own: the other tests' announcements count in the same minute
    const health = await buildAgencyUser(h, { agency: 'bo-y-te', role: 'agency_editor' });
    await offers.createRule(birth.user.principal, {
      procedure: birth.code,
      event_kind: 'birth.registered',
      from_agency: 'bo-y-te',
      message_vi: 'Bệnh viện đã báo sinh ngày {date}',
    });
    const event = (id: string) => ({ id, kind: 'birth.registered', person: '001090000051', occurredAt: '2026-12-03' });
    await offers.announce(health.principal, event('RL-1'));
    await offers.announce(health.principal, event('RL-2'));
    await expect(offers.announce(health.principal, event('RL-3'))).rejects.toMatchObject({
      code: 'TOO_MANY_ATTEMPTS',
    });
    // the same id again is no new event: it is answered, not counted
    expect((await offers.announce(health.principal, event('RL-1'))).outcome).toBe('repeated');
    const c = await citizenSession(h, '001090000051', 'Hồ G');
    expect(await offers.mine(c.user)).toHaveLength(2);
    clock = new Date(clock.getTime() + 91 * 86_400_000);
    expect(await offers.mine(c.user)).toEqual([]);
    const [first] = (await offers.announce(health.principal, event('RL-1'))).offers;
    expect((await offers.own(c.user, first!.id)).status).toBe('expired');
    await expect(offers.accept(c.user, first!.id)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('the deciding agency’s dashboard counts its rule’s offers by status', async () => {
    const s = await buildSession(h, { user: birth.user });
    const res = await h.inject({ method: 'GET', url: '/dashboard/services/offers', headers: { cookie: s.cookie } });
    expect(res.statusCode).toBe(200);
    const row = res.body.slice(res.body.indexOf(`data-rule="${ruleId}"`));
    expect(row).toMatch(/data-count="accepted">1</);
    expect(row).toMatch(/data-count="open">\d+</);
    expect(row).toMatch(/data-count="declined">1</);
    const rules = await h.inject({ method: 'GET', url: '/api/v1/services/offer-rules', headers: register.auth });
    expect(rules.json().results).toEqual([]);
  });
});
