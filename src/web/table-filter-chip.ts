import { parseNumber } from '../datastore/load/infer.js';
import type { LoadedColumn } from '../datastore/load/loader.js';
import { formatNumber } from './format.js';
import type { Lang, T } from './i18n.js';

/** A filter of the page address: its raw form (to keep or remove it) and how the reader reads it. */
export interface FilterChip {
  column: string;
  /** the view's operator as written, `not.` and `(any)` included */
  op: string;
  value: string;
  /** column title, operator in words, value as the reader typed it */
  label: { column: string; op: string; value: string };
}

const RAW = /^((?:not\.)?[a-z]+(?:\(any\))?)\.(.*)$/s;

/** `(a,"b,c")` → `a, b,c`: a list as the reader typed it */
const listShown = (v: string) =>
  [...v.replace(/^\((.*)\)$/s, '$1').matchAll(/\s*(?:"((?:[^"\\]|\\.)*)"|([^,]*))\s*(?:,|$)/gy)]
    .map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!.trim()))
    .filter(Boolean)
    .join(', ');

/**
 * The chips of the filters in force, from the page address's pairs (the view has already accepted them). The
 * form writes "equals" on text as `ilike.v`, "differs" as `not.ilike.v`, "in list" as `ilike(any).(a,b)` and
 * "contains" as `ilike.*v*`: each is named back as the reader chose it, and numbers are shown as the page writes them.
 */
export function filterChips(
  pairs: [string, string][],
  columns: LoadedColumn[],
  title: (c: LoadedColumn) => string,
  t: T,
  lang: Lang,
): FilterChip[] {
  const byId = new Map(columns.map((c) => [c.id, c]));
  return pairs.flatMap(([key, raw]) => {
    const c = byId.get(key);
    const m = RAW.exec(raw);
    if (!c || !m) return [];
    const [op, value] = [m[1]!, m[2]!];
    const not = op.startsWith('not.');
    const base = op.replace(/^not\./, '').replace(/\(any\)$/, '');
    let word = base;
    let shown = value;
    if (base === 'is') [word, shown] = [value === 'notnull' ? 'notnull' : 'null', ''];
    else if (op.endsWith('(any)') || base === 'in') [word, shown] = ['in', listShown(value)];
    else if (base === 'ilike' && !value.includes('*')) word = 'eq';
    else if ((base === 'ilike' || base === 'like') && /^\*[^*]+\*$/.test(value)) shown = value.slice(1, -1);
    if (c.type === 'integer' || c.type === 'number') {
      const number = (v: string) => {
        const n = parseNumber(v, c.numberStyle);
        return n === null ? v : formatNumber(n, lang);
      };
      shown = word === 'in' ? shown.split(', ').map(number).join('; ') : number(shown);
    }
    if (not && word === 'eq') [word, shown] = ['neq', shown];
    const words = not && word !== 'neq' ? `${t('table.chip.not')} ${t(`table.chip.${word}`)}` : t(`table.chip.${word}`);
    return [{ column: key, op, value, label: { column: title(c), op: words, value: shown } }];
  });
}
