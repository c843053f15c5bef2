import { isMissing, parseDate, parseDateTime, parseNumber, type ColumnType, type NumberStyle } from './infer.js';

export const PG_TYPES: Record<ColumnType, string> = {
  integer: 'bigint',
  number: 'numeric',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamptz',
  text: 'text',
  geometry: 'jsonb',
};

/** The type names CKAN's DataStore API reports. */
export const CKAN_TYPE: Record<ColumnType, string> = {
  integer: 'int8',
  number: 'numeric',
  boolean: 'bool',
  date: 'date',
  datetime: 'timestamptz',
  text: 'text',
  geometry: 'json',
};

/** Frictionless Table Schema types, as the column types we load. */
export const FROM_TABLE_SCHEMA: Record<string, ColumnType> = {
  string: 'text',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  year: 'integer',
  any: 'text',
  geojson: 'geometry',
};

const TRUE = new Set(['true', 'có', 'yes', 'đúng', '1']);
const FALSE = new Set(['false', 'không', 'no', 'sai', '0']);

export interface Rejection {
  vi: string;
  en: string;
}

/**
 * One cell to PostgreSQL's COPY text: `\N` for missing, escaped text, numbers
 * and dates in canonical form. Returns a rejection when the value cannot be
 * read as the column's type.
 */
export function toCopyText(
  raw: string | undefined,
  type: ColumnType,
  style: NumberStyle,
  extraMissing: string[] = [],
): string | Rejection {
  if (raw === undefined || isMissing(raw, extraMissing)) return '\\N';
  // Fast paths for values already in PostgreSQL's own form: most cells of most files.
  if (type === 'integer' && PLAIN_INTEGER.test(raw)) return raw;
  if (type === 'number' && style === 'international' && PLAIN_DECIMAL.test(raw)) return raw;
  if (type === 'text') return escapeText(raw);
  const v = raw.trim();
  switch (type) {
    case 'integer': {
      const n = parseNumber(v, style);
      return n !== null && Number.isSafeInteger(n)
        ? String(n)
        : { vi: `“${v}” không phải số nguyên`, en: `“${v}” is not a whole number` };
    }
    case 'number': {
      const n = parseNumber(v, style);
      return n !== null && Number.isFinite(n)
        ? String(n)
        : { vi: `“${v}” không phải số`, en: `“${v}” is not a number` };
    }
    case 'boolean': {
      const b = v.toLowerCase();
      return TRUE.has(b) ? 't' : FALSE.has(b) ? 'f' : { vi: `“${v}” không phải có/không`, en: `“${v}” is not yes/no` };
    }
    case 'date':
      return parseDate(v) ?? { vi: `“${v}” không phải ngày (dd/mm/yyyy)`, en: `“${v}” is not a date (dd/mm/yyyy)` };
    case 'datetime':
      return (
        parseDateTime(v) ??
        (parseDate(v)
          ? `${parseDate(v)}T00:00:00+07:00`
          : { vi: `“${v}” không phải ngày giờ`, en: `“${v}” is not a date and time` })
      );
    case 'geometry': {
      let g: unknown;
      try {
        g = JSON.parse(v);
      } catch {
        g = null;
      }
      if (!g || typeof g !== 'object' || typeof (g as { type?: unknown }).type !== 'string')
        return { vi: 'Không phải hình học GeoJSON', en: 'Not a GeoJSON geometry' };
      return escapeText(v);
    }
    default:
      return escapeText(raw);
  }
}

const PLAIN_INTEGER = /^-?\d{1,15}$/;
const PLAIN_DECIMAL = /^-?\d{1,15}(\.\d{1,15})?$/;
const NEEDS_ESCAPE = /[\\\t\n\r]/;

function escapeText(raw: string): string {
  if (!NEEDS_ESCAPE.test(raw)) return raw;
  return raw.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** Column names as safe, readable identifiers: folded, snake_case, unique. */
export function columnIdentifiers(names: string[]): string[] {
  const used = new Set<string>();
  return names.map((name, i) => {
    const base =
      name
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/đ/g, 'd')
        .replace(/Đ/g, 'D')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_')
        .replace(/^_+|_+$/g, '')
        .slice(0, 50) || `column_${i + 1}`;
    const start = /^[a-z_]/.test(base) ? base : `c_${base}`;
    let id = start;
    for (let k = 2; used.has(id); k++) id = `${start}_${k}`;
    used.add(id);
    return id;
  });
}
