import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';

const at = (local: string) => new Date(`${local}+07:00`);
const day = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);

/** Vietnam's calendar as master data: the seeded holidays with their sources, deadlines across them, admin edits. */
describe.each(testDrivers())('working calendar ($name)', (driver) => {
  let h: Harness;
  let admin: { cookie: string; csrf: string };
  let editor: string;

  beforeAll(async () => {
    h = await startHarness(driver);
    await h.app.services.accounts.bootstrapUser({
      email: 'root@ndp.test',
      name: 'Root',
      password: 'correct horse battery',
      platformAdmin: true,
    });
    admin = await h.signIn('root@ndp.test', 'correct horse battery');
    editor = (await h.tokenFor('000.00.00.H01', 'agency_admin')).token;
  }, 60_000);
  afterAll(() => h?.close());

  it('serves each year’s days off with the source of each, 2025 to 2027', async () => {
    for (const year of [2025, 2026, 2027]) {
      const r = await h.inject({ method: 'GET', url: `/api/v1/calendar/days?year=${year}` });
      expect(r.statusCode).toBe(200);
      const days = r.json().days as { day: string; kind: string; source: string }[];
      const holidays = days.filter((d) => d.kind === 'holiday').map((d) => d.day);
      // Labour Code Art. 112: 1/1, five days of Tết, Hùng Kings' day, 30/4, 1/5, 2/9 and a day beside it
      expect(holidays).toHaveLength(11);
      for (const fixed of ['01-01', '04-30', '05-01', '09-02']) expect(holidays).toContain(`${year}-${fixed}`);
      for (const d of days) expect(d.source).toMatch(/BLLĐ|Bộ luật|Thông báo/);
    }
    const y2025 = (await h.inject({ method: 'GET', url: '/api/v1/calendar/days?year=2025' })).json().days;
    expect(y2025.find((d: { day: string }) => d.day === '2025-04-26')).toMatchObject({ kind: 'shifted_working_day' });
  });

  it('puts the second working day after Tết 2026 and after 30/4–1/5 2025 (a worked Saturday counting)', async () => {
    const { calendar } = h.app.services;
    // filed on Friday 13 February 2026, the last working day before Tết (16–20 February)
    expect(day(await calendar.addWorkingDays(at('2026-02-13T16:00:00'), 2))).toBe('2026-02-24');
    // filed on the first day of Tết
    expect(day(await calendar.addWorkingDays(at('2026-02-17T09:00:00'), 2))).toBe('2026-02-24');
    // filed on Friday 25 April 2025: Saturday 26 April was worked in exchange for 2 May, then Monday 28 April
    expect(day(await calendar.addWorkingDays(at('2025-04-25T10:00:00'), 2))).toBe('2025-04-28');
    // filed on Tuesday 29 April 2025: 30/4, 1/5, the shifted 2/5 and the weekend pass, then 5 and 6 May
    expect(day(await calendar.addWorkingDays(at('2025-04-29T10:00:00'), 2))).toBe('2025-05-06');
    // Hùng Kings' day 2026 fell on a Sunday: Monday 27 April was the day off in its place
    expect(day(await calendar.addWorkingDays(at('2026-04-24T10:00:00'), 1))).toBe('2026-04-28');
    expect(day(calendar.addDays(at('2026-02-13T16:00:00'), 15))).toBe('2026-02-28');
  });

  it('is edited by a platform administrator only, each change audited, and deadlines follow at once', async () => {
    const body = {
      kind: 'shifted_day_off',
      name_vi: 'Nghỉ hoán đổi (thử)',
      name_en: 'Shifted day off (test)',
      source: 'Thông báo thử nghiệm số 1',
    };
    const byEditor = await h.inject({
      method: 'PUT',
      url: '/api/v1/calendar/days/2027-06-07',
      headers: { authorization: `Bearer ${editor}` },
      payload: body,
    });
    expect(byEditor.statusCode).toBe(403);
    const before = await h.app.services.calendar.addWorkingDays(at('2027-06-04T10:00:00'), 1);
    expect(day(before)).toBe('2027-06-07');
    const put = await h.inject({
      method: 'PUT',
      url: '/api/v1/calendar/days/2027-06-07',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      payload: body,
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(day(await h.app.services.calendar.addWorkingDays(at('2027-06-04T10:00:00'), 1))).toBe('2027-06-08');
    // a Saturday cannot be a day off in exchange, nor a Monday a worked weekend day
    const wrong = await h.inject({
      method: 'PUT',
      url: '/api/v1/calendar/days/2027-06-12',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
      payload: body,
    });
    expect(wrong.statusCode).toBe(400);
    const del = await h.inject({
      method: 'DELETE',
      url: '/api/v1/calendar/days/2027-06-07',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    });
    expect(del.statusCode).toBe(204);
    expect(day(await h.app.services.calendar.addWorkingDays(at('2027-06-04T10:00:00'), 1))).toBe('2027-06-07');
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('entity_type', '=', 'calendar_day')
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'calendar.day.create', entity_id: '2027-06-07' },
      { action: 'calendar.day.delete', entity_id: '2027-06-07' },
    ]);
  });
});
