import type { Kysely } from 'kysely';
import { DomainError, notFound } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { ANONYMOUS, actorOf, requireAgencyRole, type Principal } from '../../accounts/principal.js';
import type { DatasetsService } from '../../catalog/datasets.service.js';
import type { PlaceLevel, PlaceNames, Vintage } from '../../masterdata/masterdata.service.js';
import type { DatastoreService } from '../query/datastore.service.js';
import type { LoadedColumn } from '../load/loader.js';
import {
  codeColumnName,
  looksLikePlaces,
  recognisePlaces,
  tally,
  type PlaceColumn,
  type ValueCount,
} from './recognise.js';
import { mapToCodes, type Unresolvable } from './code-column.js';
import { PlacesRepository, type PlaceTable } from './places.repository.js';

/** Distinct values read from one column to recognise it: a column with more is no column of places. */
const RECOGNISE_DISTINCT = 20_000;
/** Rows read from each text column first: a column fewer than half of whose first rows are place names is skipped. */
const SAMPLE = 1000;
/** Distinct names (or name and province pairs) one derivation maps: bounds what one request may cost. */
const MAP_DISTINCT = 50_000;
/** PostgreSQL's lock_not_available: the lock timeout ran out. */
const LOCK_NOT_AVAILABLE = '55P03';
/** Unresolved names kept in the report and returned. */
const LISTED = 100;

/** A code column added to a version: what it was derived from, and what it left empty and why. */
export interface DerivedColumn {
  column: string;
  source: string;
  level: PlaceLevel;
  /** the vintage of the codes */
  vintage: Vintage;
  /** the vintage the names were read in */
  names_vintage: Vintage;
  province_column: string | null;
  rows_filled: number;
  rows_empty: number;
  /** distinct names (or pairs) left empty, and the first of them, most rows first */
  unresolved_count: number;
  unresolved: Unresolvable[];
  added_at: string;
  /** added again after a load, as the publisher asked for it on this earlier version */
  carried_from?: number;
}

/** The `places` section of a version's report. */
export interface PlacesReport {
  columns: PlaceColumn[];
  derived: DerivedColumn[];
}

/** The place columns of a file's current version, as the API and the load report show them. */
export type PlacesView = PlacesReport & { version: number };

export interface AddCodeColumn {
  column: string;
  level?: PlaceLevel;
  vintage?: Vintage;
  province_column?: string | null;
  name?: string;
}

const TABLE = { vi: 'bảng dữ liệu của tệp', en: 'DataStore table of resource' };
const NAME = /^[a-z_][a-z0-9_]{0,49}$/;
const invalid = (vi: string, en: string) => new DomainError('VALIDATION_FAILED', { vi, en });

/**
 * Place-name columns of a file's current table: recognised (and kept in the version's report), and turned into a
 * GSO code column on the publisher's word.
 */
export class PlacesService {
  private readonly repo: PlacesRepository;
  constructor(
    private readonly db: Kysely<any>,
    private readonly datasets: DatasetsService,
    private readonly datastore: DatastoreService,
    private readonly placeNames: () => Promise<PlaceNames>,
  ) {
    this.repo = new PlacesRepository(db);
  }

  /**
   * The place columns of a file's current table, to whoever may read its data; recognised once per version, the
   * names suggested for code columns checked against the columns the version has now.
   */
  async places(p: Principal, distributionId: string): Promise<PlacesView> {
    const table = (await this.datastore.table(p, distributionId)) as unknown as PlaceTable;
    const report = await this.reportOf(table);
    const taken = new Set(table.columns.map((c) => c.id));
    const columns = report.columns.map((c) => {
      const suggested_name = codeColumnName(c.level, c.column, taken);
      taken.add(suggested_name);
      return { ...c, suggested_name };
    });
    return { version: table.version, columns, derived: report.derived };
  }

