import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { crosswalkRows, seedMasterData } from './seed.js';

const SOURCE = new URL('../../data/seed/vn_mapping_2025_new_to_old.json', import.meta.url);
const UNITS = new URL('../../data/seed/vn_units_2025.json', import.meta.url);
interface Merge {
  old_id: string;
  name: string;
  type: 'full' | 'partial';
}
const merges = JSON.parse(fs.readFileSync(SOURCE, 'utf8')).data as {
  level1_id: string;
  name: string;
  merges: Merge[];
  level2s: { level2_id: string; name: string; merges: Merge[] }[];
}[];
const units = JSON.parse(fs.readFileSync(UNITS, 'utf8'));

/** Every old commune of the merge list, with the new codes the list gives it. */
const oldCommunes = new Map<string, Set<string>>();
for (const p of merges)
  for (const c of p.level2s)
    for (const m of c.merges)
      if (m.old_id.length === 5)
        (oldCommunes.get(m.old_id) ?? oldCommunes.set(m.old_id, new Set()).get(m.old_id)!).add(c.level2_id);

/** Issue 18.9: the 2025 crosswalk keeps every old commune of its source, and says where its two sources disagree. */
for (const driver of testDrivers()) {
  describe(`the 2025 crosswalk on ${driver.name}`, () => {
    let h: Harness;
    const get = (url: string) => h.inject({ method: 'GET', url });
    beforeAll(async () => {
      h = await startHarness(driver);
    });
    afterAll(() => h.close());

    it('maps every old commune of the source list (each asked through the API)', async () => {
      expect(oldCommunes.size).toBeGreaterThan(10_000);
      const missing: string[] = [];
      const wrong: string[] = [];
      const ask = async ([old, expected]: [string, Set<string>]) => {
        const res = await get(`/api/v1/units/crosswalk?old=${old}`);
        if (res.statusCode !== 200) return missing.push(old);
        // every new code the source gives is there, as the new unit or as one of a disputed row's candidates
        const given = new Set<string>(
          res
            .json()
            .new.flatMap((n: { code: string; candidates?: { code: string }[] }) => [
              n.code,
              ...(n.candidates ?? []).map((c) => c.code),
            ]),
        );
        if ([...expected].some((code) => !given.has(code))) wrong.push(old);
      };
      const all = [...oldCommunes];
      for (let i = 0; i < all.length; i += 50) await Promise.all(all.slice(i, i + 50).map(ask));
      expect(missing).toEqual([]);
      expect(wrong).toEqual([]);
    }, 180_000);

    it('keeps both candidates where the two sources disagree on the new code, marked, in both languages', async () => {
      for (const [old, unitList, mergeList] of [
        ['06970', '06978', '06970'],
        ['06973', '06978', '06970'],
        ['06982', '06978', '06970'],
        ['06988', '06978', '06970'],
        ['23938', '23938', '23737'],
      ] as const) {
        const res = await get(`/api/v1/units/crosswalk?old=${old}`);
        expect(res.statusCode).toBe(200);
        const disputed = res.json().new.filter((n: { disputed: boolean }) => n.disputed);
        expect(disputed).toHaveLength(1);
        expect(disputed[0]).toMatchObject({
          code: unitList,
          disputed: true,
          candidates: [
            { code: unitList, source: 'vn_units_2025.json' },
            { code: mergeList, source: 'vn_mapping_2025_new_to_old.json' },
          ],
        });
        expect(disputed[0].note.vi).toContain(mergeList);
        expect(disputed[0].note.en).toContain(mergeList);
      }
      const agreed = (await get('/api/v1/units/crosswalk?old=00001')).json().new[0];
      expect(agreed).toMatchObject({ code: '00097', disputed: false, candidates: [] });
      const vi = await get('/units?old=06970');
      expect(vi.statusCode).toBe(200);
      expect(vi.body).toContain('06978');
      expect(vi.body).toContain('Hai nguồn dữ liệu không thống nhất');
      const en = await get('/units?old=06970&lang=en');
      expect(en.body).toContain('The two sources disagree');
    });

    it('seeds again without change, and refuses sources it cannot reconcile rather than drop a row', async () => {
      const before = await h.db
        .selectFrom('unit_crosswalk')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      const again = await seedMasterData(h.db);
      expect(again.crosswalk).toBe(Number(before!.n));
      const broken = structuredClone(merges);
      // a new code the unit list lacks, under a name it has: the same unit, kept and marked
      broken[0]!.level2s[0]!.level2_id = '99998';
      const kept = crosswalkRows(units, broken).filter((r) => r.candidates?.includes('99998'));
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.every((r) => r.new_code === '00004' && r.disputed)).toBe(true);
      // and one under a name it does not have either: the seed stops and names it
      broken[0]!.level2s[1]!.level2_id = '99999';
      broken[0]!.level2s[1]!.name = 'Phường Không Có';
      expect(() => crosswalkRows(units, broken)).toThrow(/99999 Phường Không Có/);
    });
  });
}
