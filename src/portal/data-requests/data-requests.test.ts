import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { citizenSession } from '../../../test/citizens.js';
import { buildAgencyUser, buildDataset, type AgencyUser } from '../../../test/factories.js';
import type { Notice } from '../notify.js';
import { DataRequestsService } from './data-requests.service.js';

const ASK = {
  title: 'Số ca sốt xuất huyết theo xã năm 2025',
  description: 'Số ca mắc sốt xuất huyết theo từng xã, phường, theo tháng, năm 2025.',
  purpose: 'Nghiên cứu dịch tễ học của trường đại học.',
};

/** Data requests: asked by a public user, answered by the agency on the clock of the Law on Access to Information. */
describe.each(testDrivers())('data requests ($name)', (driver) => {
  let h: Harness;
  let person: Awaited<ReturnType<typeof citizenSession>>;
  let other: Awaited<ReturnType<typeof citizenSession>>;
  let editor: AgencyUser;
  let stranger: AgencyUser;

  beforeAll(async () => {
    h = await startHarness(driver);
    person = await citizenSession(h, '001090000021', 'Phạm Văn Dũng', 1);
    other = await citizenSession(h, '001090000022', 'Hoàng Thị Em', 1);
    editor = await buildAgencyUser(h, { agency: '000.00.00.G01' });
    stranger = await buildAgencyUser(h, { agency: '000.00.00.G15' });
  }, 180_000);
  afterAll(() => h?.close());

  const ask = (who: { cookie: string; csrf: string } | null, body: object) =>
    h.inject({
      method: 'POST',
      url: '/api/v1/data-requests',
      headers: who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {},
      payload: body,
    });
  const step = (who: AgencyUser, id: string, body: object) =>
    h.inject({ method: 'POST', url: `/api/v1/data-requests/${id}/steps`, headers: who.auth, payload: body });

  it('goes through its whole life: asked, agency told, answered with a data set, shown in public', async () => {
    const told = vi.spyOn(h.app.portal.notifier, 'notify');
    expect((await ask(null, { ...ASK, agency: '000.00.00.G01' })).statusCode).toBe(401);
    const asked = await ask(person, { ...ASK, agency: '000.00.00.G01' });
    expect(asked.statusCode).toBe(201);
    const r = asked.json();
    expect(r.status).toBe('open');
    expect(r.requester).toBeNull(); // no name unless the requester chose to show it
    expect(r.daysLeft).toBeGreaterThanOrEqual(9);
    const toAgency = told.mock.calls.map((c) => c[0] as Notice).find((n) => n.kind === 'data_request.received');
    expect(toAgency?.to).toEqual({ agencyId: editor.agencyId });
    expect(toAgency?.link).toBe(`/data-requests/${r.id}`);

    // another agency cannot answer it; this one starts, then publishes
    expect((await step(stranger, r.id, { step: 'start' })).statusCode).toBe(403);
    expect((await step(editor, r.id, { step: 'start' })).json().status).toBe('in_progress');
    const dataset = await buildDataset(h, { user: editor, status: 'published', title_vi: 'Sốt xuất huyết theo xã' });
    const answered = await step(editor, r.id, { step: 'publish', dataset: dataset.slug, answer: 'Đã công bố.' });
    expect(answered.statusCode).toBe(200);
    const toRequester = told.mock.calls.map((c) => c[0] as Notice).find((n) => n.kind === 'data_request.answered');
    expect(toRequester?.to).toEqual({ publicUserId: person.user.userId });
    // answered requests never change
    expect((await step(editor, r.id, { step: 'refuse', answer: 'Không', legalGround: 'Điều 6' })).statusCode).toBe(409);
    // and take no more "+1": the page offers none, the API refuses one
    const closedVote = await h.inject({
      method: 'POST',
      url: `/api/v1/data-requests/${r.id}/votes`,
      headers: { cookie: other.cookie, 'x-csrf-token': other.csrf },
      payload: {},
    });
    expect(closedVote.statusCode).toBe(409);
    const page = await h.inject({
      method: 'GET',
      url: `/data-requests/${r.id}?lang=en`,
      headers: { cookie: other.cookie },
    });
    expect(page.body).not.toContain(`action="/data-requests/${r.id}/votes"`);
    expect(page.body).toContain('This request has been answered or closed');

    const shown = await h.inject({ method: 'GET', url: `/api/v1/data-requests/${r.id}` });
    expect(shown.json()).toMatchObject({
      status: 'published',
      answer: 'Đã công bố.',
      dataset: { slug: dataset.slug },
      agency: { id: editor.agencyId },
      agencies: [{ outcome: 'published' }],
    });
    expect(shown.body).not.toContain(person.user.userId);
    const list = await h.inject({ method: 'GET', url: '/api/v1/data-requests?agency=000.00.00.G01&status=published' });
    expect(list.json().requests.map((x: { id: string }) => x.id)).toContain(r.id);
    const none = await h.inject({ method: 'GET', url: '/api/v1/data-requests?agency=000.00.00.G15&status=published' });
    expect(none.json().total).toBe(0);
    told.mockRestore();
  });

  it('takes one "+1" per signed-in public user', async () => {
    const r = (await ask(person, { ...ASK, showName: true })).json();
    expect(r.status).toBe('triage');
    expect(r.requester).toBe('Phạm Văn Dũng');
    const vote = (who: { cookie: string; csrf: string } | null) =>
      h.inject({
        method: 'POST',
        url: `/api/v1/data-requests/${r.id}/votes`,
        headers: who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {},
        payload: {},
      });
    expect((await vote(null)).statusCode).toBe(401);
    expect((await vote(other)).json().votes).toBe(1);
    expect((await vote(other)).json().votes).toBe(1);
    expect((await vote(person)).json().votes).toBe(2);
    // triage: only the platform's administrators give it an agency
    expect((await step(editor, r.id, { step: 'start' })).statusCode).toBe(403);
  });

  it('counts 10 working days past weekends and holidays, extends once, counts the late, restarts on a redirect', async () => {
    // Friday 24 April 2026, 10:00 in Hà Nội: then a weekend, Monday 27 off for Hùng Kings' day, 30 April, 1 May
    let now = new Date('2026-04-24T03:00:00Z');
    const notices: Notice[] = [];
    const service = new DataRequestsService(h.db, {
      masterData: h.app.services.masterData,
      calendar: h.app.services.calendar,
      dataset: (key) => h.app.services.catalog.datasets.findRecord(key),
      notifier: { notify: async (n) => void notices.push(n) },
      now: () => now,
    });
    const late = await service.ask(person.user, { ...ASK, agency: '000.00.00.G09' });
    expect(late.row.due_at).toEqual(new Date('2026-05-13T16:59:59.999Z')); // end of Wednesday 13 May in Hà Nội
    expect(late.clock?.daysLeft).toBe(10);
    const g09 = await buildAgencyUser(h, { agency: '000.00.00.G09' });
    const extended = await service.step(g09.principal, late.row.id, { step: 'extend', reason: 'Dữ liệu ở 34 tỉnh.' });
    expect(extended.row.due_at).toEqual(new Date('2026-05-27T16:59:59.999Z'));
    await expect(service.step(g09.principal, late.row.id, { step: 'extend', reason: 'Lần nữa' })).rejects.toThrow(
      /INVALID_STATE/,
    );

    const moved = await service.ask(person.user, { ...ASK, agency: '000.00.00.G09' });
    // Monday 4 May, 09:00: G09 does not hold it and sends it to G01, whose 10 working days start today
    now = new Date('2026-05-04T02:00:00Z');
    const redirected = await service.step(g09.principal, moved.row.id, {
      step: 'not_held',
      answer: 'Bộ Y tế giữ dữ liệu này.',
      redirectTo: '000.00.00.G01',
    });
    expect(redirected.row).toMatchObject({ status: 'open', agency_id: editor.agencyId, received_at: now });
    expect(redirected.row.due_at).toEqual(new Date('2026-05-18T16:59:59.999Z'));
    expect(redirected.trail.map((t) => t.assignment.outcome)).toEqual(['not_held', null]);
    expect(notices.filter((n) => n.kind === 'data_request.received').map((n) => n.to)).toContainEqual({
      agencyId: editor.agencyId,
    });

    // Friday 29 May: the extended request is two days late and counted so
    now = new Date('2026-05-29T03:00:00Z');
    const [open] = (await service.inbox(g09.principal)).filter((x) => x.row.id === late.row.id);
    expect(open?.clock).toMatchObject({ daysLeft: 0, daysLate: 2 });
    const [g09Counts] = await service.counts('000.00.00.G09');
    expect(g09Counts).toMatchObject({ received: 2, answered: 1, answered_in_time: 1, overdue: 1 });
  });
});
