import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { fold, slugify } from '../platform/text.js';
import { LICENCES, THEMES } from './vocabularies.js';

const SEED_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../data/seed');

/** A province (with its communes, `Wards`) or a commune of the unit list, as `vn_units_2025.json` writes it. */
export interface UnitJson {
  Code: string;
  Name: string;
  NameEn: string;
  FullName: string;
  FullNameEn: string;
  AdministrativeUnitFullName: string;
  AdministrativeUnitFullNameEn: string;
  Wards?: UnitJson[];
}
interface MergeJson {
  level1_id: string;
  name: string;
  merges: { old_id: string; name: string; type: 'full' | 'partial' }[];
  level2s: { level2_id: string; name: string; merges: { old_id: string; name: string; type: 'full' | 'partial' }[] }[];
}

export type SeedProgress = (step: string, done: number, total: number) => void;

const readJson = <T>(name: string): T => JSON.parse(fs.readFileSync(path.join(SEED_DIR, name), 'utf8')) as T;

async function insertBatched(
  trx: Kysely<any>,
  table: string,
  rows: Record<string, unknown>[],
  conflict: string[],
  progress?: () => void,
) {
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(conflict as any).doNothing())
      .execute();
    progress?.();
  }
}

/** Old code's level, told by its length: 2 digits province, 3 district, 5 commune. */
const oldLevel = (code: string) => (code.length === 2 ? 'province' : code.length === 3 ? 'district' : 'commune');

export interface CrosswalkSeedRow {
  old_code: string;
  old_name: string;
  old_level: string;
  old_province_code: string | null;
  new_code: string;
  coverage: 'full' | 'partial';
  disputed: boolean;
  /** when the sources disagree: the unit list's code, then the merge list's */
  candidates: string[] | null;
}

/**
 * The crosswalk rows of the merge list, each pointing at a unit of the unit list. Where the merge list gives a new
 * code the unit list does not have, the unit list's unit of the same name in the same province that the merge list
 * never names is the same unit under another code: its rows are kept, marked disputed with both codes. A row that
 * matches no unit stops the seed, naming it: a seed never drops a row without saying so.
 */
export function crosswalkRows(units: UnitJson[], merges: MergeJson[]): CrosswalkSeedRow[] {
  const known = new Set(units.flatMap((p) => [p.Code, ...(p.Wards ?? []).map((w) => w.Code)]));
  const named = new Set(merges.flatMap((p) => p.level2s.map((c) => c.level2_id)));
  const rows: CrosswalkSeedRow[] = [];
  const unmatched: string[] = [];
  for (const p of merges) {
    if (!known.has(p.level1_id)) unmatched.push(`${p.level1_id} ${p.name}`);
    for (const m of p.merges)
      rows.push({
        old_code: m.old_id,
        old_name: m.name,
        old_level: 'province',
        old_province_code: m.old_id,
        new_code: p.level1_id,
        coverage: m.type,
        disputed: false,
        candidates: null,
      });
    for (const c of p.level2s) {
      let newCode = c.level2_id;
      let candidates: string[] | null = null;
      if (!known.has(c.level2_id)) {
        const same = (units.find((u) => u.Code === p.level1_id)?.Wards ?? []).filter(
          (w) => fold(w.FullName) === fold(c.name) && !named.has(w.Code),
        );
        if (same.length !== 1) {
          unmatched.push(`${c.level2_id} ${c.name} (${c.merges.map((m) => m.old_id).join(', ')})`);
          continue;
        }
        newCode = same[0]!.Code;
        candidates = [newCode, c.level2_id];
      }
      for (const m of c.merges)
        rows.push({
          old_code: m.old_id,
          old_name: m.name,
          old_level: oldLevel(m.old_id),
          old_province_code: null,
          new_code: newCode,
          coverage: m.type,
          disputed: candidates !== null,
          candidates,
        });
    }
  }
  if (unmatched.length)
    throw new Error(
      `The merge list names new units the unit list does not have, and no unit of the same name matches them: ${unmatched.join('; ')}. Reconcile data/seed/ (see SOURCES.md); nothing was seeded.`,
    );
  return rows;
}

/**
 * Loads master data idempotently, in one transaction: running it twice changes
 * nothing, and a failure leaves the previous state.
 */
