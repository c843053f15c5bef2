import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError, notFound } from '../platform/errors.js';
import { recordAudit } from '../platform/audit.js';
import { queryWords } from '../platform/text.js';
import { actorOf, requirePlatformAdmin, type Principal } from '../accounts/principal.js';
import { PlaceNames } from './place-names.js';
import {
  MasterDataRepository,
  type AgencyRow,
  type LicenceRow,
  type ThemeRow,
  type UnitRow,
} from './masterdata.repository.js';

/** The rows this service returns, for the parts that use it (its repository stays private). */
export type { AgencyRow, UnitRow, CrosswalkRow, LicenceRow, ThemeRow } from './masterdata.repository.js';
export type { PlaceNames, PlaceLevel, Vintage, Resolution, Unresolved } from './place-names.js';
export { reasonText } from './place-names.js';

const CACHE_MS = 5 * 60_000;

const UNIT_TYPES = ['thanh pho', 'thi tran', 'thi xa', 'dac khu', 'phuong', 'huyen', 'quan', 'tinh', 'xa'];

/** “phuong phuc xa” → type “phuong”, proper name “phuc xa”. */
export function splitUnitType(folded: string): { type: string; proper: string } {
  const type = UNIT_TYPES.find((t) => folded === t || folded.startsWith(`${t} `));
  return type ? { type, proper: folded.slice(type.length).trim() } : { type: '', proper: folded };
}

export const AGENCY = { vi: 'cơ quan', en: 'Agency' };
const UNIT = { vi: 'đơn vị hành chính', en: 'Administrative unit' };

export interface AgencyInput {
  code: string;
  slug: string;
  name_vi: string;
  name_en?: string;
  abbreviation?: string;
  kind: string;
  parent_id?: string;
  unit_code?: string;
  website?: string;
  email?: string;
}

const CENTRAL = new Set(['ministry', 'ministerial_agency', 'government_agency']);

export interface AgencyBranch extends AgencyRow {
  children: AgencyRow[];
}
export interface AgencyHierarchy {
  central: AgencyBranch[];
  other: AgencyBranch[];
  provinces: (AgencyBranch & { communes: number })[];
}

export class MasterDataService {
  readonly repo: MasterDataRepository;
  private licenceCache: LicenceRow[] | null = null;
  private themeCache: ThemeRow[] | null = null;
  // Agencies and units change rarely and are read on every search page: kept
  // in memory, dropped on a change made here and at most CACHE_MS old otherwise
  // (another process may have changed them).
  private agencyCache: { at: number; byId: Map<string, AgencyRow> } | null = null;
  private unitCache: { at: number; byCode: Map<string, UnitRow> } | null = null;

  constructor(private readonly db: Kysely<any>) {
    this.repo = new MasterDataRepository(db);
  }

  async agency(key: string): Promise<AgencyRow> {
    const a = await this.repo.findAgency(key);
    if (!a) throw notFound(AGENCY, key);
    return a;
  }

  async agenciesByIds(ids: string[]): Promise<AgencyRow[]> {
    if (!this.agencyCache || Date.now() - this.agencyCache.at > CACHE_MS) {
      const { rows } = await this.repo.listAgencies({ limit: 1_000_000, offset: 0 });
      this.agencyCache = { at: Date.now(), byId: new Map(rows.map((a) => [a.id, a])) };
    }
    const cache = this.agencyCache.byId;
    const missing = ids.filter((id) => !cache.has(id));
    if (missing.length) for (const a of await this.repo.agenciesByIds(missing)) cache.set(a.id, a);
    return ids.flatMap((id) => (cache.has(id) ? [cache.get(id)!] : []));
  }

  async unitsByCodes(codes: string[]): Promise<UnitRow[]> {
    if (!this.unitCache || Date.now() - this.unitCache.at > CACHE_MS) {
      const { rows } = await this.repo.searchUnits({ foldedWords: [], limit: 1_000_000, offset: 0 });
      this.unitCache = { at: Date.now(), byCode: new Map(rows.map((u) => [u.code, u])) };
    }
    const cache = this.unitCache.byCode;
    return codes.flatMap((c) => (cache.has(c) ? [cache.get(c)!] : []));
  }

  async agencyExists(id: string): Promise<boolean> {
    return !!(await this.repo.findAgency(id));
  }

  listAgencies(f: { kind?: string; parentId?: string; q?: string; limit: number; offset: number }) {
    return this.repo.listAgencies(f);
  }

  /**
   * The state as a reader looks for it: ministries and ministerial and government agencies, each with the agencies
   * under it; provinces with how many communes each has (the 3,321 communes are listed per province, not here).
   */
  async agencyHierarchy(): Promise<AgencyHierarchy> {
    const [rows, communes] = await Promise.all([this.repo.agenciesAboveCommunes(5000), this.repo.communeCounts()]);
    const ids = new Set(rows.map((a) => a.id));
    const childrenOf = (id: string) => rows.filter((c) => c.parent_id === id && c.kind !== 'province');
    const top = rows.filter((a) => !a.parent_id || !ids.has(a.parent_id));
    return {
      central: top.filter((a) => CENTRAL.has(a.kind)).map((a) => ({ ...a, children: childrenOf(a.id) })),
      other: top.filter((a) => a.kind === 'other').map((a) => ({ ...a, children: childrenOf(a.id) })),
      provinces: top
        .filter((a) => a.kind === 'province')
        .map((a) => ({ ...a, children: childrenOf(a.id), communes: communes.get(a.id) ?? 0 })),
    };
  }

