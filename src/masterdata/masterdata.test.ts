import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { seedMasterData } from './seed.js';

for (const driver of testDrivers()) {
  describe(`master data on ${driver.name}`, () => {
    let h: Harness;
    const get = async (url: string, o: Partial<InjectOptions> = {}) => h.inject({ method: 'GET', url, ...o });
    beforeAll(async () => {
      h = await startHarness(driver);
    });
    afterAll(() => h.close());

    it('seeds the 2025 structure: 14 ministries, 3 ministerial-level agencies, 34 provinces, 3,321 communes', async () => {
      const count = async (kind: string) => (await get(`/api/v1/agencies?kind=${kind}&limit=1`)).json().total;
      expect(await count('ministry')).toBe(14);
      expect(await count('ministerial_agency')).toBe(3);
      expect(await count('province')).toBe(34);
      expect(await count('commune')).toBe(3321);
      const mof = (await get('/api/v1/agencies/000.00.00.G12')).json().agency;
      expect(mof.name_vi).toBe('Bộ Tài chính');
      expect(mof.code_status).toBe('attested');
      const hanoi = (await get('/api/v1/agencies?kind=province&q=Hà Nội')).json().agencies[0];
      const wards = (await get(`/api/v1/agencies?parent=${hanoi.id}&limit=1`)).json().total;
      expect(wards).toBeGreaterThan(100);
    });

    it('is idempotent: seeding again adds nothing', async () => {
      const again = await seedMasterData(h.db);
      expect(again.agencies).toBe(14 + 3 + 7 + 34 + 3321);
      expect(again.units).toBe(34 + 3321);
    });

    it('finds units without diacritics and shows one with the units it was formed from', async () => {
      const byPlain = (await get('/api/v1/units?q=hue&level=province')).json();
      expect(byPlain.units.map((u: { name: string }) => u.name)).toContain('Huế');
      const upper = (await get('/api/v1/units?q=BA%20DINH&level=commune')).json();
      expect(upper.units[0]).toMatchObject({ code: '00004', name: 'Ba Đình', province_code: '01' });
      const one = (await get('/api/v1/units/00004')).json();
      expect(one.province.name).toBe('Hà Nội');
      expect(one.formed_from.map((x: { name: string }) => x.name)).toEqual(
        expect.arrayContaining(['Phường Trúc Bạch', 'Phường Quán Thánh']),
      );
    });

    it('maps a pre-2025 commune and province to the new units (crosswalk)', async () => {
      const phucXa = (await get('/api/v1/units/crosswalk?old=00001')).json();
      expect(phucXa.old.name).toBe('Phường Phúc Xá');
      expect(phucXa.new).toEqual([
        expect.objectContaining({ code: '00097', full_name: 'Phường Hồng Hà', coverage: 'full' }),
      ]);
      const haiDuong = (await get('/api/v1/units/crosswalk?old=30')).json();
      expect(haiDuong.new.map((n: { full_name: string }) => n.full_name)).toContain('Thành phố Hải Phòng');
      const split = await h.db
        .selectFrom('unit_crosswalk')
        .select('old_code')
        .where('old_level', '=', 'commune')
        .groupBy('old_code')
        .having((eb) => eb.fn.countAll(), '>', 1)
        .limit(1)
        .executeTakeFirstOrThrow();
      const many = (await get(`/api/v1/units/crosswalk?old=${split.old_code}`)).json();
      expect(many.new.length).toBeGreaterThan(1);
      expect(many.new.some((n: { coverage: string }) => n.coverage === 'partial')).toBe(true);
    });

    it('answers unknown and malformed codes with clear errors', async () => {
      const unknown = await get('/api/v1/units/crosswalk?old=99999');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().error.en).toContain('99999');
      const malformed = await get("/api/v1/units/crosswalk?old=1' or '1'='1");
      expect(malformed.statusCode).toBe(400);
      expect(malformed.json().error.code).toBe('VALIDATION_FAILED');
      const english = await get('/api/v1/units/77777', { headers: { 'accept-language': 'en-GB,en' } });
      expect(english.json().error.message).toMatch(/not found/);
    });

    it('lists licences and themes (EU data themes and national sectors)', async () => {
      const licences = (await get('/api/v1/licences')).json().licences.map((l: { id: string }) => l.id);
      expect(licences).toEqual(expect.arrayContaining(['CC-BY-4.0', 'CC0-1.0', 'ODC-BY-1.0', 'ODbL-1.0']));
      const themes = (await get('/api/v1/themes')).json().themes;
      expect(themes.find((t: { id: string }) => t.id === 'AGRI').uri).toBe(
        'http://publications.europa.eu/resource/authority/data-theme/AGRI',
      );
    });

    it('lets only a platform admin create agencies, and validates the identifier code', async () => {
      const admin = await h.tokenFor('bo-tai-chinh', 'agency_admin');
      const body = { code: '000.00.00.G99', slug: 'test-agency', name_vi: 'Cơ quan thử', kind: 'other' };
      const byAgencyAdmin = await h.inject({
        method: 'POST',
        url: '/api/v1/agencies',
        headers: { authorization: `Bearer ${admin.token}` },
        payload: body,
      });
      expect(byAgencyAdmin.statusCode).toBe(403);
      await h.app.services.accounts.bootstrapUser({
        email: 'root@ndp.gov.vn',
        name: 'Root',
        password: 'root passphrase 123',
        platformAdmin: true,
      });
      const { cookie, csrf } = await h.signIn('root@ndp.gov.vn', 'root passphrase 123');
      const bad = await h.inject({
        method: 'POST',
        url: '/api/v1/agencies',
        headers: { cookie, 'x-csrf-token': csrf },
        payload: { ...body, code: 'G99' },
      });
      expect(bad.statusCode).toBe(400);
      const ok = await h.inject({
        method: 'POST',
        url: '/api/v1/agencies',
        headers: { cookie, 'x-csrf-token': csrf },
        payload: body,
      });
      expect(ok.statusCode).toBe(201);
      const dup = await h.inject({
        method: 'POST',
        url: '/api/v1/agencies',
        headers: { cookie, 'x-csrf-token': csrf },
        payload: body,
      });
      expect(dup.statusCode).toBe(409);
    });
  });
}
