import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { RequestsService } from './requests.service.js';
import { citizenSession, recordReads } from '../../../test/citizens.js';

const PERSON = '001090000001';
const OTHER = '001090000002';
const at = (local: string) => new Date(`${local}+07:00`);
const day = (iso: string | Date) => new Date(new Date(iso).getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

/**
 * Issue 19: a data subject's request reaches every agency that holds or read the person's data, runs on the
 * statutory clocks across Vietnam's holidays, is extended once at most, shows overdue to the supervisor, stays within
 * the person and the agencies concerned, and every step is in the audit trail.
 */
describe.each(testDrivers())('data subject requests ($name)', (driver) => {
  let h: Harness;
  let clock: Date;
  let service: RequestsService;
  const person = { cookie: '', csrf: '', hashes: [] as string[], user: null as never };
  const other = { cookie: '', csrf: '', hashes: [] as string[], user: null as never };
  const tokens: Record<string, string> = {};
  const emails: Record<string, string> = {};
  let admin: { cookie: string; csrf: string };

  const citizen = async (who: typeof person, idNumber: string, level: 1 | 2 = 2) => {
    const s = await citizenSession(h, idNumber, idNumber === PERSON ? 'Nguyễn Văn An' : 'Trần Thị Bình', level);
    Object.assign(who, s);
  };
  const reads = (hash: string, client: string, service: string, provider: string, count: number) =>
    recordReads(h, { hash, client, service, provider, count });
  const staff = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    h = await startHarness(driver);
    clock = at('2026-02-13T16:00:00');
    const { registry, masterData, calendar } = h.app.services;
    service = new RequestsService(h.db, { registry, masterData, calendar, now: () => clock });
    await citizen(person, PERSON);
    await citizen(other, OTHER);
    // the person's data: held by the Ministry of Public Security (G01), read by H01 and by the Ministry of Home
    // Affairs (G09); a client of another instance's member is nobody the master data knows
    await reads(
      person.hashes[0]!,
      'VN/GOV/000.00.00.H01/DVC',
      'VN/GOV/000.00.00.G01/CSDLQGDC/citizens',
      '000.00.00.G01',
      3,
    );
    await reads(
      person.hashes[0]!,
      'VN/GOV/000.00.00.G09/HRM',
      'VN/GOV/000.00.00.G01/CSDLQGDC/citizens',
      '000.00.00.G01',
      1,
    );
    await reads(
      person.hashes[0]!,
      'XX/GOV/999.99.99.Z99/X',
      'VN/GOV/000.00.00.G01/CSDLQGDC/citizens',
      '000.00.00.G01',
      1,
    );
    // an attempt the provider refused (403): the Ministry of Finance (G12) read nothing, so no request goes to it
    await recordReads(h, {
      hash: person.hashes[0]!,
      client: 'VN/GOV/000.00.00.G12/THUE',
      service: 'VN/GOV/000.00.00.G01/CSDLQGDC/citizens',
      provider: '000.00.00.G01',
      status: 403,
    });
    // the other person's: Justice (G15) read it from Finance (G12)
    await reads(other.hashes[0]!, 'VN/GOV/000.00.00.G15/HT', 'VN/GOV/000.00.00.G12/THUE/tax', '000.00.00.G12', 1);
    for (const [code, role] of [
      ['000.00.00.G01', 'agency_editor'],
      ['000.00.00.H01', 'agency_admin'],
      ['000.00.00.G15', 'agency_admin'],
    ] as const) {
      const t = await h.tokenFor(code, role);
      tokens[code] = t.token;
      emails[code] = t.email;
    }
    tokens.viewer = (await h.tokenFor('000.00.00.G01', 'viewer')).token;
    await h.app.services.accounts.bootstrapUser({
      email: 'supervisor@ndp.test',
      name: 'Supervisor',
      password: 'correct horse battery',
      platformAdmin: true,
    });
    admin = await h.signIn('supervisor@ndp.test', 'correct horse battery');
  }, 60_000);
  afterAll(() => h?.close());

  it('goes to each agency that holds or read the person’s data, and to no other', async () => {
    const mine = await service.file(person.user, person.hashes, {
      kind: 'access',
      details: 'Tôi muốn biết ai đã đọc dữ liệu của tôi.',
    });
    const byAgency = Object.fromEntries(mine.map((x) => [x.agency.code, x.row.why]));
    expect(byAgency).toEqual({
      '000.00.00.G01': 'holds',
      '000.00.00.H01': 'read',
      '000.00.00.G09': 'read',
    });
    expect(new Set(mine.map((x) => x.row.filing_id)).size).toBe(1);
    const theirs = await service.file(other.user, other.hashes, { kind: 'deletion', details: 'Xóa dữ liệu của tôi.' });
    expect(theirs.map((x) => [x.agency.code, x.row.why]).sort()).toEqual([
      ['000.00.00.G12', 'holds'],
      ['000.00.00.G15', 'read'],
    ]);
    // the person sees only their own, through the API, with the agencies and the due dates
    const api = await h.inject({ method: 'GET', url: '/api/v1/my/requests', headers: { cookie: person.cookie } });
    expect(api.statusCode).toBe(200);
    const listed = api.json().requests as { agency: { name_vi: string }; acknowledgeDue: string; kind: string }[];
    expect(listed).toHaveLength(3);
    expect(listed.map((r) => r.agency.name_vi)).toContain('Bộ Công an');
    expect(JSON.stringify(api.json())).not.toContain(person.hashes[0]!.slice(0, 32));
    expect(day(listed[0]!.acknowledgeDue)).toBe('2026-02-24');
  });

  it('files through the API only for a level-2 citizen with the session’s CSRF token', async () => {
    const payload = { kind: 'objection', details: 'Tôi phản đối việc xử lý dữ liệu cho mục đích quảng cáo.' };
    const noCsrf = await h.inject({
      method: 'POST',
      url: '/api/v1/my/requests',
      headers: { cookie: person.cookie },
      payload,
    });
    expect(noCsrf.statusCode).toBe(403);
    const ok = await h.inject({
      method: 'POST',
      url: '/api/v1/my/requests',
      headers: { cookie: person.cookie, 'x-csrf-token': person.csrf },
      payload,
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().requests.filter((r: { kind: string }) => r.kind === 'objection')).toHaveLength(3);
    const low = { ...person };
    await citizen(low, PERSON, 1);
    const refused = await h.inject({
      method: 'POST',
      url: '/api/v1/my/requests',
      headers: { cookie: low.cookie, 'x-csrf-token': low.csrf },
      payload,
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('ASSURANCE_TOO_LOW');
    const bad = await h.inject({
      method: 'POST',
      url: '/api/v1/my/requests',
      headers: { cookie: person.cookie, 'x-csrf-token': person.csrf },
      payload: { kind: 'complaint', details: 'x' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('runs the clocks across Tết 2026 and 30/4–1/5 2025: acknowledgement, 15 or 20 days, one extension', async () => {
    // filed at 16:00 on Friday 13 February 2026, the last working day before Tết (16–20 February)
    clock = at('2026-02-13T16:00:00');
    const [filed] = (
      await service.file(person.user, person.hashes, { kind: 'correction', details: 'Sai ngày sinh.' })
    ).filter((x) => x.row.kind === 'correction' && x.agency.code === '000.00.00.G01');
    const r = filed!.row;
    expect(day(r.acknowledge_due)).toBe('2026-02-24'); // Monday 23 and Tuesday 24, after Tết
    expect(day(r.complete_due)).toBe('2026-02-28'); // 15 days
    const editor = await h.app.services.accounts.principalFor(emails['000.00.00.G01']!);
    clock = at('2026-02-24T09:00:00');
    const acked = await service.step(editor, r.id, { step: 'acknowledge', thirdParty: true });
    expect(acked.row.status).toBe('acknowledged');
    expect(day(acked.row.complete_due)).toBe('2026-03-05'); // 20 days: a processor must act
    const extended = await service.step(editor, r.id, {
      step: 'extend',
      days: 10,
      reason: 'Cần đối chiếu hồ sơ gốc tại địa phương.',
    });
    expect(extended.row.status).toBe('extended');
    expect(day(extended.row.complete_due)).toBe('2026-03-15');
    await expect(
      service.step(editor, r.id, { step: 'extend', days: 5, reason: 'Thêm lần nữa.' }),
    ).rejects.toMatchObject({
      code: 'INVALID_STATE',
      messages: { en: expect.stringMatching(/already extended once \(10 days\).*single extension/) },
    });
    // through the API the same refusal carries both languages
    const again = await h.inject({
      method: 'POST',
      url: `/api/v1/privacy/requests/${r.id}/steps`,
      headers: staff(tokens['000.00.00.G01']!),
      payload: { step: 'extend', days: 5, reason: 'Thêm lần nữa.' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({
      code: 'INVALID_STATE',
      vi: expect.stringMatching(/chỉ cho phép gia hạn một lần/),
      en: expect.stringMatching(/single extension/),
    });
    const tooLong = await h.inject({
      method: 'POST',
      url: `/api/v1/privacy/requests/${r.id}/steps`,
      headers: staff(tokens['000.00.00.G01']!),
      payload: { step: 'extend', days: 16, reason: 'Quá dài.' },
    });
    expect(tooLong.statusCode).toBe(400);
    const done = await service.step(editor, r.id, { step: 'complete', note: 'Đã sửa ngày sinh.' });
    expect(done.row.status).toBe('completed');
    await expect(service.step(editor, r.id, { step: 'refuse', reason: 'Đổi ý.' })).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });

    // filed on Tuesday 29 April 2025: 30/4, 1/5, the shifted 2/5 and the weekend pass; Monday 5 and Tuesday 6 May
    clock = at('2025-04-29T10:00:00');
    const [may] = await service.file(person.user, person.hashes, { kind: 'restriction', details: 'Hạn chế xử lý.' });
    expect(day(may!.row.acknowledge_due)).toBe('2025-05-06');
    expect(day(may!.row.complete_due)).toBe('2025-05-14');
  });

  it('shows the supervisor what is overdue and how late, and no one else', async () => {
    clock = at('2026-12-01T10:00:00');
    const [fresh] = await service.file(person.user, person.hashes, { kind: 'withdraw_consent', details: 'Rút lại.' });
    // 2 working days after Tuesday 1 December: Thursday 3 December; on Saturday 5 December it is 2 days late
    clock = at('2026-12-05T10:00:00');
    const list = await h.inject({
      method: 'GET',
      url: '/api/v1/privacy/requests/overdue',
      headers: { cookie: admin.cookie },
    });
    expect(list.statusCode).toBe(200);
    const rows = list.json().requests as { id: string; late: { clock: string; daysLate: number }[] }[];
    // the app's clock is today's: every request filed in February 2026 is long overdue, unacknowledged ones twice
    const feb = rows.filter((x) => x.late.some((l) => l.clock === 'acknowledge'));
    expect(feb.length).toBeGreaterThan(0);
    // nor an answered one
    const answered = (await service.ofPerson(person.user)).filter((x) => x.row.status === 'completed');
    expect(answered.length).toBeGreaterThan(0);
    for (const a of answered) expect(rows.find((x) => x.id === a.row.id)).toBeUndefined();
    const principal = await h.app.services.accounts.principalFor('supervisor@ndp.test');
    principal.via = 'session';
    const mine = await service.overdue(principal);
    const freshLate = mine.find((x) => x.row.id === fresh!.row.id)!;
    expect(freshLate.late).toEqual([{ clock: 'acknowledge', due: expect.any(Date), daysLate: 2 }]);
    expect(day(freshLate.late[0]!.due)).toBe('2026-12-03');
    // a completed request is never overdue
    expect(mine.some((x) => x.row.status === 'completed')).toBe(false);
    const byOfficer = await h.inject({
      method: 'GET',
      url: '/api/v1/privacy/requests/overdue',
      headers: staff(tokens['000.00.00.G01']!),
    });
    expect(byOfficer.statusCode).toBe(403);
  });

  it('keeps each request within its person and its agency: another agency or person never sees it', async () => {
    const g01 = await h.inject({
      method: 'GET',
      url: '/api/v1/privacy/requests',
      headers: staff(tokens['000.00.00.G01']!),
    });
    expect(g01.statusCode).toBe(200);
    const g01Rows = g01.json().requests as {
      id: string;
      status: string;
      agency: { id: string };
      subject: { name: string };
    }[];
    expect(g01Rows.length).toBeGreaterThan(0);
    const g01Id = await h.agencyId('000.00.00.G01');
    expect(g01Rows.every((r) => r.agency.id === g01Id)).toBe(true);
    expect(g01Rows[0]!.subject.name).toBe('Nguyễn Văn An');
    const justice = await h.inject({
      method: 'GET',
      url: '/api/v1/privacy/requests',
      headers: staff(tokens['000.00.00.G15']!),
    });
    const justiceRows = justice.json().requests as { id: string; subject: { name: string } }[];
    expect(justiceRows.map((r) => r.subject.name)).toEqual(['Trần Thị Bình']);
    const target = g01Rows[0]!.id;
    for (const [method, url, payload] of [
      ['GET', `/api/v1/privacy/requests/${target}`, undefined],
      ['POST', `/api/v1/privacy/requests/${target}/steps`, { step: 'acknowledge' }],
    ] as const) {
      const r = await h.inject({ method, url, payload, headers: staff(tokens['000.00.00.G15']!) });
      expect(r.statusCode, url).toBe(404);
    }
    // a viewer of the agency holding the data does not handle requests
    const viewer = await h.inject({
      method: 'GET',
      url: '/api/v1/privacy/requests?agency=000.00.00.G01',
      headers: staff(tokens.viewer!),
    });
    expect(viewer.statusCode).toBe(403);
    // the other person sees none of the first person's requests, and cannot open one
    const theirs = await h.inject({ method: 'GET', url: '/api/v1/my/requests', headers: { cookie: other.cookie } });
    expect(theirs.json().requests.map((r: { id: string }) => r.id)).not.toContain(target);
    await expect(service.ownRequest(other.user, target)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await service.ownRequest(person.user, target)).row.id).toBe(target);
    // the agency refuses it with a reason (a refusal without one is not taken); the person reads the reason
    const open = g01Rows.find((r) => r.status === 'received')!;
    const step = (payload: object) =>
      h.inject({
        method: 'POST',
        url: `/api/v1/privacy/requests/${open.id}/steps`,
        headers: staff(tokens['000.00.00.G01']!),
        payload,
      });
    expect((await step({ step: 'refuse' })).statusCode).toBe(400);
    const refused = await step({ step: 'refuse', reason: 'Dữ liệu này do Tòa án quyết định, không thể xóa.' });
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json()).toMatchObject({ status: 'refused', outcome: expect.stringMatching(/Tòa án/) });
    const seen = (await h.inject({ method: 'GET', url: '/api/v1/my/requests', headers: { cookie: person.cookie } }))
      .json()
      .requests.find((r: { id: string }) => r.id === open.id);
    expect(seen).toMatchObject({ status: 'refused', outcome: 'Dữ liệu này do Tòa án quyết định, không thể xóa.' });
    expect(seen.closedAt).toEqual(expect.any(String));
  });

  it('audits every step, naming the person only by a prefix of the keyed hash', async () => {
    const [r] = (await h.app.services.requests.ofPerson(person.user)).filter(
      (x) => x.row.kind === 'correction' && x.agency.code === '000.00.00.G01',
    );
    const trail = await h.db
      .selectFrom('audit_log')
      .select(['action', 'actor_user_id', 'after'])
      .where('entity_type', '=', 'privacy_request')
      .where('entity_id', '=', r!.row.id)
      .orderBy('id')
      .execute();
    expect(trail.map((t) => t.action)).toEqual([
      'privacy.request.file',
      'privacy.request.acknowledge',
      'privacy.request.extend',
      'privacy.request.complete',
    ]);
    expect(trail[0]!.actor_user_id).toBeNull();
    expect(trail.slice(1).every((t) => t.actor_user_id)).toBe(true);
    const all = JSON.stringify(await h.db.selectFrom('audit_log').selectAll().execute());
    expect(all).not.toContain(PERSON);
    expect(all).not.toContain(person.hashes[0]!);
  });

  it('files a correction to one given agency (a public service’s disputed field), on the same clock and audit', async () => {
    const g01 = await h.agencyId('000.00.00.G01');
    const filed = await service.fileTo(
      other.user,
      other.hashes,
      g01,
      'Họ và tên: cơ sở dữ liệu ghi “Bình”, đúng là “Bính”.',
    );
    expect(filed).toMatchObject({ kind: 'correction', why: 'holds', agency_id: g01, status: 'received' });
    expect(filed.complete_due.getTime() - filed.received_at.getTime()).toBeGreaterThan(14 * 86_400_000);
    // only that agency: Finance, which holds the other person's data too, gets nothing of this filing
    const siblings = (await service.ofPerson(other.user)).filter((x) => x.row.filing_id === filed.filing_id);
    expect(siblings.map((x) => x.agency.code)).toEqual(['000.00.00.G01']);
    const editor = await h.app.services.accounts.principalFor(emails['000.00.00.G01']!);
    expect((await service.inbox(editor, '000.00.00.G01')).map((x) => x.row.id)).toContain(filed.id);
    const trail = await h.db.selectFrom('audit_log').select('action').where('entity_id', '=', filed.id).execute();
    expect(trail.map((t) => t.action)).toEqual(['privacy.request.file']);
    const low = { ...other };
    await citizen(low, OTHER, 1);
    await expect(service.fileTo(low.user, [], g01, 'x')).rejects.toMatchObject({ code: 'ASSURANCE_TOO_LOW' });
  });
});
