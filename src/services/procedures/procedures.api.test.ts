import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import {
  buildAgencyUser,
  buildProcedure,
  buildRegisterEntry,
  seedSharedDictionary,
  type AgencyUser,
} from '../../../test/factories.js';

const API = '/api/v1/services';

const body = (code: string, fields = [bound('ho_ten', 'ho_va_ten'), typed('muc_dich')]) => ({
  code,
  name_vi: 'Cấp giấy xác nhận tình trạng hôn nhân',
  name_en: 'Certificate of marital status',
  legal_basis: 'Nghị định 123/2015/NĐ-CP',
  processing_days: 3,
  fields,
  result: {
    kind: 'certificate',
    title_vi: 'Giấy xác nhận',
    title_en: 'Certificate',
    validity_days: 180,
    fields: [{ key: 'ho_ten', label_vi: 'Họ và tên', label_en: 'Full name', element: 'ho_va_ten', from: 'ho_ten' }],
  },
});
const bound = (key: string, element: string) => ({
  key,
  label_vi: `Trường ${key}`,
  label_en: `Field ${key}`,
  element,
  type: 'string',
  required: true,
});
const noResultFields = {
  kind: 'decision' as const,
  title_vi: 'Quyết định',
  title_en: null,
  validity_days: null,
  fields: [],
};
const typed = (key: string) => ({ ...bound(key, ''), element: null, type: 'text' });

