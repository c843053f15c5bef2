import { invalid, type ErrorDetail } from '../../platform/errors.js';
import { toCopyText } from '../load/convert.js';
import type { LoadedColumn } from '../load/loader.js';

/**
 * A view of a loaded table as the native API asks for it, in PostgREST's
 * words: `col=op.value` filters, `order=col.desc`, `select=a,b`, plus
 * `group_by` and aggregates. Parsing checks every name against the table's own
 * columns and every value against the column's type, so the repository only
 * ever sees known identifiers and canonical values.
 */
export type FilterOp = 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'like' | 'ilike' | 'is';
/**
 * `not` (PostgREST's `not.` prefix) keeps the rows the condition rejects; `like` / `ilike` hold one pattern, or
 * several for `ilike(any).(a,b)` (any of them matches).
 */
export type Filter = (
  | { column: LoadedColumn; op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte'; value: string }
  | { column: LoadedColumn; op: 'in'; values: string[] }
  | { column: LoadedColumn; op: 'like' | 'ilike'; patterns: string[] }
  | { column: LoadedColumn; op: 'is'; value: 'null' | 'notnull' }
) & { not?: boolean };
export type RowKey = LoadedColumn | '_row';
export interface Order {
  key: RowKey;
  desc: boolean;
}
export type AggregateFn = 'count' | 'sum' | 'avg' | 'min' | 'max';
export interface Aggregate {
  fn: AggregateFn;
  column: LoadedColumn | null;
  name: string;
}

export interface View {
  select: LoadedColumn[];
  filters: Filter[];
  order: Order[];
  groupBy: LoadedColumn[];
  aggregates: Aggregate[];
  /** null: every row (streamed formats) */
  limit: number | null;
  /** keyset position: the sort values and `_row` of the last row already seen */
  after: unknown[] | null;
}

export const RESERVED = new Set([
  'select',
  'order',
  'limit',
  'after',
  'format',
  'group_by',
  'count',
  'sum',
  'avg',
  'min',
  'max',
]);
export const MAX_PAGE = 10_000;
const OPS = new Set<FilterOp>(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'like', 'ilike', 'is']);
const NUMERIC = new Set(['integer', 'number']);

/** `in.(a,"b,c",d)` → ['a', 'b,c', 'd'] */
function listValues(raw: string): string[] | null {
  const m = /^\((.*)\)$/s.exec(raw);
  if (!m) return null;
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|([^,]*))\s*(?:,|$)/gy;
  let k: RegExpExecArray | null;
  while (re.lastIndex < m[1]!.length && (k = re.exec(m[1]!)))
    out.push(k[1] !== undefined ? k[1].replace(/\\(.)/g, '$1') : k[2]!.trim());
  return out;
}

/** a filter's `*` wildcards as SQL `like`'s `%`, its own `%`, `_` and `\\` taken literally */
const likePattern = (arg: string) => arg.replace(/[\\%_]/g, (x) => `\\${x}`).replace(/\*/g, '%');

/**
 * Whether a cursor value can be compared with its sort key: what `encodeCursor` wrote for that type (a forged or
 * damaged cursor is the caller's mistake, 400, never a failed cast in the database).
 */
function fitsKey(v: unknown, key: RowKey): boolean {
  if (key === '_row') return Number.isSafeInteger(v) && (v as number) >= 0;
  switch (key.type) {
    case 'integer':
      return (
        (Number.isSafeInteger(v) || (typeof v === 'string' && /^-?\d{1,19}$/.test(v))) &&
        BigInt(v as number | string) <= 9223372036854775807n &&
        BigInt(v as number | string) >= -9223372036854775808n
      );
    case 'number':
      return (
        (typeof v === 'number' && Number.isFinite(v)) ||
        (typeof v === 'string' && /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(v))
      );
    case 'boolean':
      return typeof v === 'boolean';
    case 'date':
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v));
    case 'datetime':
      return typeof v === 'string' && !Number.isNaN(Date.parse(v));
    case 'text':
      return typeof v === 'string' && !v.includes('\u0000');
    default:
      return false;
  }
}

export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values.map((v) => (v instanceof Date ? v.toISOString() : v)))).toString(
    'base64url',
  );
}

