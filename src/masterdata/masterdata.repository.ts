import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { PlaceSources } from './place-names.js';
import { foldedRegex } from '../platform/text.js';

export interface AgencyRow {
  id: string;
  code: string;
  slug: string;
  name_vi: string;
  name_en: string | null;
  abbreviation: string | null;
  kind: string;
  parent_id: string | null;
  unit_code: string | null;
  code_status: string;
  website: string | null;
  email: string | null;
  created_at: Date;
  updated_at: Date;
}
export interface UnitRow {
  code: string;
  level: 'province' | 'commune';
  name: string;
  name_en: string | null;
  full_name: string;
  full_name_en: string | null;
  type_name: string;
  type_name_en: string | null;
  province_code: string | null;
}
export interface CrosswalkRow {
  old_code: string;
  old_name: string;
  old_level: string;
  new_code: string;
  coverage: 'full' | 'partial';
  /** the two seed sources disagree on the new code; `candidates` holds the unit list's, then the merge list's */
  disputed: boolean;
  candidates: string[] | null;
  new_name: string;
  new_full_name: string;
  new_province_code: string | null;
}
export interface LicenceRow {
  id: string;
  title_vi: string;
  title_en: string;
  url: string;
  is_open: boolean;
}
export interface ThemeRow {
  id: string;
  vocabulary: 'eu' | 'vn';
  label_vi: string;
  label_en: string;
}

const UNIT_COLUMNS = [
  'code',
  'level',
  'name',
  'name_en',
  'full_name',
  'full_name_en',
  'type_name',
  'type_name_en',
  'province_code',
] as const;

/** Agencies listed as the state is read: ministries first, the 3,321 communes last (never alphabetical by kind). */
const kindRank = (eb: ExpressionBuilder<any, 'agencies'>) =>
  eb
    .case()
    .when('kind', '=', 'ministry')
    .then(0)
    .when('kind', '=', 'ministerial_agency')
    .then(1)
    .when('kind', '=', 'government_agency')
    .then(2)
    .when('kind', '=', 'other')
    .then(3)
    .when('kind', '=', 'province')
    .then(4)
    .else(5)
    .end();

export class MasterDataRepository {
  constructor(private readonly db: Kysely<any>) {}

  findAgency(key: string): Promise<AgencyRow | undefined> {
    const isUuid = /^[0-9a-f-]{36}$/i.test(key);
    return this.db
      .selectFrom('agencies')
      .selectAll()
      .where((eb) => (isUuid ? eb('id', '=', key) : eb.or([eb('slug', '=', key), eb('code', '=', key)])))
      .executeTakeFirst() as Promise<AgencyRow | undefined>;
  }

