import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../../test/drivers.js';
import { citizenSession } from '../../../../test/citizens.js';
import { PASSWORD, startHarness, type Harness } from '../../../../test/harness.js';
import { buildAgencyUser, buildProcedure, buildRegisterEntry, type AgencyUser } from '../../../../test/factories.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();

/** The procedures' pages as the public and an agency's administrator see them, in Vietnamese and English. */
describe.each(testDrivers())('procedure pages ($name)', (driver) => {
  let h: Harness;
  let hanoi: AgencyUser;
  let admin: { cookie: string; csrf: string };
  let code: string;

  beforeAll(async () => {
    h = await startHarness(driver);
    hanoi = await buildAgencyUser(h, { agency: 'thanh-pho-ha-noi', role: 'agency_admin' });
    const p = await buildProcedure(h, {
      user: hanoi,
      code: '1.004873',
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
          key: 'dan_toc',
          label_vi: 'Dân tộc',
          label_en: 'Ethnic group',
          element: 'dan_toc',
          type: 'string',
          required: true,
        },
        { key: 'muc_dich', label_vi: 'Mục đích', label_en: 'Purpose', element: null, type: 'text', required: false },
      ],
    });
    code = p.code;
    await h.app.publicServices.procedures.update(hanoi.principal, code, {
      code,
      name_vi: 'Cấp giấy xác nhận tình trạng hôn nhân',
      name_en: 'Certificate of marital status',
      legal_basis: 'Nghị định 123/2015/NĐ-CP',
      processing_days: 3,
      fields: p.fields,
      result: p.result,
    });
    const police = await buildAgencyUser(h, { agency: 'bo-cong-an', role: 'agency_admin' });
    const db = await buildRegisterEntry(h, {
      user: police,
      name_vi: 'Cơ sở dữ liệu quốc gia về dân cư',
      name_en: 'National Population Database',
    });
    const member = (await h.app.services.masterData.agency('bo-cong-an')).code;
    await h.app.publicServices.procedures.setSource(police.principal, police.agencyId, {
      element: 'ho_va_ten',
      kind: 'register',
      database: db.id,
      service: `NDP-TEST/GOV/${member}/CSDLQGDC/citizens`,
      path: '/citizens/{person}',
      field: '/fullName',
    });
    const s = await h.signIn(hanoi.email, PASSWORD);
    const dash = await h.inject({ method: 'GET', url: '/dashboard/services', headers: { cookie: s.cookie } });
    admin = { cookie: s.cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(dash.body)?.[1] ?? s.csrf };
  });
  afterAll(() => h?.close());

  const get = (url: string, cookie = '') => h.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
  const post = (url: string, o: Record<string, string>, who = admin) =>
    h.inject({
      method: 'POST',
      url,
      headers: { cookie: who.cookie, ...FORM },
      payload: form({ _csrf: who.csrf, ...o }),
    });

  it('lists published procedures, searched without accents and by agency, from the site menu', async () => {
    const vi = await get('/services?q=tinh trang hon nhan');
    expect(vi.statusCode).toBe(200);
    expect(vi.body).toContain('href="/services"');
    expect(vi.body).toContain('Dịch vụ công');
    expect(vi.body).toContain('Cấp giấy xác nhận tình trạng hôn nhân');
    expect(vi.body).toContain('3 ngày làm việc');
    expect((await get('/services?q=1.004873')).body).toContain('Cấp giấy xác nhận tình trạng hôn nhân');
    expect((await get('/services?q=ho chieu')).body).toContain('Không có thủ tục nào phù hợp.');
    expect((await get('/services?agency=bo-tai-chinh')).body).not.toContain('tình trạng hôn nhân');
    const en = await get('/services?lang=en');
    expect(en.body).toContain('Public services');
    expect(en.body).toContain('Certificate of marital status');
    expect(en.body).toContain('3 working days');
  });

  it('says where each field’s value will come from, and starts at the form', async () => {
    const vi = await get(`/services/${code}`);
    expect(vi.statusCode).toBe(200);
    expect(vi.body).toContain('Lấy từ Cơ sở dữ liệu quốc gia về dân cư (Bộ Công an)');
    expect(vi.body).toContain('Bạn tự khai');
    expect(vi.body).toContain('Nghị định 123/2015/NĐ-CP');
    expect(vi.body).toContain(`href="/services/${code}/apply"`);
    expect(vi.body).toContain('1 trên 3 trường được điền sẵn');
    const en = await get(`/services/${code}?lang=en`);
    expect(en.body).toContain('From the National Population Database (Ministry of Public Security)');
    expect(en.body).toContain('You type it');
    expect(en.body).toContain(`href="/services/${code}/apply?lang=en"`);
    expect(en.body).toContain('valid for 180 days');
  });

  it('says a sign-in comes first only to who is not signed in at level 2 yet', async () => {
    const stranger = await get(`/services/${code}`);
    expect(stranger.body).toContain('Bắt đầu nộp hồ sơ');
    expect(stranger.body).toContain('Bạn sẽ đăng nhập bằng tài khoản định danh điện tử mức 2');
    const person = await citizenSession(h, '001090000077', 'Lê Thị Hoa');
    const signed = await get(`/services/${code}`, person.cookie);
    expect(signed.body).toMatch(/href="\/services\/[^"]+\/apply">Bắt đầu<\/a>/);
    expect(signed.body).not.toContain('Bạn sẽ đăng nhập');
    const en = await get(`/services/${code}?lang=en`, person.cookie);
    expect(en.body).toMatch(/apply\?lang=en">Start<\/a>/);
    expect(en.body).not.toContain('You will sign in');
  });

  it('lets the agency administrator create a procedure, with mistakes beside the fields, and publish it', async () => {
    const list = await get('/dashboard/services', admin.cookie);
    expect(list.body).toContain('Cấp giấy xác nhận tình trạng hôn nhân');
    expect(list.body).toContain('Ngừng áp dụng');
    expect((await get('/dashboard/services/new?agency=thanh-pho-ha-noi', admin.cookie)).body).toContain(
      '— Người nộp tự khai —',
    );
    const row = {
      'fields.0.key': 'ho_ten',
      'fields.0.label_vi': 'Họ tên',
      'fields.0.element': 'ho_va_ten',
      'fields.0.type': 'string',
      'fields.0.required': 'on',
      'fields.1.key': '',
      'fields.1.label_vi': '',
      'fields.1.element': '',
      'fields.1.type': 'string',
      'fields.2.key': 'Ho Ten',
      'fields.2.label_vi': 'Tên khác',
      'fields.2.element': '',
      'fields.2.type': 'string',
    };
    const wrong = await post('/dashboard/services/new?agency=thanh-pho-ha-noi&lang=en', {
      code: 'abc',
      name_vi: 'Đăng ký khai sinh',
      legal_basis: 'Luật Hộ tịch 2014',
      processing_days: 'ba',
      'result.kind': 'certificate',
      'result.title_vi': 'Giấy khai sinh',
      ...row,
    });
    expect(wrong.statusCode).toBe(400);
    // each mistake beside its own input, the blank row skipped in the numbering of complaints
    expect(wrong.body).toMatch(/id="code-error"/);
    expect(wrong.body).toMatch(/id="processing_days-error"[^>]*>Must be a whole number/);
    expect(wrong.body).toMatch(/id="fields-2-key-error"/);
    expect(wrong.body).not.toMatch(/id="fields-1-key-error"/);
    expect(wrong.body).toContain('value="Đăng ký khai sinh"');
    const ok = await post('/dashboard/services/new?agency=thanh-pho-ha-noi', {
      code: '1.001193',
      name_vi: 'Đăng ký khai sinh',
      legal_basis: 'Luật Hộ tịch 2014',
      processing_days: '1',
      'result.kind': 'certificate',
      'result.title_vi': 'Giấy khai sinh',
      ...row,
      'fields.2.key': 'noi_sinh',
    });
    expect(ok.statusCode).toBe(303);
    const made = await h.app.publicServices.procedures.get(hanoi.principal, '1.001193');
    expect(made).toMatchObject({ status: 'draft', fields: [{ key: 'ho_ten' }, { key: 'noi_sinh', element: null }] });
    const dup = await post('/dashboard/services/new?agency=thanh-pho-ha-noi', {
      code: '1.001193',
      name_vi: 'Đăng ký khai sinh',
      legal_basis: 'Luật Hộ tịch 2014',
      processing_days: '1',
      'result.kind': 'certificate',
      'result.title_vi': 'Giấy khai sinh',
      ...row,
      'fields.2.key': 'noi_sinh',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.body).toContain('Đã có thủ tục mã 1.001193.');
    const published = await post('/dashboard/services/1.001193/status', { action: 'publish' });
    expect(published.statusCode).toBe(303);
    expect((await get('/services')).body).toContain('Đăng ký khai sinh');
  });

  it('shows its gaps and its desk, never the desk’s key; refuses another agency’s staff', async () => {
    const key = 'page-desk-key-abcdefgh';
    const set = await post('/dashboard/services/desk?agency=thanh-pho-ha-noi', {
      client: 'NDP-TEST/GOV/000.00.00.H26/DVC',
      gatewayUrl: 'http://127.0.0.1:9',
      apiKey: key,
      timeoutMs: '2500',
    });
    expect(set.statusCode).toBe(303);
    const page = await get('/dashboard/services/sources?agency=thanh-pho-ha-noi', admin.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('NDP-TEST/GOV/000.00.00.H26/DVC');
    expect(page.body).not.toContain(key);
    expect(page.body).toMatch(/data-testid="gaps"[\s\S]*Dân tộc[\s\S]*\(dan_toc\)/);
    const en = await get('/dashboard/services/sources?agency=thanh-pho-ha-noi&lang=en', admin.cookie);
    expect(en.body).toContain('Bound fields with no source yet');
    const badDesk = await post('/dashboard/services/desk?agency=thanh-pho-ha-noi', {
      client: 'no slashes',
      gatewayUrl: 'http://127.0.0.1:9',
      apiKey: 'short',
    });
    expect(badDesk.statusCode).toBe(400);
    expect(badDesk.body).toMatch(/id="desk-client-error"/);
    expect(badDesk.body).toMatch(/id="desk-apiKey-error"/);
    expect(badDesk.body).not.toContain('value="short"');

    const finance = await buildAgencyUser(h, { agency: 'bo-tai-chinh', role: 'agency_admin' });
    const s = await h.signIn(finance.email, PASSWORD);
    expect((await get('/dashboard/services/sources?agency=thanh-pho-ha-noi', s.cookie)).statusCode).toBe(403);
    expect((await get(`/dashboard/services/${code}/edit`, s.cookie)).statusCode).toBe(403);
    expect((await get('/dashboard/services', '')).statusCode).toBe(303);
  });
});