export function parseView(
  columns: LoadedColumn[],
  query: Record<string, string | string[] | undefined>,
  defaultLimit: number | null,
): View {
  const problems: ErrorDetail[] = [];
  const byId = new Map(columns.map((c) => [c.id, c]));
  const column = (id: string, field: string): LoadedColumn | undefined => {
    const c = byId.get(id);
    if (!c) problems.push({ field, vi: `Bảng không có cột “${id}”.`, en: `The table has no column “${id}”.` });
    return c;
  };
  const one = (name: string): string | undefined => {
    const v = query[name];
    return Array.isArray(v) ? v[v.length - 1] : v;
  };
  const names = (name: string) =>
    (one(name) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const typed = (c: LoadedColumn, raw: string, field: string): string | null => {
    const v = toCopyText(raw, c.type, c.numberStyle, []);
    if (typeof v === 'string' && v !== '\\N') return c.type === 'text' ? raw : v;
    problems.push({
      field,
      vi: typeof v === 'string' ? `Thiếu giá trị để so sánh với “${c.id}”.` : v.vi,
      en: typeof v === 'string' ? `No value to compare “${c.id}” with.` : v.en,
    });
    return null;
  };

  const select = one('select') ? names('select').flatMap((id) => column(id, 'select') ?? []) : columns;

  const filters: Filter[] = [];
  for (const [key, rawValue] of Object.entries(query)) {
    if (RESERVED.has(key) || rawValue === undefined) continue;
    const c = column(key, key);
    if (!c) continue;
    for (const given of Array.isArray(rawValue) ? rawValue : [rawValue]) {
      const not = given.startsWith('not.');
      const raw = not ? given.slice(4) : given;
      const dot = raw.indexOf('.');
      const any = raw.slice(0, dot).endsWith('(any)');
      const op = raw.slice(0, dot).replace(/\(any\)$/, '') as FilterOp;
      const arg = raw.slice(dot + 1);
      const before = filters.length;
      if (dot < 0 || !OPS.has(op) || (any && op !== 'like' && op !== 'ilike')) {
        problems.push({
          field: key,
          vi: `Bộ lọc “${raw}” phải có dạng phép.giá_trị, ví dụ eq.Hà Nội, gt.100, in.(1,2), like.*Hà*, is.null.`,
          en: `Filter “${raw}” must look like op.value, e.g. eq.Hanoi, gt.100, in.(1,2), like.*Ha*, is.null.`,
        });
        continue;
      }
      if (op === 'is') {
        if (arg !== 'null' && arg !== 'notnull')
          problems.push({ field: key, vi: 'Chỉ dùng is.null hoặc is.notnull.', en: 'Use is.null or is.notnull.' });
        else filters.push({ column: c, op, value: arg });
      } else if (op === 'in') {
        const list = listValues(arg);
        if (!list || list.length === 0 || list.length > 1000)
          problems.push({
            field: key,
            vi: 'Danh sách phải có dạng in.(a,b,c), tối đa 1000 giá trị.',
            en: 'A list must look like in.(a,b,c), at most 1000 values.',
          });
        else {
          const values = list.map((v) => typed(c, v, key));
          if (values.every((v): v is string => v !== null)) filters.push({ column: c, op, values });
        }
      } else if (op === 'like' || op === 'ilike') {
        const list = any ? listValues(arg) : [arg];
        if (!list || list.length === 0 || list.length > 1000)
          problems.push({
            field: key,
            vi: `Danh sách phải có dạng ${op}(any).(a,b,c), tối đa 1000 giá trị.`,
            en: `A list must look like ${op}(any).(a,b,c), at most 1000 values.`,
          });
        else filters.push({ column: c, op, patterns: list.map(likePattern) });
      } else {
        const v = typed(c, arg, key);
        if (v !== null) filters.push({ column: c, op, value: v });
      }
      if (not && filters.length > before) filters[filters.length - 1]!.not = true;
    }
  }

  const order: Order[] = names('order').flatMap((s): Order[] => {
    const [id, dir = 'asc', ...rest] = s.split('.');
    if (rest.length || (dir !== 'asc' && dir !== 'desc')) {
      problems.push({
        field: 'order',
        vi: `Sắp xếp “${s}” phải có dạng cột.asc hoặc cột.desc.`,
        en: `Order “${s}” must look like column.asc or column.desc.`,
      });
      return [];
    }
    if (id === '_id') return [{ key: '_row' as const, desc: dir === 'desc' }];
    const c = column(id!, 'order');
    return c ? [{ key: c, desc: dir === 'desc' }] : [];
  });
  if (!order.some((o) => o.key === '_row')) order.push({ key: '_row', desc: false });

  const groupBy = names('group_by').flatMap((id) => column(id, 'group_by') ?? []);
  const aggregates: Aggregate[] = [];
  if (one('count') !== undefined) aggregates.push({ fn: 'count', column: null, name: 'count' });
  for (const fn of ['sum', 'avg', 'min', 'max'] as const) {
    for (const id of names(fn)) {
      const c = column(id, fn);
      if (!c) continue;
      if ((fn === 'sum' || fn === 'avg') && !NUMERIC.has(c.type)) {
        problems.push({
          field: fn,
          vi: `Chỉ tính ${fn} được trên cột số; “${id}” là ${c.type}.`,
          en: `${fn} needs a numeric column; “${id}” is ${c.type}.`,
        });
        continue;
      }
      aggregates.push({ fn, column: c, name: `${fn}_${c.id}` });
    }
  }

  let limit: number | null = defaultLimit;
  const rawLimit = one('limit');
  if (rawLimit === 'all') limit = null;
  else if (rawLimit !== undefined) {
    const n = Number(rawLimit);
    if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE)
      problems.push({
        field: 'limit',
        vi: `limit là số nguyên từ 0 đến ${MAX_PAGE}, hoặc “all”.`,
        en: `limit is a whole number from 0 to ${MAX_PAGE}, or “all”.`,
      });
    else limit = n;
  }

  let after: unknown[] | null = null;
  const rawAfter = one('after');
  if (rawAfter) {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(rawAfter, 'base64url').toString('utf8'));
      if (
        !Array.isArray(parsed) ||
        parsed.length !== order.length ||
        parsed.some((v, i) => v !== null && !fitsKey(v, order[i]!.key))
      )
        throw new Error('shape');
      after = parsed;
    } catch {
      problems.push({
        field: 'after',
        vi: 'Con trỏ trang “after” không hợp lệ; hãy dùng đúng liên kết “next” đã nhận.',
        en: 'The page cursor “after” is not valid; use the “next” link as given.',
      });
    }
  }
  if (after && (groupBy.length || aggregates.length))
    problems.push({ field: 'after', vi: 'Kết quả gộp nhóm không phân trang.', en: 'Grouped results are not paged.' });

  if (problems.length) throw invalid(problems);
  return { select, filters, order, groupBy, aggregates, limit, after };
}
