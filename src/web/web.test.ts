import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { loadCatalog } from '../../test/catalog-fixture.js';

describe('portal pages (server-rendered)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(testDrivers()[0]!);
    await loadCatalog(h, [
      {
        agency: 'bo-y-te',
        title_vi: '<script>alert("xss")</script> Dữ liệu độc',
        description_vi: '<img src=x onerror=alert(1)> mô tả',
        keywords: ['"><b>k</b>'],
      },
      {
        agency: 'bo-y-te',
        title_vi: 'Cơ sở y tế năm 2025',
        description_vi: 'Danh sách bệnh viện.',
        keywords: ['y tế'],
        themes: ['HEAL'],
      },
    ]);
    await h.app.services.accounts.bootstrapUser({
      email: 'editor@moh.gov.vn',
      name: 'Biên tập',
      password: 'editor passphrase',
      platformAdmin: false,
    });
    const p = await h.app.services.accounts.principalFor('editor@moh.gov.vn');
    p.isPlatformAdmin = true;
    await h.app.services.accounts.setMembership(p, p.userId, await h.agencyId('bo-y-te'), 'agency_editor');
  });
  afterAll(() => h.close());

  it('escapes every stored value: a <script> title is shown as text, never run', async () => {
    for (const url of ['/datasets?q=du%20lieu%20doc', '/', '/agency/bo-y-te']) {
      const res = await h.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('<script>alert');
      expect(res.body).not.toContain('<img src=x');
      expect(res.body).toContain('&lt;script>alert');
    }
    const slug = (await h.inject({ method: 'GET', url: '/api/v1/datasets?q=du%20lieu%20doc' })).json().results[0].slug;
    const page = await h.inject({ method: 'GET', url: `/dataset/${slug}`, headers: { accept: 'text/html' } });
    expect(page.body).not.toMatch(/<script>alert/);
    expect(page.body).not.toContain('<b>k</b>');
    // The schema.org JSON-LD cannot be closed early by a stored "</script>".
    const jsonLd = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(page.body)![1]!;
    expect(JSON.parse(jsonLd)).toMatchObject({ '@type': 'Dataset', name: '<script>alert("xss")</script> Dữ liệu độc' });
  });

  it('sends a Content-Security-Policy without inline scripts, and answers browsers with a friendly 404', async () => {
    const res = await h.inject({ method: 'GET', url: '/' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.body).not.toMatch(/<script>(?!<\/script>)/);
    const missing = await h.inject({ method: 'GET', url: '/khong-co', headers: { accept: 'text/html' } });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/text\/html/);
    expect(missing.body).toContain('Không tìm thấy trang');
    const api = await h.inject({ method: 'GET', url: '/api/v1/khong-co', headers: { accept: 'text/html' } });
    expect(api.json().error.code).toBe('NOT_FOUND');
  });

  it('has an icon: linked from every page, and where browsers look for it unasked', async () => {
    const home = await h.inject({ method: 'GET', url: '/' });
    expect(home.body).toContain('<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml"/>');
    const icon = await h.inject({ method: 'GET', url: '/assets/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(icon.body).toContain('<svg');
    const ico = await h.inject({ method: 'GET', url: '/favicon.ico' });
    expect(ico.statusCode).toBe(301);
    expect(ico.headers.location).toBe('/assets/favicon.svg');
  });

  it('answers a server failure with a friendly 500 page and no internals', async () => {
    const catalog = h.app.services.catalog;
    const original = catalog.stats.bind(catalog);
    catalog.stats = async () => {
      throw new Error('database on fire at /var/lib/secret');
    };
    try {
      const res = await h.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
      expect(res.statusCode).toBe(500);
      expect(res.body).toContain('Đã có lỗi xảy ra');
      expect(res.body).not.toContain('on fire');
      const api = await h.inject({ method: 'GET', url: '/' });
      expect(api.statusCode).toBe(500);
    } finally {
      catalog.stats = original;
    }
  });

  it('uses Vietnamese number and date formats and serves English on request', async () => {
    const vi = await h.inject({ method: 'GET', url: '/agencies?kind=commune' });
    expect(vi.body).toContain('3.321');
    const en = await h.inject({ method: 'GET', url: '/agencies?kind=commune&lang=en' });
    expect(en.body).toContain('<html lang="en"');
    expect(en.body).toContain('3,321');
    expect(String(en.headers['set-cookie'])).toContain('ndp_lang=en');
    const home = await h.inject({ method: 'GET', url: '/' });
    expect(home.body).toMatch(/\d{2}\/\d{2}\/\d{4}/);
  });

  it('looks up a former commune by its name, with or without diacritics, or by its code', async () => {
    // “xa” here is part of the name, not the unit type “Xã”: only Phúc Xá matches.
    const plain = await h.inject({ method: 'GET', url: '/units?old=phuc%20xa' });
    expect(plain.statusCode).toBe(200);
    expect(plain.body).toContain('Phường Hồng Hà');
    // Several former communes are called Tân Lập: the page lists them, each leading to its successor.
    const several = await h.inject({ method: 'GET', url: `/units?old=${encodeURIComponent('xã tân lập')}` });
    expect(several.body.match(/href="\/units\?old=\d{5}"/g)!.length).toBeGreaterThan(1);
    const byName = await h.inject({ method: 'GET', url: `/units?old=${encodeURIComponent('phường phúc xá')}` });
    expect(byName.body).toContain('Phường Phúc Xá');
    expect(byName.body).toContain('Phường Hồng Hà');
    const byCode = await h.inject({ method: 'GET', url: '/units?old=00001' });
    expect(byCode.body).toContain('Phường Hồng Hà');
    const nothing = await h.inject({ method: 'GET', url: '/units?old=khong%20co%20xa%20nay' });
    expect(nothing.statusCode).toBe(400);
    expect(nothing.body).toContain('Không có đơn vị cũ nào');
  });

  it('has the same translation keys in Vietnamese and English', async () => {
    const vi = (await import('./i18n/vi.json', { with: { type: 'json' } })).default;
    const en = (await import('./i18n/en.json', { with: { type: 'json' } })).default;
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
  });

  it('refuses page forms without the CSRF token, and keeps sign-in failures on the page', async () => {
    const signin = await h.inject({ method: 'GET', url: '/signin' });
    const token = /name="_csrf" value="([^"]+)"/.exec(signin.body)![1]!;
    const login = {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: String(signin.headers['set-cookie']).split(';')[0]!,
    };
    const forged = await h.inject({
      method: 'POST',
      url: '/signin',
      payload: 'email=editor%40moh.gov.vn&password=editor+passphrase',
      headers: login,
    });
    expect(forged.statusCode).toBe(403); // no token: a cross-site sign-in is refused
    const failed = await h.inject({
      method: 'POST',
      url: '/signin',
      payload: `_csrf=${token}&email=editor%40moh.gov.vn&password=wrong`,
      headers: login,
    });
    expect(failed.statusCode).toBe(401);
    expect(failed.body).toContain('value="editor@moh.gov.vn"');
    const ok = await h.inject({
      method: 'POST',
      url: '/signin',
      payload: `_csrf=${token}&email=editor%40moh.gov.vn&password=editor+passphrase&next=%2F%2Fevil.example`,
      headers: login,
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/dashboard'); // never to another host
    const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
    const noToken = await h.inject({
      method: 'POST',
      url: '/dashboard/datasets?agency=bo-y-te',
      payload: 'title_vi=x&description_vi=y',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(noToken.statusCode).toBe(403);
    const form = await h.inject({ method: 'GET', url: '/dashboard/datasets/new?agency=bo-y-te', headers: { cookie } });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const created = await h.inject({
      method: 'POST',
      url: '/dashboard/datasets?agency=bo-y-te',
      payload: `_csrf=${csrf}&title_vi=Bộ+mới&description_vi=Mô+tả`,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(created.statusCode).toBe(303);
    const otherAgency = await h.inject({
      method: 'GET',
      url: '/dashboard/datasets/new?agency=bo-tai-chinh',
      headers: { cookie, accept: 'text/html' },
    });
    expect(otherAgency.statusCode).toBe(403);
  });
});
