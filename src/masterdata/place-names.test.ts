import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crosswalkRows, type UnitJson } from './seed.js';
import { PlaceNames, placeKey, type PlaceSources, type Resolution } from './place-names.js';

/*
 * The matcher over the real master data, read from the seed files as the seed reads them (no database): the 2025
 * unit list, the crosswalk built from the merge list, and the two former names migration 0027 inserts.
 */
const read = (name: string) => JSON.parse(fs.readFileSync(new URL(`../../data/seed/${name}`, import.meta.url), 'utf8'));
const unitList = read('vn_units_2025.json') as UnitJson[];
const merges = read('vn_mapping_2025_new_to_old.json').data;

function seedSources(): PlaceSources {
  const units: PlaceSources['units'] = unitList.flatMap((p) => [
    {
      code: p.Code,
      level: 'province' as const,
      name: p.Name,
      full_name: p.FullName,
      name_en: p.NameEn,
      full_name_en: p.FullNameEn,
      type_name: p.AdministrativeUnitFullName,
      province_code: null,
    },
    ...(p.Wards ?? []).map((w) => ({
      code: w.Code,
      level: 'commune' as const,
      name: w.Name,
      full_name: w.FullName,
      name_en: w.NameEn,
      full_name_en: w.FullNameEn,
      type_name: w.AdministrativeUnitFullName,
      province_code: p.Code,
    })),
  ]);
  const provinceOf = new Map(units.map((u) => [u.code, u.province_code ?? u.code]));
  const old = new Map<string, PlaceSources['old'][number]>();
  for (const r of crosswalkRows(unitList, merges)) {
    if (r.old_level === 'district') continue;
    const key = `${r.old_level}:${r.old_code}`;
    const o = old.get(key) ?? {
      code: r.old_code,
      name: r.old_name,
      level: r.old_level as 'province' | 'commune',
      becomes: [],
      provinces: [],
      disputed: false,
    };
    o.becomes.push(r.new_code);
    const province = provinceOf.get(r.new_code)!;
    if (!o.provinces.includes(province)) o.provinces.push(province);
    o.disputed ||= r.disputed;
    old.set(key, o);
  }
  return {
    units,
    old: [...old.values()],
    former: [
      { name: 'Tỉnh Hà Tây', level: 'province', old_code: '01', until: '2008-08-01' },
      { name: 'Tỉnh Thừa Thiên Huế', level: 'province', old_code: '46', until: '2025-01-01' },
    ],
  };
}

const names = new PlaceNames(seedSources());
const codeOf = (r: Resolution) => ('code' in r ? r.code : r.reason);
const province = (value: string, target: '2025' | 'pre-2025' = '2025') =>
  codeOf(names.resolve(value, 'province', { prefer: 'pre-2025', target }));
const commune = (value: string, within?: string, prefer: '2025' | 'pre-2025' = '2025') =>
  codeOf(names.resolve(value, 'commune', { prefer, target: '2025', within }));

describe('place names: provinces', () => {
  it('reads the spellings real tables use: case, diacritics or none, prefixes, hyphens, initials', () => {
    const expected: [string, string][] = [
      ['Ha Tay', '01'],
      ['Thua Thien-Hue', '46'],
      ['TP. Hồ Chí Minh', '79'],
      ['Hà Nội', '01'],
      ['HA NOI', '01'],
      ['ha noi', '01'],
      ['Hanoi', '01'],
      ['Thành phố Hà Nội', '01'],
      ['TP Hà Nội', '01'],
      ['TP.HCM', '79'],
      ['TPHCM', '79'],
      ['Ho Chi Minh City', '79'],
      ['Thừa Thiên Huế', '46'],
      ['Thua Thien - Hue', '46'],
      ['Huế', '46'],
      ['Tỉnh Đắk Lắk', '66'],
      ['Dak Lak', '66'],
      ['Đăk Lăk', '66'],
      ['Daklak', '66'],
      ['Khánh Hoà', '56'],
      ['Khánh Hòa', '56'],
      ['An\u00a0Giang', '91'],
      ['  t. nghệ an ', '40'],
      ['Kon Tum', '51'],
    ];
    expect(expected.map(([v]) => [v, province(v)])).toEqual(expected);
  });

  it('maps a province merged in 2025 to the one it joined, or keeps its own code when the publisher asks', () => {
    expect(province('Hà Giang')).toBe('08');
    expect(province('Hà Giang', 'pre-2025')).toBe('02');
    expect(province('Bà Rịa - Vũng Tàu')).toBe('79');
    expect(province('BR-VT', 'pre-2025')).toBe('77');
    expect(province('Tỉnh Quảng Nam')).toBe('48');
    expect(province('Hà Tây', 'pre-2025')).toBe('01');
  });

  it('says when a name is no province rather than guess', () => {
    expect(province('Xyz')).toBe('unknown');
    expect(province('')).toBe('unknown');
    expect(province('Hà')).toBe('unknown');
  });

  it('reads every province of the 2019 census (names with no-break spaces) and of geoBoundaries', () => {
    const census = fs
      .readFileSync(new URL('../../test/fixtures/census2019_population_by_district.csv', import.meta.url), 'utf8')
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .flatMap((line) => line.split(',').slice(1, 3));
    const shapes = ['TP. Ho Chi Minh', 'Thua Thien - Hue', 'Ba Ria - Vung Tau', 'Dak Nong', 'Bac Kan'];
    const unread = [...new Set([...census, ...shapes])].filter((v) => !/^\d\d$/.test(province(v)));
    expect(unread).toEqual([]);
    expect(new Set(census).size).toBeGreaterThan(63);
  });
});