/** The procedures' API as agencies' systems and the public call it. */
describe.each(testDrivers())('procedures API ($name)', (driver) => {
  let h: Harness;
  let hanoi: AgencyUser;
  let finance: AgencyUser;

  beforeAll(async () => {
    h = await startHarness(driver);
    await seedSharedDictionary(h);
    hanoi = await buildAgencyUser(h, { agency: 'thanh-pho-ha-noi', role: 'agency_admin' });
    finance = await buildAgencyUser(h, { agency: 'bo-tai-chinh', role: 'agency_admin' });
  });
  afterAll(() => h?.close());

  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, who?: AgencyUser, payload?: object) =>
    h.inject({ method, url, headers: who?.auth ?? {}, ...(payload ? { payload } : {}) });

  it('creates a draft by token, shows it only to its agency until published, refuses strangers', async () => {
    expect(
      (await call('POST', `${API}/procedures?agency=thanh-pho-ha-noi`, undefined, body('1.000001'))).statusCode,
    ).toBe(401);
    const other = await call('POST', `${API}/procedures?agency=thanh-pho-ha-noi`, finance, body('1.000001'));
    expect(other.statusCode).toBe(403);
    const made = await call('POST', `${API}/procedures`, hanoi, { ...body('1.000001'), agency: 'thanh-pho-ha-noi' });
    expect(made.statusCode).toBe(201);
    expect(made.json()).toMatchObject({
      code: '1.000001',
      status: 'draft',
      version: 1,
      agency: { slug: 'thanh-pho-ha-noi' },
    });

    const codes = async (url: string, who?: AgencyUser) =>
      (await call('GET', url, who)).json().results.map((r: { code: string }) => r.code);
    expect(await codes(`${API}/procedures`)).not.toContain('1.000001');
    expect((await call('GET', `${API}/procedures/1.000001`)).statusCode).toBe(404);
    expect(await codes(`${API}/procedures?mine=true`, hanoi)).toContain('1.000001');
    expect(await codes(`${API}/procedures?mine=true`, finance)).not.toContain('1.000001');
    expect((await call('GET', `${API}/procedures?mine=true`)).statusCode).toBe(401);

    expect((await call('POST', `${API}/procedures/1.000001/status`, finance, { action: 'publish' })).statusCode).toBe(
      404,
    );
    const published = await call('POST', `${API}/procedures/1.000001/status`, hanoi, { action: 'publish' });
    expect(published.json().status).toBe('published');
    expect(await codes(`${API}/procedures?agency=thanh-pho-ha-noi`)).toContain('1.000001');
    expect(await codes(`${API}/procedures?agency=bo-tai-chinh`)).not.toContain('1.000001');
    // published, a stranger is refused rather than not found
    expect((await call('POST', `${API}/procedures/1.000001/status`, finance, { action: 'withdraw' })).statusCode).toBe(
      403,
    );
    expect((await call('PUT', `${API}/procedures/1.000001`, finance, body('1.000001'))).statusCode).toBe(403);
  });

  it('names each wrong field, from the schema and from the rules', async () => {
    const bad = await call('POST', `${API}/procedures?agency=thanh-pho-ha-noi`, hanoi, {
      ...body('12345'),
      processing_days: -1,
    });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json().error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['body.code', 'body.processing_days']));
    const rules = await call(
      'POST',
      `${API}/procedures?agency=thanh-pho-ha-noi`,
      hanoi,
      body('1.000002', [bound('ho_ten', 'ho_va_ten'), bound('ho_ten', 'khong_co_truong_nay')]),
    );
    expect(rules.statusCode).toBe(400);
    expect(rules.json().error.details.map((d: { field: string }) => d.field)).toEqual([
      'fields[1].key',
      'fields[1].element',
    ]);
    const noAgency = await h.inject({
      method: 'POST',
      url: `${API}/procedures`,
      headers: (await buildAgencyUser(h, { agency: 'bo-cong-an', role: 'agency_admin' })).auth,
      payload: body('1.000003'),
    });
    // a token belongs to one agency: it is the procedure's when none is named
    expect(noAgency.statusCode).toBe(201);
    expect(noAgency.json().agency.slug).toBe('bo-cong-an');
  });

  it('keeps a published procedure published on a new version, with the version up and an audit of before and after', async () => {
    const p = await buildProcedure(h, { user: hanoi, code: '1.000010' });
    const changed = { ...body('1.000010'), name_vi: 'Tên mới của thủ tục', processing_days: 5 };
    const res = await call('PUT', `${API}/procedures/1.000010`, hanoi, changed);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ version: 2, status: 'published', name_vi: 'Tên mới của thủ tục' });
    const again = await call('PUT', `${API}/procedures/1.000010`, hanoi, changed);
    expect(again.json().version).toBe(3);
    const renamed = await call('PUT', `${API}/procedures/1.000010`, hanoi, { ...changed, code: '1.000011' });
    expect(renamed.json().error.details[0].field).toBe('code');
    const audit = await h.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_id', '=', p.id)
      .where('action', '=', 'services.procedure.update')
      .execute();
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit[0])).toContain(p.name_vi);
    expect(JSON.stringify(audit[0])).toContain('Tên mới của thủ tục');
  });

  it('lists as gaps exactly the bound fields whose element nobody holds, with the procedures using them', async () => {
    const police = await buildAgencyUser(h, { agency: 'bo-cong-an', role: 'agency_admin' });
    const db = await buildRegisterEntry(h, { user: police, name_vi: 'Cơ sở dữ liệu quốc gia về dân cư' });
    const member = (await h.app.services.masterData.agency('bo-cong-an')).code;
    const set = await call('PUT', `${API}/sources/ngay_sinh`, police, {
      kind: 'register',
      database: db.id,
      service: `NDP-TEST/GOV/${member}/CSDLQGDC/citizens`,
      path: '/citizens/{person}',
      field: '/dateOfBirth',
    });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ element: 'ngay_sinh', agency: { slug: 'bo-cong-an' } });
    // another agency may neither take it over nor remove it
    const fdb = await buildRegisterEntry(h, { user: finance });
    const takeover = await call('PUT', `${API}/sources/ngay_sinh`, finance, {
      kind: 'register',
      database: fdb.id,
      service: `NDP-TEST/GOV/${(await h.app.services.masterData.agency('bo-tai-chinh')).code}/X/y`,
      path: '/p/{person}',
      field: '/d',
    });
    expect(takeover.statusCode).toBe(409);
    expect((await call('DELETE', `${API}/sources/ngay_sinh`, finance)).statusCode).toBe(403);

    const mine = await buildAgencyUser(h, { agency: 'bo-noi-vu', role: 'agency_admin' });
    await buildProcedure(h, {
      user: mine,
      code: '1.000020',
      fields: [bound('ngay', 'ngay_sinh'), bound('gt', 'gioi_tinh'), bound('dt', 'dan_toc'), typed('ghi_chu')] as never,
      result: noResultFields,
    });
    await buildProcedure(h, {
      user: mine,
      code: '1.000021',
      status: 'draft',
      fields: [bound('gioi', 'gioi_tinh'), bound('tinh', 'ma_tinh')] as never,
      result: noResultFields,
    });
    const gaps = async (who?: AgencyUser) =>
      (await call('GET', `${API}/gaps?agency=bo-noi-vu`, who)).json().results as {
        element: string;
        procedures: { code: string; fields: string[] }[];
      }[];
    const staff = await gaps(mine);
    expect(staff.map((g) => g.element)).toEqual(['dan_toc', 'gioi_tinh', 'ma_tinh']);
    expect(staff.find((g) => g.element === 'gioi_tinh')?.procedures).toEqual([
      expect.objectContaining({ code: '1.000020', fields: ['gt'] }),
      expect.objectContaining({ code: '1.000021', fields: ['gioi'] }),
    ]);
    // the public sees the published procedures' gaps only
    expect((await gaps()).map((g) => g.element)).toEqual(['dan_toc', 'gioi_tinh']);

    const sources = (await call('GET', `${API}/sources`)).json().results;
    expect(sources).toContainEqual(
      expect.objectContaining({
        element: 'ngay_sinh',
        database: expect.objectContaining({ name_vi: 'Cơ sở dữ liệu quốc gia về dân cư' }),
      }),
    );
    const described = (await call('GET', `${API}/procedures/1.000020`)).json();
    expect(
      described.fields.map((f: { source: { agency: { slug: string } } | null }) => f.source?.agency.slug ?? null),
    ).toEqual(['bo-cong-an', null, null, null]);
    expect((await call('DELETE', `${API}/sources/ngay_sinh`, police)).statusCode).toBe(204);
    expect((await gaps(mine)).map((g) => g.element)).toContain('ngay_sinh');
  });

  it('sets a desk for its agency administrators only and never answers its key', async () => {
    const key = 'desk-secret-key-0123456789';
    const desk = { client: 'NDP-TEST/GOV/000.00.00.H26/DVC', gatewayUrl: 'http://127.0.0.1:9/', apiKey: key };
    expect((await call('PUT', `${API}/desks/thanh-pho-ha-noi`, undefined, desk)).statusCode).toBe(401);
    expect((await call('PUT', `${API}/desks/thanh-pho-ha-noi`, finance, desk)).statusCode).toBe(403);
    const editor = await buildAgencyUser(h, { agency: 'thanh-pho-ha-noi', role: 'agency_editor' });
    expect((await call('PUT', `${API}/desks/thanh-pho-ha-noi`, editor, desk)).statusCode).toBe(403);
    const set = await call('PUT', `${API}/desks/thanh-pho-ha-noi`, hanoi, desk);
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ client: desk.client, gatewayUrl: 'http://127.0.0.1:9', timeoutMs: 3000 });
    const got = await call('GET', `${API}/desks/thanh-pho-ha-noi`, hanoi);
    expect(got.json().client).toBe(desk.client);
    expect((await call('GET', `${API}/desks/thanh-pho-ha-noi`, finance)).statusCode).toBe(403);
    for (const r of [set, got, await call('GET', `${API}/sources`), await call('GET', `${API}/procedures`)])
      expect(r.body).not.toContain(key);
    // the prefill alone opens it
    expect((await h.app.publicServices.procedures.deskCredentials(hanoi.agencyId))?.apiKey).toBe(key);
  });
});
