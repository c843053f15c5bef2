import type { LoadedColumn } from '../datastore/load/loader.js';

/** page-only parameters, not part of the table view */
export const PAGE_KEYS = new Set(['lang', 'chart', 'x', 'y', 'f_column', 'f_op', 'f_value']);

export type Query = Record<string, string | string[] | undefined>;

/** The view's parameters of a page address, as pairs (a filter may repeat). */
export const pairsOf = (q: Query): [string, string][] =>
  Object.entries(q).flatMap(([k, v]) =>
    PAGE_KEYS.has(k) || k === 'after' || v === undefined
      ? []
      : (Array.isArray(v) ? v : [v]).map((x) => [k, x] as [string, string]),
  );

/**
 * The filter form's column, comparison and value as a view filter. On a text column the form matches as a reader
 * expects and as the catalog search does: "equals" ignores case and diacritics (`ha noi` keeps Hà Nội, as `ilike`
 * does), and "contains" contains (the value is wrapped in `*` unless it has a wildcard of its own).
 */
export function formFilter(columns: LoadedColumn[], q: Query): [string, string] | null {
  const column = String(q.f_column);
  const op = String(q.f_op);
  if (op === 'is') return [column, `is.${q.f_value === 'notnull' ? 'notnull' : 'null'}`];
  const value = String(q.f_value ?? '');
  if (value === '') return null;
  if (columns.find((c) => c.id === column)?.type !== 'text') return [column, `${op}.${value}`];
  const contains = value.includes('*') ? value : `*${value}*`;
  if (op === 'eq') return [column, `ilike.${value}`];
  if (op === 'like' || op === 'ilike') return [column, `${op}.${contains}`];
  return [column, `${op}.${value}`];
}
