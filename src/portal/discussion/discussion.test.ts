import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { citizenSession } from '../../../test/citizens.js';
import { buildAgencyUser, buildDataset, type AgencyUser, type Dataset } from '../../../test/factories.js';
import { createLogger } from '../../platform/logger.js';
import { datasetLookup } from '../datasets.js';
import type { Notice } from '../notify.js';
import { DiscussionService } from './discussion.service.js';
import { timeliness } from './answer-clock.js';

/** Monday 7 December 2026, 10:00 in Hà Nội */
const MONDAY = new Date('2026-12-07T03:00:00Z');
const at = (iso: string) => new Date(iso);

/** Issue 20: questions on a data set, answered by its publisher, counted as answered in time or late. */
describe.each(testDrivers())('discussion ($name)', (driver) => {
  let h: Harness;
  let publisher: AgencyUser;
  let stranger: AgencyUser;
  let ds: Dataset;
  let person: Awaited<ReturnType<typeof citizenSession>>;
  const notices: Notice[] = [];
  let now = MONDAY;
  let service: DiscussionService;

  beforeAll(async () => {
    h = await startHarness(driver);
    publisher = await buildAgencyUser(h, { agency: 'bo-y-te' });
    stranger = await buildAgencyUser(h, { agency: 'bo-tai-chinh' });
    ds = await buildDataset(h, { status: 'published', user: publisher });
    person = await citizenSession(h, '001090000401', 'Đỗ Minh Châu', 1);
    // on a fixed clock, with a notifier that records what it is told
    service = new DiscussionService(h.db, {
      datasets: datasetLookup(h.app.services.catalog),
      calendar: h.app.services.calendar,
      notifier: { notify: async (n) => void notices.push(n) },
      logger: createLogger({ logLevel: 'silent' }),
      now: () => now,
    });
  }, 60_000);
  afterAll(() => h?.close());

  const countsOf = async () => (await service.counts({ agencyIds: [ds.agencyId] }))[0];

  it('asks, tells the publisher, shows the deadline of 10 working days, answers, tells the asker, counts in time', async () => {
    now = MONDAY;
    const t = await service.ask(person.user, ds.slug, {
      title: 'Số liệu có tính người tạm trú không?',
      body: 'Cột dân số có gồm người tạm trú dài hạn không?',
    });
    // 10 working days after Monday 7 December: Monday 21 December, to the end of the day in Hà Nội
    expect(t.question.answer_due.toISOString()).toBe('2026-12-21T16:59:59.999Z');
    expect(notices.at(-1)).toMatchObject({ to: { agencyId: ds.agencyId }, kind: 'question.asked' });
    const page = await h.inject({ method: 'GET', url: `/dataset/${ds.slug}`, headers: { accept: 'text/html' } });
    expect(page.body).toContain('Số liệu có tính người tạm trú không?');
    const thread = await h.inject({ method: 'GET', url: `/questions/${t.question.id}` });
    expect(thread.body).toContain('Hạn trả lời: hết ngày 21/12/2026 (10 ngày làm việc)');
    const en = await h.inject({ method: 'GET', url: `/questions/${t.question.id}?lang=en` });
    expect(en.body).toContain('Answer due by the end of 21 Dec 2026 (10 working days)');

    // another agency's editor may not answer
    const refused = await h.inject({
      method: 'POST',
      url: `/api/v1/questions/${t.question.id}/answers`,
      headers: stranger.auth,
      payload: { body: 'Có.' },
    });
    expect(refused.statusCode).toBe(403);

    now = at('2026-12-18T09:00:00Z');
    await service.answer(publisher.principal, t.question.id, 'Có, người tạm trú trên 6 tháng được tính.');
    expect(notices.at(-1)).toMatchObject({ to: { publicUserId: person.user.userId }, kind: 'question.answered' });
    const read = await h.inject({ method: 'GET', url: `/api/v1/questions/${t.question.id}` });
    expect(read.json()).toMatchObject({
      timeliness: 'answered_in_time',
      answers: [{ body: 'Có, người tạm trú trên 6 tháng được tính.' }],
    });
    expect(await countsOf()).toEqual({ agencyId: ds.agencyId, asked: 1, answered: 1, answeredInTime: 1, overdue: 0 });
  });

  it('counts a late answer as late, and an unanswered question past its deadline as overdue', async () => {
    now = at('2026-12-09T02:00:00Z'); // Wednesday: due Wednesday 23 December
    const late = await service.ask(person.user, ds.slug, {
      title: 'Khi nào có số liệu 2025?',
      body: 'Xin hỏi lịch cập nhật.',
    });
    const open = await service.ask(person.user, ds.slug, {
      title: 'Đơn vị tính là gì?',
      body: 'Nghìn người hay người?',
    });
    now = at('2026-12-24T02:00:00Z'); // Thursday 24 December: both past their deadline
    expect(await countsOf()).toMatchObject({ asked: 3, answered: 1, answeredInTime: 1, overdue: 2 });
    await service.answer(publisher.principal, late.question.id, 'Quý II năm 2026.');
    expect(await countsOf()).toMatchObject({ asked: 3, answered: 2, answeredInTime: 1, overdue: 1 });
    // a second answer does not move the time it was first answered
    now = at('2026-12-25T02:00:00Z');
    await service.answer(publisher.principal, late.question.id, 'Bổ sung: có thể sớm hơn.');
    const t = await service.thread(late.question.id);
    expect(t.question.answered_at?.toISOString()).toBe('2026-12-24T02:00:00.000Z');
    expect(timeliness((await service.thread(open.question.id)).question, now)).toBe('overdue');
    expect(timeliness(t.question, now)).toBe('answered_late');
    const api = await h.inject({ method: 'GET', url: `/api/v1/questions/counts?agency=${publisher.agency}` });
    expect(api.json().counts[0]).toMatchObject({ asked: 3, answered: 2, answeredInTime: 1 });
  });

  it('asks from the data set page’s form and answers from the thread, with mistakes in Vietnamese and English', async () => {
    const ask = (lang: string, o: Record<string, string>) =>
      h.inject({
        method: 'POST',
        url: `/questions/new${lang}`,
        headers: { cookie: person.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: person.csrf, dataset: ds.slug, ...o }).toString(),
      });
    const section = await h.inject({
      method: 'GET',
      url: `/dataset/${ds.slug}`,
      headers: { accept: 'text/html', cookie: person.cookie },
    });
    expect(section.body).toContain('action="/questions/new"');
    const vi = await ask('', { title: 'Hỏi', body: '' });
    expect(vi.statusCode).toBe(400);
    expect(vi.body).toContain('Câu hỏi phải dài từ 3 đến 4.000 ký tự.');
    const en = await ask('?lang=en', { title: 'x', body: 'Có dữ liệu theo xã không?' });
    expect(en.body).toContain('The title must be 3 to 200 characters long.');
    const ok = await ask('', { title: 'Dữ liệu theo xã', body: 'Có dữ liệu theo xã không?' });
    expect(ok.statusCode).toBe(303);
    const id = /\/questions\/([0-9a-f-]{36})\?sent=1/.exec(String(ok.headers.location))![1]!;

    const anon = await h.inject({
      method: 'POST',
      url: '/api/v1/questions',
      payload: { dataset: ds.slug, title: 'abc', body: 'def' },
    });
    expect(anon.statusCode).toBe(401);

    const staff = await h.signIn(publisher.email, 'correct horse battery');
    const desk = await h.inject({ method: 'GET', url: '/dashboard/questions', headers: { cookie: staff.cookie } });
    expect(desk.body).toContain('Dữ liệu theo xã');
    expect(desk.body).toContain('Trả lời đúng hạn');
    const form = await h.inject({ method: 'GET', url: `/questions/${id}`, headers: { cookie: staff.cookie } });
    expect(form.body).toContain('Gửi câu trả lời');
    const answered = await h.inject({
      method: 'POST',
      url: `/questions/${id}/answer`,
      headers: { cookie: staff.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: staff.csrf, body: 'Có, từ năm 2025.' }).toString(),
    });
    expect(answered.statusCode).toBe(303);
    const thread = await h.inject({ method: 'GET', url: String(answered.headers.location) });
    expect(thread.body).toContain('Có, từ năm 2025.');
    expect(thread.body).toContain('Đã trả lời đúng hạn');
  });
});