describe('place names: communes', () => {
  /** a 2025 commune name that two provinces have */
  const repeated = (() => {
    const seen = new Map<string, { province: string; code: string }[]>();
    for (const p of unitList)
      for (const w of p.Wards ?? []) {
        const list = seen.get(placeKey(w.FullName)) ?? [];
        list.push({ province: p.Code, code: w.Code });
        seen.set(placeKey(w.FullName), list);
      }
    for (const p of unitList)
      for (const w of p.Wards ?? []) {
        const list = seen.get(placeKey(w.FullName))!;
        if (list.length === 2 && list[0]!.province !== list[1]!.province) return { name: w.FullName, list };
      }
    throw new Error('no repeated name');
  })();

  it('matches a 2025 commune by its name with or without its type, in Vietnamese or English', () => {
    expect(commune('Phường Ba Đình', '01')).toBe('00004');
    expect(commune('P. Ba Đình', '01')).toBe('00004');
    expect(commune('ba dinh', '01')).toBe('00004');
    expect(commune('Ba Dinh Ward')).toBe('00004');
  });

  it('never guesses between two communes of one name: the province tells them apart', () => {
    expect(commune(repeated.name)).toBe('ambiguous');
    for (const { province: p, code } of repeated.list) expect(commune(repeated.name, p)).toBe(code);
    expect(commune('Phường Ba Đình', '79')).toBe('not_in_province');
    // codes and counts are no names, though wards are numbered: `Phường 1` needs its type
    expect(commune('1')).toBe('unknown');
    expect(commune('01')).toBe('unknown');
    expect(province('79')).toBe('unknown');
  });

  it('reads the GSO list of 1 July 2025 (CV 1027) against the register: diacritics tell near names apart', () => {
    // names that fold alike: the marks decide, wherever a tone sits (Hoà, Hòa); without them, no guess
    expect(commune('Xã Văn Lăng', '19')).toBe('05665');
    expect(commune('Xã Văn Lang', '19')).toBe('02143');
    expect(commune('Xa Van Lang', '19')).toBe('ambiguous');
    expect(commune('Xã Sơn Hạ', '51')).toBe('21292');
    expect(commune('Xã Sơn Hà', '51')).toBe('21289');
    expect(commune('Xã Lương Hòa', '80')).toBe('28003');
    expect(commune('Xã Lương Hoà', '80')).toBe('28003');
    // a xã of 1 July 2025 that the register (2026) lists as a phường is still found by its proper name
    expect(commune('Xã Long Thành', '75')).toBe('26368');
  });

  it('maps a pre-2025 commune to the one it became, and says when it was split', () => {
    // Phường Phúc Xá (00001) joined Phường Hồng Hà (00097) in 2025
    expect(commune('Phường Phúc Xá', '01', 'pre-2025')).toBe('00097');
    expect(commune('Phuc Xa', '01', 'pre-2025')).toBe('00097');
    // or keeps its own code when the pre-2025 codes are wanted; a unit new in 2025 has none
    const old = (v: string) =>
      codeOf(names.resolve(v, 'commune', { prefer: 'pre-2025', target: 'pre-2025', within: '01' }));
    expect(old('Phường Phúc Xá')).toBe('00001');
    expect(old('Phường Hồng Hà')).toBe('no_pre2025_code');
    const split = seedSources().old.find(
      (o) =>
        o.level === 'commune' && o.becomes.length === 2 && !o.disputed && names.find(o.name, 'commune').length === 1,
    )!;
    const r = names.resolve(split.name, 'commune', { prefer: 'pre-2025', target: '2025' });
    expect(r).toMatchObject({ reason: 'split' });
    expect('candidates' in r && r.candidates.map((c) => c.code).sort()).toEqual([...split.becomes].sort());
  });

  it('finds every commune of the GSO list of 1 July 2025 (CV 1027) by its name within its province', () => {
    const text = fs.readFileSync(
      new URL('../../test/fixtures/vn_communes_2025_gso_cv1027.md', import.meta.url),
      'utf8',
    );
    const rows = text
      .split('\n')
      .map((line) => line.split('|').map((cell) => cell.replace(/<br>/g, ' ').trim()))
      .filter((c) => c.length >= 5 && /^\d{5}$/.test(c[2]!));
    expect(rows).toHaveLength(3321);
    const wrong = rows.flatMap(([, , code, name, provinceName]) => {
      const p = province(provinceName!);
      const got = commune(name!, /^\d\d$/.test(p) ? p : undefined);
      return got === code ? [] : [`${code} ${name} → ${got}`];
    });
    // the two communes whose code the register and the merge list dispute (data/seed/SOURCES.md): the register's wins
    expect(wrong).toEqual(['06970 Xã Ba Chẽ → 06978', '23737 Xã Ia Mơ → 23938']);
  });
});