  /**
   * Internal, no principal, after a load (or a change of the current version): recognises the current table's place
   * columns for its report, and adds again the code columns the publisher added to an earlier version of the file
   * (the newest that had any), as they were asked for: a reload keeps them. Each is audited as the platform's, with
   * the version it was carried from. Returns the columns carried.
   */
  async afterLoad(distributionId: string): Promise<string[]> {
    const table = (await this.datastore.latestReady(distributionId)) as unknown as PlaceTable | undefined;
    if (!table) return [];
    const report = await this.reportOf(table);
    if (report.derived.length) return [];
    const earlier = (await this.datastore.versionsOf(distributionId)).find(
      (v) => v.id !== table.id && ((v.report as { places?: PlacesReport } | null)?.places?.derived.length ?? 0) > 0,
    );
    const recipes = (earlier?.report as { places?: PlacesReport } | undefined)?.places?.derived ?? [];
    const distribution = recipes.length ? await this.datasets.findDistribution(distributionId) : undefined;
    const dataset = distribution && (await this.datasets.byIds([distribution.dataset_id]))[0];
    if (!earlier || !dataset) return [];
    const names = await this.placeNames();
    const carried: string[] = [];
    for (const r of recipes) {
      const source = table.columns.find((c) => c.id === r.source && c.type === 'text');
      if (!source || table.columns.some((c) => c.id === r.column)) continue;
      const input = {
        column: r.source,
        level: r.level,
        vintage: r.vintage,
        province_column: r.province_column,
        name: r.column,
      };
      const done = await this.db
        .transaction()
        .execute((trx) => this.derive(ANONYMOUS, trx, distributionId, dataset.agency_id, names, input, earlier.version))
        .catch(() => null); // a column that cannot be carried (its province column gone) waits for its publisher
      if (done) carried.push(done.column);
    }
    return carried;
  }

  private async reportOf(table: PlaceTable): Promise<PlacesReport> {
    const kept = (table.report as { places?: PlacesReport } | null)?.places;
    if (kept) return kept;
    const report: PlacesReport = { columns: await this.recognise(table), derived: [] };
    await this.repo.saveVersion(table, null, report);
    return report;
  }

  private async recognise(table: PlaceTable): Promise<PlaceColumn[]> {
    const names = await this.placeNames();
    const columns: { column: LoadedColumn; values: ValueCount[] | null }[] = [];
    for (const column of table.columns) {
      // a code column added from names is no column of names
      if (column.type !== 'text' || column.derivedFrom) continue;
      // a first look at a few rows spares a wide table a count of every text column
      const sample = await this.repo.sampleValues(table, column.id, SAMPLE);
      if (!sample.length || !looksLikePlaces(names, sample)) continue;
      const values = await this.repo.distinctValues(table, column.id, RECOGNISE_DISTINCT);
      columns.push({ column, values: values.length > RECOGNISE_DISTINCT ? null : values });
    }
    return recognisePlaces(names, columns);
  }

  /**
   * Adds a text column of GSO codes (leading zeros kept) to the file's current version, filled from a column of
   * place names: 2025 codes by default (pre-2025 names through the crosswalk), or pre-2025 codes when asked. A name
   * with no single code leaves its rows empty, with the reason in the answer and the report. By the publishing
   * agency's editors, in one transaction with its audit record.
   */
  async addCodeColumn(p: Principal, distributionId: string, input: AddCodeColumn): Promise<DerivedColumn> {
    const { distribution, dataset } = await this.datasets.distribution(p, distributionId);
    requireAgencyRole(p, dataset.agency_id, 'agency_editor');
    const names = await this.placeNames();
    return this.db
      .transaction()
      .execute(async (trx) => this.derive(p, trx, distribution.id, dataset.agency_id, names, input))
      .catch((err: { code?: string }) => {
        if (err?.code !== LOCK_NOT_AVAILABLE) throw err;
        throw new DomainError('CONFLICT', {
          vi: 'Bảng đang được đọc hoặc tải xuống; hãy thử lại sau ít phút.',
          en: 'The table is being read or downloaded; try again in a few minutes.',
        });
      });
  }

