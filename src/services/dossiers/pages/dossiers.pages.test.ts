import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../../test/drivers.js';
import { PASSWORD, startHarness, type Harness } from '../../../../test/harness.js';
import { buildAgencyUser, buildProcedure, buildRegisterEntry } from '../../../../test/factories.js';
import { citizenSession } from '../../../../test/citizens.js';
import { storePrefill } from '../../../../test/prefills.js';
import type { ProcedureRow } from '../../procedures/procedure.js';
import type { PrefillFields } from '../../prefill/prefill.types.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();

/** The dossiers' pages as an applicant and an officer see them, rendered on the server, in Vietnamese and English. */
describe.each(testDrivers())('dossier pages ($name)', (driver) => {
  let h: Harness;
  let procedure: ProcedureRow;
  let person: Awaited<ReturnType<typeof citizenSession>>;
  let prefilled: PrefillFields;
  let dossierId = '';

  const get = (url: string, cookie: string) => h.inject({ method: 'GET', url, headers: { cookie } });
  const staffSession = async (agency: string) => {
    const t = await buildAgencyUser(h, { agency, role: 'agency_editor' });
    const s = await h.signIn(t.email, PASSWORD);
    const dash = await get('/dashboard/services/dossiers', s.cookie);
    return { cookie: s.cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(dash.body)?.[1] ?? s.csrf };
  };

  beforeAll(async () => {
    h = await startHarness(driver);
    const police = await buildAgencyUser(h, { agency: 'bo-cong-an', role: 'agency_admin' });
    const db = await buildRegisterEntry(h, {
      user: police,
      name_vi: 'Cơ sở dữ liệu quốc gia về dân cư',
      name_en: 'National Population Database',
    });
    procedure = await buildProcedure(h, {
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
        { key: 'muc_dich', label_vi: 'Mục đích', label_en: 'Purpose', element: null, type: 'text', required: true },
      ],
    });
    person = await citizenSession(h, '001090000021', 'Phạm Văn Dũng');
    const source = {
      kind: 'register' as const,
      agency_id: police.agencyId,
      database_id: db.id,
      service: 'NDP-TEST/GOV/000.00.00.G01/CSDLQGDC/citizens',
      result_id: null,
      at: '2026-12-07T07:05:00.000Z',
    };
    prefilled = {
      ho_ten: { value: 'Phạm Văn Dũng', origin: 'register', source },
      ngay_sinh: { value: '1985-03-04', origin: 'register', source },
    };
  }, 120_000);
  afterAll(() => h?.close());

  it('opens the form for a level-2 citizen only, each field with where its value comes from', async () => {
    const low = await citizenSession(h, '001090000022', 'Vũ Thị Em', 1);
    const sent = await get(`/services/${procedure.code}/apply`, low.cookie);
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toMatch(/^\/auth\/eid\?level=2/);
    const vi = await get(`/services/${procedure.code}/apply`, person.cookie);
    expect(vi.statusCode).toBe(200);
    expect(vi.body).toContain(procedure.name_vi);
    expect(vi.body).toContain('Nộp hồ sơ');
    expect(vi.body).toContain(`name="_csrf" value="${person.csrf}"`);
    expect(vi.body).toContain('name="muc_dich"');
    const en = await get(`/services/${procedure.code}/apply?lang=en`, person.cookie);
    expect(en.body).toContain('Submit the dossier');
    expect(en.body).toContain('Date of birth');
  });

  it('shows prefilled values with their source and keeps what was typed when a field is wrong', async () => {
    const prefill = await storePrefill(h, person, procedure, prefilled);
    const post = (fields: Record<string, string>) =>
      h.inject({
        method: 'POST',
        url: `/services/${procedure.code}/apply`,
        headers: { cookie: person.cookie, ...FORM },
        payload: form({ _csrf: person.csrf, prefill, ...fields }),
      });
    const wrong = await post({
      ho_ten__check: 'ok',
      ngay_sinh__check: 'wrong',
      ngay_sinh: '31/02/1985',
      muc_dich: 'Vay vốn',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Phạm Văn Dũng');
    expect(wrong.body).toContain('04/03/1985');
    expect(wrong.body).toContain('Cơ sở dữ liệu quốc gia về dân cư — Bộ Công an, đọc lúc 07/12/2026 14:05');
    expect(wrong.body).toContain('Ngày sinh: ngày không hợp lệ (ngày/tháng/năm, ví dụ 07/03/1990).');
    expect(wrong.body).toContain('value="31/02/1985"');
    expect(wrong.body).toContain('Vay vốn');
    expect(wrong.body).toMatch(/name="ngay_sinh__check" value="wrong" checked/);
    const ok = await post({
      ho_ten__check: 'ok',
      ngay_sinh__check: 'wrong',
      ngay_sinh: '05/03/1985',
      muc_dich: 'Vay vốn',
    });
    expect(ok.statusCode, ok.body).toBe(303);
    const m = /^\/my\/dossiers\/([0-9a-f-]{36})\?sent=1&corrections=1&failed=0$/.exec(ok.headers.location as string);
    expect(m).not.toBeNull();
    dossierId = m![1]!;
    const page = await get(ok.headers.location as string, person.cookie);
    expect(page.body).toContain('Hồ sơ đã được nộp.');
    expect(page.body).toContain('Đã gửi 1 yêu cầu chỉnh sửa dữ liệu');
    expect(page.body).toContain('Lấy từ cơ sở dữ liệu');
    expect(page.body).toContain('Người nộp báo sai và sửa');
    expect(page.body).toContain('Cơ sở dữ liệu ghi: 04/03/1985 — người nộp sửa thành: 05/03/1985');
    expect(page.body).toContain('1 trường lấy từ cơ sở dữ liệu, 2 trường tự nhập');
    const en = await get(`/my/dossiers/${dossierId}?lang=en`, person.cookie);
    expect(en.body).toContain('From a register');
    expect(en.body).toContain('National Population Database — Ministry of Public Security, read at 7 Dec 2026 14:05');
    expect(en.body).toContain('The register holds: 4 Mar 1985 — the applicant corrected it to: 5 Mar 1985');
    const list = await get('/my/dossiers', person.cookie);
    expect(list.body).toMatch(/HS-\d{8}-\d{4}/);
    expect(list.body).toContain('Đã nộp');
    const myData = await get('/my-data', person.cookie);
    expect(myData.body).toContain('href="/my/dossiers"');
  });

  it('fetches the values afresh when the form’s prefill expired, keeping what was typed', async () => {
    const old = await storePrefill(h, person, procedure, prefilled, true);
    const res = await h.inject({
      method: 'POST',
      url: `/services/${procedure.code}/apply`,
      headers: { cookie: person.cookie, ...FORM },
      payload: form({ _csrf: person.csrf, prefill: old, ho_ten__check: 'ok', muc_dich: 'Mở tài khoản' }),
    });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('data-testid="apply-errors"');
    expect(res.body).toContain('Mở tài khoản');
    const fresh = /name="prefill" value="([^"]+)"/.exec(res.body)?.[1];
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(old);
  });

  it('gives the deciding agency’s officer the inbox with due dates, overdue in red, and the steps', async () => {
    const officer = await staffSession('thanh-pho-ha-noi');
    await h.db
      .updateTable('service_dossiers')
      .set({ due_at: new Date('2026-01-05T16:59:59Z') })
      .where('id', '=', dossierId)
      .execute();
    const inbox = await get('/dashboard/services/dossiers', officer.cookie);
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain('Phạm Văn Dũng');
    expect(inbox.body).toMatch(/<strong class="late">05\/01\/2026 — quá hạn<\/strong>/);
    const page = await get(`/dashboard/services/dossiers/${dossierId}?lang=en`, officer.cookie);
    expect(page.body).toContain('Take into review');
    expect(page.body).toContain('Marked wrong and corrected by the applicant');
    expect(page.body).toContain('The register holds: 4 Mar 1985 — the applicant corrected it to: 5 Mar 1985');
    const vi = await get(`/dashboard/services/dossiers/${dossierId}`, officer.cookie);
    expect(vi.body).toContain('Cơ sở dữ liệu ghi: 04/03/1985 — người nộp sửa thành: 05/03/1985');
    const step = (fields: Record<string, string>) =>
      h.inject({
        method: 'POST',
        url: `/dashboard/services/dossiers/${dossierId}`,
        headers: { cookie: officer.cookie, ...FORM },
        payload: form({ _csrf: officer.csrf, ...fields }),
      });
    const taken = await step({ step: 'take' });
    expect(taken.statusCode).toBe(303);
    const unconfirmed = await step({ step: 'reject', note: 'Thiếu giấy xác nhận thu nhập.' });
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toContain('Thiếu giấy xác nhận thu nhập.');
    const rejected = await step({ step: 'reject', note: 'Thiếu giấy xác nhận thu nhập.', confirm: '1' });
    expect(rejected.statusCode).toBe(303);
    const seen = await get(`/my/dossiers/${dossierId}`, person.cookie);
    expect(seen.body).toContain('Bị từ chối');
    expect(seen.body).toContain('Thiếu giấy xác nhận thu nhập.');
    const stranger = await staffSession('bo-tai-chinh');
    expect((await get(`/dashboard/services/dossiers/${dossierId}`, stranger.cookie)).statusCode).toBe(404);
    const theirs = await get('/dashboard/services/dossiers', stranger.cookie);
    expect(theirs.body).toContain('Không có hồ sơ nào.');
    expect(theirs.body).not.toContain('Phạm Văn Dũng');
  });

  it('shows the form fetched in the last 15 minutes again, and fetches anew when asked or once it is used', async () => {
    const who = await citizenSession(h, '001090000023', 'Hoàng Văn Giang');
    const url = `/services/${procedure.code}/apply`;
    const prefillOf = (body: string) => /name="prefill" value="([^"]+)"/.exec(body)?.[1];
    const fetched = async () =>
      Number(
        (
          await h.db
            .selectFrom('service_prefills')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('public_user_id', '=', who.user.userId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const first = await get(url, who.cookie);
    expect(first.body).toContain('Lấy lại thông tin mới');
    const again = await get(`${url}?lang=en`, who.cookie);
    expect(again.body).toContain('Fetch again');
    expect(prefillOf(again.body)).toBe(prefillOf(first.body));
    expect(await fetched()).toBe(1);
    const asked = await get(`${url}?fresh=1&lang=en`, who.cookie);
    expect(asked.statusCode).toBe(303);
    expect(asked.headers.location).toBe(`${url}?lang=en`);
    expect(await fetched()).toBe(2);
    const renewed = prefillOf((await get(url, who.cookie)).body);
    expect(renewed).not.toBe(prefillOf(first.body));
    // older than 15 minutes: read anew
    await h.db
      .updateTable('service_prefills')
      .set({ created_at: new Date(Date.now() - 16 * 60_000) })
      .where('public_user_id', '=', who.user.userId)
      .execute();
    const late = prefillOf((await get(url, who.cookie)).body);
    expect([prefillOf(first.body), renewed]).not.toContain(late);
    // submitted: the next application reads anew
    const sent = await h.inject({
      method: 'POST',
      url,
      headers: { cookie: who.cookie, ...FORM },
      payload: form({
        _csrf: who.csrf,
        prefill: late!,
        ngay_sinh: '01/02/1980',
        ho_ten: 'Hoàng Văn Giang',
        muc_dich: 'Vay',
      }),
    });
    expect(sent.statusCode, sent.body).toBe(303);
    expect(prefillOf((await get(url, who.cookie)).body)).not.toBe(late);
    expect(await fetched()).toBe(4);
  });
});
