import type { LoadedColumn } from '../datastore/load/loader.js';
import type { Lang } from './i18n.js';

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

/** a list item quoted as `in.(…)` expects when it holds a comma, a quote or a parenthesis */
const listItem = (v: string) => (/[,"()\\]/.test(v) ? `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"` : v);

/**
 * A number as the page's reader types it: on a Vietnamese page `.` groups thousands and `,` marks decimals
 * (`500.000`, `1.234,5`, `1,5`); on an English page the other way round (`500,000`, `1.5`). Ambiguous Vietnamese
 * input without a comma: dots that each stand before exactly three digits (`500.000`, `1.500`) group thousands, as a
 * Vietnamese reader writes them; any other dot (`1.5`, `2.25`) can only be a decimal point, so it is read as one
 * rather than rejected. null: not a number.
 */
export function readNumber(typed: string, lang: Lang): number | null {
  const v = typed.replace(/[\s\u00a0]/g, '');
  const [group, decimal] = lang === 'vi' ? ['.', ','] : [',', '.'];
  const grouped = new RegExp(`^[-+]?\\d{1,3}(\\${group}\\d{3})+(\\${decimal}\\d+)?$`);
  const plain = new RegExp(`^[-+]?\\d+(\\${decimal}\\d+)?$`);
  let canonical: string | null = null;
  if (grouped.test(v)) canonical = v.split(group).join('').replace(decimal, '.');
  else if (plain.test(v)) canonical = v.replace(decimal, '.');
  else if (lang === 'vi' && /^[-+]?\d*\.\d+$/.test(v)) canonical = v;
  const n = canonical === null ? Number.NaN : Number(canonical);
  return Number.isFinite(n) ? n : null;
}

/** a number as the view's API reads it for this column (a Vietnamese-style column reads `,` as the decimal mark) */
const apiNumber = (n: number, c: LoadedColumn) =>
  c.numberStyle === 'vietnamese' ? String(n).replace('.', ',') : String(n);

/**
 * The filter form's column, comparison and value as a view filter. On a text column the form matches as a reader
 * expects and as the catalog search does: "equals", "differs from" and "in list" ignore case and diacritics (`ha noi`
 * keeps Hà Nội, as `ilike` does), and "contains" contains (the value is wrapped in `*` unless it has a wildcard of
 * its own). On a number column the value is read as the page's language writes numbers (`readNumber`).
 */
export function formFilter(columns: LoadedColumn[], q: Query, lang: Lang): [string, string] | null {
  const column = String(q.f_column);
  const op = String(q.f_op);
  if (op === 'is') return [column, `is.${q.f_value === 'notnull' ? 'notnull' : 'null'}`];
  const value = String(q.f_value ?? '').trim();
  if (value === '') return null;
  const c = columns.find((x) => x.id === column);
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (c?.type === 'integer' || c?.type === 'number') {
    // a list of numbers is split on `;` or spaces too, since `,` is the Vietnamese decimal mark
    const listed = op === 'in' ? value.split(lang === 'vi' ? /[;\s]+/ : /[;,\s]+/).filter(Boolean) : [value];
    const read = listed.map((x) => readNumber(x, lang));
    // unreadable: passed on as typed, for the view to say what is wrong with it
    const shown = read.map((n, i) => (n === null ? listed[i]! : apiNumber(n, c)));
    return op === 'in' ? [column, `in.(${shown.map(listItem).join(',')})`] : [column, `${op}.${shown[0]}`];
  }
  if (c?.type !== 'text') return [column, op === 'in' ? `in.(${items.map(listItem).join(',')})` : `${op}.${value}`];
  const contains = value.includes('*') ? value : `*${value}*`;
  if (op === 'eq') return [column, `ilike.${value}`];
  if (op === 'neq') return [column, `not.ilike.${value}`];
  if (op === 'in') return [column, `ilike(any).(${items.map(listItem).join(',')})`];
  if (op === 'like' || op === 'ilike') return [column, `${op}.${contains}`];
  return [column, `${op}.${value}`];
}
