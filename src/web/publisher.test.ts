import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { multipart, startHarness, type Harness } from '../../test/harness.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const encode = (o: Record<string, string | string[]>) =>
  new URLSearchParams(
    Object.entries(o).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])),
  ).toString();

describe('publisher and admin pages', () => {
  let h: Harness;
  const session = async (email: string, password: string) => {
    const form = await h.inject({ method: 'GET', url: '/signin' });
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const loginCookie = String(form.headers['set-cookie']).split(';')[0]!;
    const res = await h.inject({
      method: 'POST',
      url: '/signin',
      payload: encode({ email, password, _csrf: token }),
      headers: { ...FORM, cookie: loginCookie },
    });
    const cookie = String(res.headers['set-cookie']).split(';')[0]!;
    const dash = await h.inject({ method: 'GET', url: '/dashboard', headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(dash.body)![1]!;
    return { cookie, csrf };
  };

  beforeAll(async () => {
    h = await startHarness(testDrivers()[0]!);
    const { accounts } = h.app.services;
    await accounts.bootstrapUser({
      email: 'root@ndp.gov.vn',
      name: 'Root',
      password: 'root passphrase 1',
      platformAdmin: true,
    });
    const root = await accounts.principalFor('root@ndp.gov.vn');
    for (const [email, role] of [
      ['admin@moh.gov.vn', 'agency_admin'],
      ['editor@moh.gov.vn', 'agency_editor'],
    ] as const) {
      const u = await accounts.bootstrapUser({
        email,
        name: email,
        password: 'long passphrase 1',
        platformAdmin: false,
      });
      await accounts.setMembership(root, u.id, await h.agencyId('bo-y-te'), role);
    }
    await h.app.services.catalog.dictionary.create(root, {
      id: 'ma_tinh',
      label_vi: 'Mã tỉnh',
      label_en: 'Province code',
      type: 'string',
      code_list: 'vn-provinces',
    });
  });
  afterAll(() => h.close());

  it('keeps the register of databases through forms, a new version per save', async () => {
    const { cookie, csrf } = await session('editor@moh.gov.vn', 'long passphrase 1');
    const fields = {
      name_vi: 'CSDL quốc gia về y tế',
      purpose: 'Quản lý hồ sơ sức khỏe',
      scope: 'Toàn quốc',
      content: 'Hồ sơ sức khỏe điện tử',
      collection_mechanism: 'Từ cơ sở khám chữa bệnh',
      update_mechanism: 'Hằng ngày',
      data_sources: 'Bệnh viện',
      legal_basis: 'Luật Khám bệnh, chữa bệnh 2023',
      category: 'national',
      access_class: 'shared',
      importance: 'core',
      status: 'operating',
    };
    const missing = await h.inject({
      method: 'POST',
      url: '/dashboard/databases?agency=bo-y-te',
      headers: { cookie, ...FORM },
      payload: encode({ _csrf: csrf, ...fields, purpose: '' }),
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Hãy điền mục này.');
    expect(missing.body).toContain('CSDL quốc gia về y tế'); // what was typed stays
    const created = await h.inject({
      method: 'POST',
      url: '/dashboard/databases?agency=bo-y-te',
      headers: { cookie, ...FORM },
      payload: encode({ _csrf: csrf, ...fields }),
    });
    expect(created.statusCode).toBe(303);
    const id = created.headers.location!.split('/').pop()!;
    const edited = await h.inject({
      method: 'POST',
      url: `/dashboard/databases/${id}/edit`,
      headers: { cookie, ...FORM },
      payload: encode({ _csrf: csrf, ...fields, update_mechanism: 'Theo thời gian thực' }),
    });
    expect(edited.statusCode).toBe(303);
    const history = (await h.inject({ method: 'GET', url: `/api/v1/databases/${id}/history` })).json().history;
    expect(history.map((x: { version: number }) => x.version)).toEqual([2, 1]);
    const pageView = await h.inject({ method: 'GET', url: `/databases/${id}` });
    expect(pageView.body).toContain('Theo thời gian thực');
  });

  it('offers the CSV header as columns and attaches a Table Schema from dictionary picks', async () => {
    const { cookie, csrf } = await session('editor@moh.gov.vn', 'long passphrase 1');
    const created = await h.inject({
      method: 'POST',
      url: '/dashboard/datasets?agency=bo-y-te',
      headers: { cookie, ...FORM },
      payload: encode({ _csrf: csrf, title_vi: 'Số giường bệnh theo tỉnh', description_vi: 'Số giường bệnh năm 2025' }),
    });
    const slug = created.headers.location!.split('/').pop()!;
    const m = multipart(
      { _csrf: csrf },
      { name: 'giuong.csv', content: '\uFEFFma_tinh;ten_tinh;so_giuong\n01;Hà Nội;42000\n' },
    );
    const up = await h.inject({
      method: 'POST',
      url: `/dashboard/datasets/${slug}/files`,
      headers: { cookie, ...m.headers },
      payload: m.payload,
    });
    expect(up.statusCode).toBe(303);
    const manage = await h.inject({ method: 'GET', url: `/dashboard/datasets/${slug}`, headers: { cookie } });
    for (const col of ['ma_tinh', 'ten_tinh', 'so_giuong']) expect(manage.body).toContain(`value="${col}"`);
    const distributionId = /action="\/dashboard\/distributions\/([0-9a-f-]+)\/schema"/.exec(manage.body)![1]!;
    const bad = await h.inject({
      method: 'POST',
      url: `/dashboard/distributions/${distributionId}/schema`,
      headers: { cookie, ...FORM },
      payload: encode({ _csrf: csrf, name: ['ma_tinh'], dictionary: ['khong_co'], type: [''] }),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('khong_co');
    const ok = await h.inject({
      method: 'POST',
      url: `/dashboard/distributions/${distributionId}/schema`,
      headers: { cookie, ...FORM },
      payload: encode({
        _csrf: csrf,
        name: ['ma_tinh', 'ten_tinh', 'so_giuong', ''],
        dictionary: ['ma_tinh', '', '', ''],
        type: ['', 'string', 'integer', ''],
      }),
    });
    expect(ok.statusCode).toBe(303);
    const schema = (
      await h.inject({ method: 'GET', url: `/api/v1/distributions/${distributionId}`, headers: { cookie } })
    ).json().distribution.table_schema;
    expect(schema.fields).toEqual([
      expect.objectContaining({
        name: 'ma_tinh',
        type: 'string',
        'ndp:dictionary': 'ma_tinh',
        'ndp:codeList': 'vn-provinces',
      }),
      { name: 'ten_tinh', type: 'string' },
      { name: 'so_giuong', type: 'integer' },
    ]);
    // The metadata can be edited later on the same form, prefilled; emptied fields are cleared.
    const edit = await h.inject({ method: 'GET', url: `/dashboard/datasets/${slug}/edit`, headers: { cookie } });
    expect(edit.body).toContain('value="Số giường bệnh theo tỉnh"');
    const saved = await h.inject({
      method: 'POST',
      url: `/dashboard/datasets/${slug}/edit`,
      headers: { cookie, ...FORM },
      payload: encode({
        _csrf: csrf,
        title_vi: 'Số giường bệnh theo tỉnh, 2025',
        description_vi: 'Số giường bệnh năm 2025',
        keywords: 'y tế, giường bệnh',
        spatial: '01',
        licence_id: 'CC0-1.0',
        access_rights: 'public',
        update_frequency: 'ANNUAL',
      }),
    });
    expect(saved.statusCode).toBe(303);
    const after = (await h.inject({ method: 'GET', url: `/api/v1/datasets/${slug}`, headers: { cookie } })).json()
      .dataset;
    expect(after).toMatchObject({
      title_vi: 'Số giường bệnh theo tỉnh, 2025',
      keywords: ['y tế', 'giường bệnh'],
      spatial: ['01'],
      update_frequency: 'ANNUAL',
      licence: { id: 'CC0-1.0' },
    });
    const invalid = await h.inject({
      method: 'POST',
      url: `/dashboard/datasets/${slug}/edit`,
      headers: { cookie, ...FORM },
      payload: encode({ _csrf: csrf, title_vi: '', description_vi: 'x' }),
    });
    expect(invalid.statusCode).toBe(400);

    const noCsrf = multipart({}, { name: 'x.csv', content: 'a\n1\n' });
    expect(
      (
        await h.inject({
          method: 'POST',
          url: `/dashboard/datasets/${slug}/files`,
          headers: { cookie, ...noCsrf.headers },
          payload: noCsrf.payload,
        })
      ).statusCode,
    ).toBe(403);
  });

  it('lets an agency admin add users and create (once shown) and revoke tokens; an editor may not', async () => {
    const editor = await session('editor@moh.gov.vn', 'long passphrase 1');
    expect(
      (
        await h.inject({
          method: 'GET',
          url: '/admin/agency/bo-y-te',
          headers: { cookie: editor.cookie, accept: 'text/html' },
        })
      ).statusCode,
    ).toBe(403);
    const { cookie, csrf } = await session('admin@moh.gov.vn', 'long passphrase 1');
    const added = await h.inject({
      method: 'POST',
      url: '/admin/agency/bo-y-te/users',
      headers: { cookie, ...FORM },
      payload: encode({
        _csrf: csrf,
        email: 'nurse@moh.gov.vn',
        name: 'Y tá',
        password: 'nurse passphrase',
        role: 'viewer',
      }),
    });
    expect(added.statusCode).toBe(303);
    const short = await h.inject({
      method: 'POST',
      url: '/admin/agency/bo-y-te/users',
      headers: { cookie, ...FORM },
      payload: encode({ _csrf: csrf, email: 'x@moh.gov.vn', name: 'X', password: 'short', role: 'viewer' }),
    });
    expect(short.statusCode).toBe(400);
    expect(short.body).toContain('10 ký tự');
    const token = await h.inject({
      method: 'POST',
      url: '/admin/agency/bo-y-te/tokens',
      headers: { cookie, ...FORM },
      payload: encode({ _csrf: csrf, name: 'Hệ thống HIS', role: 'agency_editor', days: '30' }),
    });
    const secret = /<code class="secret">(ndp_[^<]+)<\/code>/.exec(token.body)![1]!;
    expect(token.headers['cache-control']).toBe('no-store');
    expect(
      (await h.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${secret}` } }))
        .statusCode,
    ).toBe(200);
    const again = await h.inject({ method: 'GET', url: '/admin/agency/bo-y-te', headers: { cookie } });
    expect(again.body).not.toContain(secret);
    expect(again.body).toContain('nurse@moh.gov.vn');
    const tokenId = /\/tokens\/([0-9a-f-]+)\/revoke/.exec(again.body)![1]!;
    // revoking cannot be undone: the form asks for its box ticked, and a post without it changes nothing
    expect(again.body).toMatch(/<input type="checkbox" name="confirm" value="1" required\/>/);
    const unticked = await h.inject({
      method: 'POST',
      url: `/admin/agency/bo-y-te/tokens/${tokenId}/revoke`,
      headers: { cookie, ...FORM },
      payload: encode({ _csrf: csrf }),
    });
    expect(unticked.statusCode).toBe(400);
    expect(
      (await h.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${secret}` } }))
        .statusCode,
    ).toBe(200);
    await h.inject({
      method: 'POST',
      url: `/admin/agency/bo-y-te/tokens/${tokenId}/revoke`,
      headers: { cookie, ...FORM },
      payload: encode({ _csrf: csrf, confirm: '1' }),
    });
    expect(
      (await h.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${secret}` } })).json()
        .error.code,
    ).toBe('TOKEN_REVOKED');
  });

  it('lets only a platform admin keep licences and agencies', async () => {
    const admin = await session('admin@moh.gov.vn', 'long passphrase 1');
    expect(
      (
        await h.inject({
          method: 'POST',
          url: '/admin/licences',
          headers: { cookie: admin.cookie, ...FORM },
          payload: encode({ _csrf: admin.csrf, id: 'X-1', title_vi: 'x', title_en: 'x', url: 'https://x.example' }),
        })
      ).statusCode,
    ).toBe(403);
    const { cookie, csrf } = await session('root@ndp.gov.vn', 'root passphrase 1');
    const bad = await h.inject({
      method: 'POST',
      url: '/admin/licences',
      headers: { cookie, ...FORM },
      payload: encode({
        _csrf: csrf,
        id: 'GPDLM-1.0',
        title_vi: 'Giấy phép dữ liệu mở',
        title_en: 'Open data licence',
        url: 'not a url',
      }),
    });
    expect(bad.statusCode).toBe(400);
    const ok = await h.inject({
      method: 'POST',
      url: '/admin/licences',
      headers: { cookie, ...FORM },
      payload: encode({
        _csrf: csrf,
        id: 'GPDLM-1.0',
        title_vi: 'Giấy phép dữ liệu mở',
        title_en: 'Open data licence',
        url: 'https://example.gov.vn/giay-phep',
        is_open: 'true',
      }),
    });
    expect(ok.statusCode).toBe(303);
    expect(
      (await h.inject({ method: 'GET', url: '/api/v1/licences' })).json().licences.map((l: { id: string }) => l.id),
    ).toContain('GPDLM-1.0');
    const agency = await h.inject({
      method: 'POST',
      url: '/admin/agencies',
      headers: { cookie, ...FORM },
      payload: encode({
        _csrf: csrf,
        code: '000.00.00.G99',
        slug: 'uy-ban-thu-nghiem',
        name_vi: 'Ủy ban thử nghiệm',
        kind: 'other',
      }),
    });
    expect(agency.statusCode).toBe(303);
    expect(agency.headers.location).toBe('/agency/uy-ban-thu-nghiem');
  });
});
