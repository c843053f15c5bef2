import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { buildAgencyUser, buildProcedure, type AgencyUser } from '../../../test/factories.js';
import { citizenSession } from '../../../test/citizens.js';

/**
 * A one-click acceptance through the real prefill and submission: the announced event is evidence, its values (keyed
 * by dictionary element) fill the fields bound to them with the announcing agency and the event as their source.
 */
describe.each(testDrivers())('an accepted offer’s event prefills its facts ($name)', (driver) => {
  let h: Harness;
  let register: AgencyUser;
  let extract: Awaited<ReturnType<typeof buildProcedure>>;
  let registerName: string;
  const PARENT = '001090000031';

  beforeAll(async () => {
    h = await startHarness(driver);
    register = await buildAgencyUser(h, { agency: 'bo-tu-phap', role: 'agency_editor' });
    registerName = (await h.app.services.masterData.agency('bo-tu-phap')).name_vi;
    const f = (key: string, element: string | null, required: boolean, type: 'string' | 'integer' = 'string') => ({
      key,
      label_vi: `Trường ${key}`,
      label_en: `Field ${key}`,
      element,
      type,
      required,
    });
    extract = await buildProcedure(h, {
      agency: 'thanh-pho-ha-noi',
      fields: [
        f('ho_ten_con', 'ho_ten_con', true),
        f('so_dang_ky_khai_sinh', 'so_dang_ky_khai_sinh_cua_con', true),
        f('so_ban', null, false, 'integer'),
      ],
      result: {
        kind: 'certificate',
        title_vi: 'Bản sao trích lục khai sinh',
        title_en: 'Copy of a birth extract',
        validity_days: null,
        fields: [
          { key: 'ho_ten_con', label_vi: 'Họ tên', label_en: 'Name', element: 'ho_ten_con', from: 'ho_ten_con' },
        ],
      },
    });
    const rule = await h.inject({
      method: 'POST',
      url: '/api/v1/services/offer-rules',
      headers: extract.user.auth,
      payload: {
        procedure: extract.code,
        event_kind: 'birth.registered',
        from_agency: 'bo-tu-phap',
        message_vi: 'Con của bạn ({ho_ten_con}) đã được đăng ký khai sinh ngày {date}',
      },
    });
    expect(rule.statusCode, rule.body).toBe(201);
  });
  afterAll(() => h.close());

  const announce = (id: string, data: Record<string, string>) =>
    h.inject({
      method: 'POST',
      url: '/api/v1/services/events',
      headers: register.auth,
      payload: { id, kind: 'birth.registered', person: `VN${PARENT}`, occurredAt: '2026-12-04', data },
    });

  it('files a dossier naming the child, says it was submitted, and shows an optional field left empty as such', async () => {
    const parent = await citizenSession(h, PARENT, 'Hồ Văn Bình');
    const offered = await announce('KS-2026-0031', {
      ho_ten_con: 'Hồ Ngọc Anh',
      so_dang_ky_khai_sinh_cua_con: '15/2026',
      ten_khac: 'không thuộc biểu mẫu',
    });
    expect(offered.statusCode, offered.body).toBe(202);
    const offerId = offered.json().offers[0].id as string;
    const click = await h.inject({
      method: 'POST',
      url: `/my-data/offers/${offerId}/accept`,
      headers: { cookie: parent.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(parent.csrf)}`,
    });
    expect(click.statusCode, click.body).toBe(303);
    const location = String(click.headers.location);
    const dossierId = /^\/my\/dossiers\/([0-9a-f-]{36})\?sent=1$/.exec(location)?.[1];
    expect(dossierId, location).toBeDefined();

    const dossier = await h.db
      .selectFrom('service_dossiers')
      .selectAll()
      .where('id', '=', dossierId!)
      .executeTakeFirstOrThrow();
    expect(dossier).toMatchObject({ reused: 2, typed: 0 });
    const fields = dossier.fields as { key: string; value: string; origin: string; source: unknown }[];
    expect(fields.map((x) => [x.key, x.value, x.origin])).toEqual([
      ['ho_ten_con', 'Hồ Ngọc Anh', 'register'],
      ['so_dang_ky_khai_sinh', '15/2026', 'register'],
      ['so_ban', '', 'typed'],
    ]);
    expect(fields[0]!.source).toMatchObject({
      kind: 'register',
      agency_id: register.agencyId,
      event: { kind: 'birth.registered', id: 'KS-2026-0031' },
    });

    const page = await h.inject({ method: 'GET', url: location, headers: { cookie: parent.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Hồ sơ đã được nộp.');
    expect(page.body).toContain('Hồ Ngọc Anh');
    expect(page.body).toContain(`Thông báo KS-2026-0031 của ${registerName}, ngày 04/12/2026`);
    const row = (key: string) => new RegExp(`<tr data-origin="([a-z]+)"><th scope="row">Trường ${key}</th>`);
    expect(row('so_ban').exec(page.body)?.[1]).toBe('empty');
    expect(page.body).toContain('Không ghi');
    expect(page.body).not.toContain('Người nộp tự nhập');
    expect(page.body).toContain('2 trường lấy từ cơ sở dữ liệu, 0 trường tự nhập');
    const en = await h.inject({ method: 'GET', url: `${location}&lang=en`, headers: { cookie: parent.cookie } });
    expect(en.body).toContain('Notice KS-2026-0031 from');
    expect(en.body).toContain('4 Dec 2026');
    expect(en.body).toContain('Left empty');
  });

  it('an event lacking a required fact opens the form with what it gave and asks the rest', async () => {
    const parent = await citizenSession(h, PARENT, 'Hồ Văn Bình');
    const offered = await announce('KS-2026-0032', { ho_ten_con: 'Hồ Minh Khôi' });
    const offerId = offered.json().offers[0].id as string;
    const res = await h.inject({
      method: 'POST',
      url: `/api/v1/my/offers/${offerId}/accept`,
      headers: { cookie: parent.cookie, 'x-csrf-token': parent.csrf },
    });
    expect(res.statusCode, res.body).toBe(200);
    const prefillId = /[?&]prefill=([0-9a-f-]{36})/.exec(res.json().apply_url)?.[1];
    expect(prefillId, res.body).toBeDefined();
    const shown = await h.inject({
      method: 'GET',
      url: `/api/v1/services/prefills/${prefillId}`,
      headers: { cookie: parent.cookie },
    });
    const byKey = new Map(
      (shown.json().prefill.fields as { key: string; value: string | null; problem: { code: string } | null }[]).map(
        (x) => [x.key, x],
      ),
    );
    expect(byKey.get('ho_ten_con')).toMatchObject({ value: 'Hồ Minh Khôi', origin: 'register' });
    expect(byKey.get('ho_ten_con')).toMatchObject({ source: { event: { id: 'KS-2026-0032' } } });
    expect(byKey.get('so_dang_ky_khai_sinh')).toMatchObject({ value: null, problem: { code: 'no_source' } });
  });
});
