import type { PlaceLevel, PlaceNames, Vintage } from '../../masterdata/masterdata.service.js';
import type { LoadedColumn } from '../load/loader.js';

/*
 * Which columns of a table hold place names: a text column most of whose non-empty rows are names of provinces (or,
 * failing that, of communes) is recognised as such, with the vintage its names are written in and the values no unit
 * answers to. Plain functions over a column's distinct values and their row counts.
 */

/** Share of a column's non-empty rows that must be place names for it to be recognised. */
export const RECOGNISED_SHARE = 0.8;
/** Values listed as unmatched (the most frequent first). */
export const LISTED = 100;

export interface ValueCount {
  value: string;
  rows: number;
}

export interface PlaceColumn {
  /** the column's id in the table API */
  column: string;
  title: string;
  level: PlaceLevel;
  /** the list its names come from: a column of the 63 old provinces is `pre-2025`, of the 34 new ones `2025` */
  vintage: Vintage;
  /** non-empty rows */
  rows: number;
  /** rows whose value is the name of a unit of the level (perhaps of several: that is for the mapping to say) */
  rows_matched: number;
  /** rows_matched / rows */
  match_rate: number;
  distinct: number;
  rows_unmatched: number;
  /** the values that name no unit, most rows first (at most `LISTED`) */
  unmatched: ValueCount[];
  /** a commune column: the province column in the same table that tells communes of one name apart */
  province_column: string | null;
  /** the name the code column would take */
  suggested_name: string;
}

/** What one column's names say: how many rows name a unit of the level, and of which vintage. */
export function tally(names: PlaceNames, values: ValueCount[], level: PlaceLevel) {
  let rows = 0;
  let matched = 0;
  let of2025 = 0;
  let ofOld = 0;
  const unmatched: ValueCount[] = [];
  for (const v of values) {
    rows += v.rows;
    const units = names.find(v.value, level);
    if (!units.length) {
      unmatched.push(v);
      continue;
    }
    matched += v.rows;
    if (units.some((u) => u.vintage === '2025')) of2025 += v.rows;
    if (units.some((u) => u.vintage === 'pre-2025')) ofOld += v.rows;
  }
  // a name of both lists says nothing of the vintage; one only the old list has (Hà Giang, Hà Tây) does
  const vintage: Vintage = ofOld > of2025 ? 'pre-2025' : '2025';
  return { rows, matched, vintage, unmatched };
}

/** A first look: at least half of these values (a column's first rows) name a province or a commune. */
export function looksLikePlaces(names: PlaceNames, values: string[]): boolean {
  const known = values.filter((v) => names.find(v, 'province').length || names.find(v, 'commune').length).length;
  return known >= values.length / 2;
}

/** Titles that say a column holds districts, whose names often are communes' names too (`huyen`, `district`). */
const DISTRICT_TITLE = /(^|_)(huyen|quan|district|quan_huyen)(_|$)/;

/** The name of the code column: `ma_tinh` / `ma_xa`, or prefixed with the source column when taken. */
export function codeColumnName(level: PlaceLevel, source: string, taken: Set<string>): string {
  const base = level === 'province' ? 'ma_tinh' : 'ma_xa';
  return taken.has(base) ? `${source}_${base}`.slice(0, 50) : base;
}

/**
 * The recognised place columns of a table, provinces first. `values(column)` gives a text column's distinct values
 * with their rows, or null when it has too many to be a column of places.
 */
export function recognisePlaces(
  names: PlaceNames,
  columns: { column: LoadedColumn; values: ValueCount[] | null }[],
): PlaceColumn[] {
  const found: PlaceColumn[] = [];
  const taken = new Set(columns.map((c) => c.column.id));
  for (const level of ['province', 'commune'] as const) {
    for (const { column, values } of columns) {
      if (!values?.length || found.some((f) => f.column === column.id)) continue;
      if (level === 'commune' && DISTRICT_TITLE.test(column.id)) continue;
      const t = tally(names, values, level);
      if (!t.rows || t.matched / t.rows < RECOGNISED_SHARE) continue;
      const suggested = codeColumnName(level, column.id, taken);
      taken.add(suggested);
      found.push({
        column: column.id,
        title: column.title,
        level,
        vintage: t.vintage,
        rows: t.rows,
        rows_matched: t.matched,
        match_rate: Math.round((t.matched / t.rows) * 1000) / 1000,
        distinct: values.length,
        rows_unmatched: t.rows - t.matched,
        unmatched: t.unmatched.sort((a, b) => b.rows - a.rows).slice(0, LISTED),
        province_column: null,
        suggested_name: suggested,
      });
    }
  }
  const province = found.find((f) => f.level === 'province');
  for (const f of found) if (f.level === 'commune') f.province_column = province?.column ?? null;
  return found;
}