  agenciesByIds(ids: string[]): Promise<AgencyRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db.selectFrom('agencies').selectAll().where('id', 'in', ids).execute() as Promise<AgencyRow[]>;
  }

  async listAgencies(f: {
    kind?: string;
    parentId?: string;
    q?: string;
    limit: number;
    offset: number;
  }): Promise<{ rows: AgencyRow[]; total: number }> {
    let q = this.db.selectFrom('agencies');
    if (f.kind) q = q.where('kind', '=', f.kind);
    if (f.parentId) q = q.where('parent_id', '=', f.parentId);
    if (f.q) {
      // names folded as the catalog search folds them: "tai chinh" and "TÀI CHÍNH" find Bộ Tài chính
      const like = foldedRegex(`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      q = q.where((eb) =>
        eb.or([
          eb('name_vi', '~', like),
          eb('name_en', '~', like),
          eb('abbreviation', '~', like),
          eb('code', '~', like),
          eb('slug', '~', like),
        ]),
      );
    }
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const rows = (await q
      .selectAll()
      .orderBy(kindRank)
      .orderBy('code')
      .limit(f.limit)
      .offset(f.offset)
      .execute()) as AgencyRow[];
    return { rows, total };
  }

  /** Every agency but communes (ministries, agencies, provinces: under a hundred in the seed), in the list's order. */
  async agenciesAboveCommunes(limit: number): Promise<AgencyRow[]> {
    return (await this.db
      .selectFrom('agencies')
      .selectAll()
      .where('kind', '<>', 'commune')
      .orderBy(kindRank)
      .orderBy('code')
      .limit(limit)
      .execute()) as AgencyRow[];
  }

  /** How many communes each agency (a province) is parent of. */
  async communeCounts(): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('agencies')
      .select(['parent_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('kind', '=', 'commune')
      .where('parent_id', 'is not', null)
      .groupBy('parent_id')
      .execute();
    return new Map(rows.map((r) => [r.parent_id as string, Number(r.n)]));
  }

  async insertAgency(row: Omit<AgencyRow, 'created_at' | 'updated_at'>): Promise<AgencyRow> {
    return (await this.db.insertInto('agencies').values(row).returningAll().executeTakeFirstOrThrow()) as AgencyRow;
  }

  async updateAgency(id: string, patch: Partial<AgencyRow>): Promise<AgencyRow> {
    return (await this.db
      .updateTable('agencies')
      .set({ ...patch, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()) as AgencyRow;
  }

  findUnit(code: string): Promise<UnitRow | undefined> {
    return this.db
      .selectFrom('admin_units')
      .select([...UNIT_COLUMNS])
      .where('code', '=', code)
      .executeTakeFirst();
  }

  unitsByCodes(codes: string[]): Promise<UnitRow[]> {
    if (!codes.length) return Promise.resolve([]);
    return this.db
      .selectFrom('admin_units')
      .select([...UNIT_COLUMNS])
      .where('code', 'in', codes)
      .execute();
  }

  async searchUnits(f: {
    foldedWords: string[];
    level?: string;
    province?: string;
    limit: number;
    offset: number;
  }): Promise<{ rows: UnitRow[]; total: number }> {
    let q = this.db.selectFrom('admin_units');
    for (const w of f.foldedWords) q = q.where('search_text', 'like', `%${w}%`);
    if (f.level) q = q.where('level', '=', f.level);
    if (f.province) q = q.where('province_code', '=', f.province);
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const rows = await q
      .select([...UNIT_COLUMNS])
      .orderBy('level', 'desc')
      .orderBy('code')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    return { rows, total };
  }

  crosswalk(oldCode: string): Promise<CrosswalkRow[]> {
    return this.db
      .selectFrom('unit_crosswalk as x')
      .innerJoin('admin_units as u', 'u.code', 'x.new_code')
      .select([
        'x.old_code',
        'x.old_name',
        'x.old_level',
        'x.new_code',
        'x.coverage',
        'x.disputed',
        'x.candidates',
        'u.name as new_name',
        'u.full_name as new_full_name',
        'u.province_code as new_province_code',
      ])
      .where('x.old_code', '=', oldCode)
      .orderBy('x.old_level')
      .orderBy('x.new_code')
      .execute();
  }

  oldUnits(): Promise<{ old_code: string; old_name: string; old_level: string }[]> {
    return this.db
      .selectFrom('unit_crosswalk')
      .select(['old_code', 'old_name', 'old_level'])
      .distinct()
      .orderBy('old_code')
      .execute() as Promise<{ old_code: string; old_name: string; old_level: string }[]>;
  }

  predecessors(newCode: string) {
    return this.db
      .selectFrom('unit_crosswalk')
      .select(['old_code', 'old_name', 'old_level', 'coverage', 'disputed', 'candidates'])
      .where('new_code', '=', newCode)
      .orderBy('old_code')
      .execute();
  }

  /** Everything the place-name matcher reads: 2025 units, the crosswalk's old units with what they became, former names. */
  async placeNameSources(): Promise<PlaceSources> {
    const units = (await this.db
      .selectFrom('admin_units')
      .select(['code', 'level', 'name', 'full_name', 'name_en', 'full_name_en', 'type_name', 'province_code'])
      .execute()) as PlaceSources['units'];
    const old = await sql<PlaceSources['old'][number]>`
      select x.old_code as code, min(x.old_name) as name, x.old_level as level,
        array_agg(distinct x.new_code) as becomes,
        array_agg(distinct coalesce(u.province_code, u.code)) as provinces,
        bool_or(x.disputed) as disputed
      from unit_crosswalk x join admin_units u on u.code = x.new_code
      where x.old_level in ('province', 'commune')
      group by x.old_code, x.old_level`.execute(this.db);
    const former = (await this.db
      .selectFrom('unit_former_names')
      .select(['name', 'level', 'old_code', sql<string>`to_char(until, 'YYYY-MM-DD')`.as('until')])
      .execute()) as PlaceSources['former'];
    return { units, old: old.rows, former };
  }

  licences(): Promise<LicenceRow[]> {
    return this.db.selectFrom('licences').selectAll().orderBy('id').execute() as Promise<LicenceRow[]>;
  }

  async upsertLicence(l: LicenceRow): Promise<LicenceRow> {
    return (await this.db
      .insertInto('licences')
      .values(l)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({ title_vi: l.title_vi, title_en: l.title_en, url: l.url, is_open: l.is_open }),
      )
      .returningAll()
      .executeTakeFirstOrThrow()) as LicenceRow;
  }

  themes(): Promise<ThemeRow[]> {
    return this.db.selectFrom('themes').selectAll().orderBy('vocabulary').orderBy('id').execute() as Promise<
      ThemeRow[]
    >;
  }

  async counts() {
    const r = await sql<{
      agencies: number;
      units: number;
    }>`select (select count(*)::int from agencies) as agencies, (select count(*)::int from admin_units) as units`.execute(
      this.db,
    );
    return r.rows[0]!;
  }
}