  private async derive(
    p: Principal,
    trx: Kysely<any>,
    distributionId: string,
    agencyId: string,
    names: PlaceNames,
    input: AddCodeColumn,
    carriedFrom?: number,
  ): Promise<DerivedColumn> {
    const repo = new PlacesRepository(trx);
    const table = await repo.lockedCurrent(distributionId);
    if (!table) throw notFound(TABLE, distributionId);
    const byId = new Map(table.columns.map((c) => [c.id, c]));
    const textColumn = (id: string, field: string) => {
      const c = byId.get(id);
      if (!c) throw invalid(`Bảng không có cột “${id}” (${field}).`, `The table has no column “${id}” (${field}).`);
      if (c.type !== 'text')
        throw invalid(`Cột “${id}” không phải cột chữ.`, `Column “${id}” does not hold text (${field}).`);
      return c;
    };
    const source = textColumn(input.column, 'column');
    const kept = (table.report as { places?: PlacesReport } | null)?.places;
    const recognised = kept?.columns.find((c) => c.column === source.id);
    const level = input.level ?? recognised?.level;
    if (!level)
      throw invalid(
        `Cột “${source.id}” không được nhận ra là tên tỉnh hay tên xã; hãy chọn cấp (province, commune).`,
        `Column “${source.id}” is not recognised as province or commune names; say which (level).`,
      );
    const provinceId =
      level === 'commune'
        ? input.province_column === undefined
          ? (recognised?.province_column ?? null)
          : input.province_column
        : null;
    if (provinceId) textColumn(provinceId, 'province_column');
    const taken = new Set(table.columns.map((c) => c.id));
    const name = input.name ?? codeColumnName(level, source.id, taken);
    if (!NAME.test(name))
      throw invalid(
        'Tên cột mới chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới, tối đa 50 ký tự.',
        'The new column name is lower-case letters, digits and underscores, at most 50 characters.',
      );
    if (taken.has(name) || name === '_row')
      throw new DomainError('CONFLICT', {
        vi: `Bảng đã có cột “${name}”.`,
        en: `The table already has a column “${name}”.`,
      });

    const keys = await repo.distinctPairs(table, source.id, provinceId, MAP_DISTINCT);
    if (keys.length > MAP_DISTINCT)
      throw invalid(
        `Cột có hơn ${MAP_DISTINCT.toLocaleString('vi-VN')} tên khác nhau: không phải cột địa danh.`,
        `The column has more than ${MAP_DISTINCT.toLocaleString('en-GB')} distinct names: not a column of places.`,
      );
    const fold = (ks: { value: string; rows: number }[]) => {
      const m = new Map<string, number>();
      for (const k of ks) m.set(k.value, (m.get(k.value) ?? 0) + k.rows);
      return [...m].map(([value, rows]) => ({ value, rows }));
    };
    const prefer = recognised?.vintage ?? tally(names, fold(keys), level).vintage;
    const provincePrefer = provinceId
      ? tally(names, fold(keys.flatMap((k) => (k.province ? [{ value: k.province, rows: k.rows }] : []))), 'province')
          .vintage
      : undefined;
    const target = input.vintage ?? '2025';
    // the same codes from the same column again would only be a copy: a second click is refused, saying where they are
    const same = kept?.derived.find((d) => d.source === source.id && d.level === level && d.vintage === target);
    if (same)
      throw new DomainError('CONFLICT', {
        vi: `Cột “${same.column}” đã chứa mã ${target === '2025' ? 'năm 2025' : 'trước năm 2025'} lấy từ cột này.`,
        en: `Column “${same.column}” already holds the ${target === '2025' ? '2025' : 'pre-2025'} codes of this column.`,
      });
    const mapping = mapToCodes(names, keys, { level, prefer, target, provincePrefer });

    const filled = await repo.addCodeColumn(table, name, source.id, provinceId, mapping.coded);
    const derived: DerivedColumn = {
      column: name,
      source: source.id,
      level,
      vintage: target,
      names_vintage: prefer,
      province_column: provinceId,
      rows_filled: filled,
      rows_empty: Number(table.row_count) - filled,
      unresolved_count: mapping.unresolved.length,
      unresolved: mapping.unresolved.slice(0, LISTED),
      added_at: new Date().toISOString(),
      ...(carriedFrom ? { carried_from: carriedFrom } : {}),
    };
    const column: LoadedColumn = {
      id: name,
      title: name,
      type: 'text',
      numberStyle: source.numberStyle,
      inferred: 'text',
      missing: derived.rows_empty,
      derivedFrom: source.id,
    };
    const report: PlacesReport = {
      columns: kept?.columns ?? [],
      derived: [...(kept?.derived ?? []), derived],
    };
    await repo.saveVersion(table, [...table.columns, column], report);
    await recordAudit(trx, actorOf(p), {
      action: 'datastore.add_code_column',
      entityType: 'distribution',
      entityId: distributionId,
      agencyId,
      after: { version: table.version, table_id: table.id, ...derived, unresolved: derived.unresolved.slice(0, 10) },
    });
    return derived;
  }
}