  async createAgency(p: Principal, input: AgencyInput): Promise<AgencyRow> {
    requirePlatformAdmin(p);
    if (await this.repo.findAgency(input.code))
      throw new DomainError('CONFLICT', {
        vi: `Mã định danh ${input.code} đã tồn tại.`,
        en: `Identifier code ${input.code} already exists.`,
      });
    if (await this.repo.findAgency(input.slug))
      throw new DomainError('CONFLICT', {
        vi: `Tên rút gọn ${input.slug} đã được dùng.`,
        en: `Slug ${input.slug} is taken.`,
      });
    if (input.parent_id) await this.agency(input.parent_id);
    return this.db.transaction().execute(async (trx) => {
      const row = await new MasterDataRepository(trx).insertAgency({
        id: randomUUID(),
        code: input.code,
        slug: input.slug,
        name_vi: input.name_vi,
        name_en: input.name_en ?? null,
        abbreviation: input.abbreviation ?? null,
        kind: input.kind,
        parent_id: input.parent_id ?? null,
        unit_code: input.unit_code ?? null,
        code_status: 'provisional',
        website: input.website ?? null,
        email: input.email ?? null,
      });
      this.agencyCache = null;
      await recordAudit(trx, actorOf(p), {
        action: 'agency.create',
        entityType: 'agency',
        entityId: row.id,
        agencyId: row.id,
        after: row,
      });
      return row;
    });
  }

  async updateAgency(p: Principal, id: string, patch: Partial<AgencyInput>): Promise<AgencyRow> {
    requirePlatformAdmin(p);
    const before = await this.agency(id);
    return this.db.transaction().execute(async (trx) => {
      const row = await new MasterDataRepository(trx).updateAgency(before.id, patch as Partial<AgencyRow>);
      this.agencyCache = null;
      await recordAudit(trx, actorOf(p), {
        action: 'agency.update',
        entityType: 'agency',
        entityId: row.id,
        agencyId: row.id,
        before,
        after: row,
      });
      return row;
    });
  }

  async unit(code: string) {
    const unit = await this.repo.findUnit(code);
    if (!unit) throw notFound(UNIT, code);
    const province = unit.province_code ? await this.repo.findUnit(unit.province_code) : undefined;
    return { unit, province, predecessors: await this.repo.predecessors(code) };
  }

  searchUnits(f: { q?: string; level?: string; province?: string; limit: number; offset: number }) {
    return this.repo.searchUnits({ ...f, foldedWords: f.q ? queryWords(f.q) : [] });
  }

  private oldUnitIndex: { code: string; name: string; level: string; type: string; proper: string }[] | null = null;

  /**
   * Pre-2025 units by name, diacritics or not: “phuc xa” finds “Phường Phúc Xá”.
   * The unit type (Phường, Xã, Huyện…) is matched apart from the proper name, so
   * “xa” in a query does not match every commune; exact names come first.
   */
  async findOldUnits(q: string, limit = 20): Promise<{ code: string; name: string; level: string }[]> {
    this.oldUnitIndex ??= (await this.repo.oldUnits()).map((u) => ({
      code: u.old_code,
      name: u.old_name,
      level: u.old_level,
      ...splitUnitType(queryWords(u.old_name).join(' ')),
    }));
    const query = splitUnitType(queryWords(q).join(' '));
    if (!query.proper) return [];
    const words = query.proper.split(' ');
    return this.oldUnitIndex
      .filter((u) => (!query.type || u.type === query.type) && words.every((w) => ` ${u.proper} `.includes(` ${w} `)))
      .sort(
        (a, b) => Number(b.proper === query.proper) - Number(a.proper === query.proper) || a.code.localeCompare(b.code),
      )
      .slice(0, limit)
      .map(({ code, name, level }) => ({ code, name, level }));
  }

  private placeNameCache: { at: number; names: Promise<PlaceNames> } | null = null;

  /**
   * The place-name matcher over the units of 2025, the crosswalk's old units and former names (`place-names.ts`),
   * built once and kept like the unit cache.
   */
  placeNames(): Promise<PlaceNames> {
    if (!this.placeNameCache || Date.now() - this.placeNameCache.at > CACHE_MS) {
      const names = this.repo.placeNameSources().then((s) => new PlaceNames(s));
      // a failed read is not kept: the next caller tries again
      names.catch(() => {
        if (this.placeNameCache?.names === names) this.placeNameCache = null;
      });
      this.placeNameCache = { at: Date.now(), names };
    }
    return this.placeNameCache.names;
  }

  /** Maps a pre-2025 unit code to the unit(s) that took it over. */
  async crosswalk(oldCode: string) {
    const rows = await this.repo.crosswalk(oldCode);
    if (!rows.length) throw notFound({ vi: 'mã đơn vị hành chính cũ', en: 'Pre-2025 unit code' }, oldCode);
    return rows;
  }

  /** Adds a licence to the register or changes one (platform admins). */
  async saveLicence(p: Principal, l: LicenceRow): Promise<LicenceRow> {
    requirePlatformAdmin(p);
    const before = (await this.repo.licences()).find((x) => x.id === l.id);
    const row = await this.db.transaction().execute(async (trx) => {
      const saved = await new MasterDataRepository(trx).upsertLicence(l);
      await recordAudit(trx, actorOf(p), {
        action: before ? 'licence.update' : 'licence.create',
        entityType: 'licence',
        entityId: l.id,
        before,
        after: saved,
      });
      return saved;
    });
    this.licenceCache = null;
    return row;
  }

  async licences(): Promise<LicenceRow[]> {
    return (this.licenceCache ??= await this.repo.licences());
  }

  async themes(): Promise<ThemeRow[]> {
    return (this.themeCache ??= await this.repo.themes());
  }
}