export async function seedMasterData(
  db: Kysely<any>,
  progress: SeedProgress = () => {},
): Promise<{ units: number; agencies: number; crosswalk: number }> {
  const units = readJson<UnitJson[]>('vn_units_2025.json');
  const merges = readJson<{ data: MergeJson[] }>('vn_mapping_2025_new_to_old.json').data;
  const central = readJson<{ agencies: Record<string, string>[] }>('agencies_central.json').agencies;

  return db.transaction().execute(async (trx) => {
    await insertBatched(
      trx,
      'licences',
      LICENCES.map((l) => ({ ...l })),
      ['id'],
    );
    await insertBatched(trx, 'themes', THEMES, ['id']);

    const provinces = units.map((p) => ({
      code: p.Code,
      level: 'province',
      name: p.Name,
      name_en: p.NameEn,
      full_name: p.FullName,
      full_name_en: p.FullNameEn,
      type_name: p.AdministrativeUnitFullName,
      type_name_en: p.AdministrativeUnitFullNameEn,
      province_code: null,
      search_text: fold(`${p.FullName} ${p.FullNameEn}`),
    }));
    const communes = units.flatMap((p) =>
      (p.Wards ?? []).map((w) => ({
        code: w.Code,
        level: 'commune',
        name: w.Name,
        name_en: w.NameEn,
        full_name: w.FullName,
        full_name_en: w.FullNameEn,
        type_name: w.AdministrativeUnitFullName,
        type_name_en: w.AdministrativeUnitFullNameEn,
        province_code: p.Code,
        search_text: fold(`${w.FullName} ${w.FullNameEn} ${p.FullName}`),
      })),
    );
    await insertBatched(trx, 'admin_units', provinces, ['code']);
    await insertBatched(trx, 'admin_units', communes, ['code'], () => progress('units', 0, communes.length));
    const crosswalk = crosswalkRows(units, merges);
    for (let i = 0; i < crosswalk.length; i += 500) {
      // sources win over what an earlier seed stored: a re-seed with the same files changes nothing
      await trx
        .insertInto('unit_crosswalk')
        .values(crosswalk.slice(i, i + 500))
        .onConflict((oc) =>
          oc.columns(['old_code', 'old_level', 'new_code']).doUpdateSet((eb) => ({
            old_name: eb.ref('excluded.old_name'),
            coverage: eb.ref('excluded.coverage'),
            disputed: eb.ref('excluded.disputed'),
            candidates: eb.ref('excluded.candidates'),
          })),
        )
        .execute();
      progress('crosswalk', i, crosswalk.length);
    }

    const existing = new Set((await trx.selectFrom('agencies').select('code').execute()).map((r) => r.code as string));
    const agencies: Record<string, unknown>[] = [];
    for (const a of central) {
      if (!existing.has(a.code!))
        agencies.push({
          id: randomUUID(),
          ...a,
          abbreviation: a.abbreviation ?? null,
          parent_id: null,
          unit_code: null,
        });
    }
    const provinceAgencyIds = new Map<string, string>();
    for (const p of units) {
      const code = `000.00.00.H${p.Code}`;
      const id = randomUUID();
      provinceAgencyIds.set(p.Code, id);
      if (!existing.has(code)) {
        agencies.push({
          id,
          code,
          slug: slugify(p.FullName),
          kind: 'province',
          name_vi: `Ủy ban nhân dân ${p.FullName}`,
          name_en: `People's Committee of ${p.FullNameEn}`,
          parent_id: null,
          unit_code: p.Code,
          code_status: 'provisional',
        });
      }
    }
    await insertBatched(trx, 'agencies', agencies, ['code']);
    // Parents must point at the stored province agency, whether made now or before.
    const stored = await trx
      .selectFrom('agencies')
      .select(['id', 'unit_code'])
      .where('kind', '=', 'province')
      .execute();
    for (const r of stored) provinceAgencyIds.set(r.unit_code as string, r.id as string);
    const communeAgencies: Record<string, unknown>[] = [];
    for (const p of units) {
      for (const w of p.Wards ?? []) {
        const code = `${w.Code.slice(0, 3)}.${w.Code.slice(3)}.00.H${p.Code}`;
        if (existing.has(code)) continue;
        communeAgencies.push({
          id: randomUUID(),
          code,
          slug: `${slugify(w.FullName)}-${w.Code}`,
          kind: 'commune',
          name_vi: `Ủy ban nhân dân ${w.FullName}, ${p.FullName}`,
          name_en: `People's Committee of ${w.FullNameEn}, ${p.FullNameEn}`,
          parent_id: provinceAgencyIds.get(p.Code),
          unit_code: w.Code,
          code_status: 'provisional',
        });
      }
    }
    await insertBatched(trx, 'agencies', communeAgencies, ['code'], () =>
      progress('agencies', 0, communeAgencies.length),
    );
    const count = async (t: string) =>
      Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(t)}`.execute(trx)).rows[0]!.n);
    return {
      units: await count('admin_units'),
      agencies: await count('agencies'),
      crosswalk: await count('unit_crosswalk'),
    };
  });
}
