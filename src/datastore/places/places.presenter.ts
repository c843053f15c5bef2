import type { DerivedColumn, PlacesView } from './places.service.js';

/** A code column as the API gives it. */
export const presentDerived = (d: DerivedColumn) => ({
  column: d.column,
  source: d.source,
  level: d.level,
  vintage: d.vintage,
  names_vintage: d.names_vintage,
  province_column: d.province_column,
  rows_filled: d.rows_filled,
  rows_empty: d.rows_empty,
  unresolved_count: d.unresolved_count,
  unresolved: d.unresolved,
  added_at: d.added_at,
  carried_from: d.carried_from ?? null,
});

/** The place columns of a file's current table, and the code columns added to it. */
export const presentPlaces = (r: PlacesView) => ({
  version: r.version,
  columns: r.columns.map((c) => ({
    column: c.column,
    title: c.title,
    level: c.level,
    vintage: c.vintage,
    rows: c.rows,
    rows_matched: c.rows_matched,
    match_rate: c.match_rate,
    distinct: c.distinct,
    rows_unmatched: c.rows_unmatched,
    unmatched: c.unmatched,
    province_column: c.province_column,
    suggested_name: c.suggested_name,
    code_columns: r.derived.filter((d) => d.source === c.column).map((d) => d.column),
  })),
  derived: r.derived.map(presentDerived),
});
