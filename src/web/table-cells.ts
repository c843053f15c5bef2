import { LOCALE, type Lang } from './i18n.js';

/*
 * How a table's cells read: numbers grouped and with the decimal mark of the reader's language (18.848,1 in
 * Vietnamese, 18,848.1 in English), years as years (2024, never 2.024), dates day first in Vietnamese (03/08/2024)
 * and with the month's name in English (3 Aug 2024, which no reader can take for 8 March).
 */

export interface CellColumn {
  id: string;
  title: string;
  type: string;
  /** a column of years: shown without grouping */
  year?: boolean;
}

// up to six decimals: a figure is shown as stored, not rounded to three places
const numbers = {
  vi: new Intl.NumberFormat(LOCALE.vi, { maximumFractionDigits: 6 }),
  en: new Intl.NumberFormat(LOCALE.en, { maximumFractionDigits: 6 }),
};
const dayFirst = {
  vi: new Intl.DateTimeFormat(LOCALE.vi, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat(LOCALE.en, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }),
};
const times = {
  vi: new Intl.DateTimeFormat(LOCALE.vi, { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Ho_Chi_Minh' }),
  en: new Intl.DateTimeFormat(LOCALE.en, { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Ho_Chi_Minh' }),
};
const vnDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }); // YYYY-MM-DD

/** A column's name says it holds years: `nam`, `năm`, `year`, `nam_2019`, `fiscal_year`, `Năm học`… */
const YEAR_NAME = /(^|[^a-z])(nam|year|yr)([^a-z]|$)/;
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/gi, 'd').toLowerCase();

/**
 * Whether a column holds years: a whole-number column (or a text column of digits) whose id or title names a year,
 * and whose values shown are all four-digit numbers between 1800 and 2200. A name alone is not enough (`nam` may be
 * a count of men, `so_nam` a number of years), nor are values alone (a column of populations may hold 1999).
 */
export function isYearColumn(c: { id: string; title: string; type: string }, values: unknown[]): boolean {
  if (c.type !== 'integer' && c.type !== 'text') return false;
  if (!YEAR_NAME.test(fold(c.id)) && !YEAR_NAME.test(fold(c.title))) return false;
  if (/(^|[^a-z])(so|number|count)[^a-z]/.test(fold(c.title))) return false;
  const present = values.filter((v) => v !== null && v !== undefined && v !== '');
  return (
    present.length > 0 &&
    present.every((v) => /^\d{4}$/.test(String(v).trim()) && Number(v) >= 1800 && Number(v) <= 2200)
  );
}

/** A date (`2024-08-03`, or a timestamp) as the reader writes it: 03/08/2024 in Vietnamese, 3 Aug 2024 in English. */
export function formatDay(value: string | Date, lang: Lang): string {
  const s = value instanceof Date ? value.toISOString() : value;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (!m) return s;
  return dayFirst[lang].format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
}

/** A moment with its day and time in Vietnam: 03/08/2024 14:05 in Vietnamese, 3 Aug 2024 14:05 in English. */
export function formatMoment(value: string | Date, lang: Lang): string {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return `${formatDay(vnDay.format(d), lang)} ${times[lang].format(d)}`;
}

/** A number (exact: a numeric column's text is formatted digit for digit) in the reader's locale. */
export function formatFigure(value: number | string, lang: Lang): string {
  if (typeof value === 'string') {
    const t = value.trim();
    if (!/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(t)) return value;
    return numbers[lang].format(t as unknown as number); // Intl formats a decimal string exactly (NumberFormat v3)
  }
  return numbers[lang].format(value);
}

/** One cell as text for a reader of `lang`. */
export function formatCell(v: unknown, c: CellColumn, lang: Lang): string {
  if (v === null || v === undefined) return '';
  if (c.year && (typeof v === 'number' || typeof v === 'string')) return String(v);
  if (c.type === 'date' && (typeof v === 'string' || v instanceof Date)) return formatDay(v, lang);
  if (c.type === 'datetime' && (typeof v === 'string' || v instanceof Date)) return formatMoment(v, lang);
  if (typeof v === 'number') return formatFigure(v, lang);
  if ((c.type === 'integer' || c.type === 'number') && typeof v === 'string') return formatFigure(v, lang);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** What a Table Schema says of a field the page shows: its title, and whether it is typed as a year. */
export interface FieldNote {
  title?: string;
  year: boolean;
}

/** A Table Schema's notes by field name (the column's header in the file). */
export function schemaNotes(schema: unknown): Map<string, FieldNote> {
  const fields = (schema as { fields?: unknown } | null)?.fields;
  const out = new Map<string, FieldNote>();
  if (!Array.isArray(fields)) return out;
  for (const f of fields as { name?: unknown; title?: unknown; type?: unknown }[]) {
    if (typeof f?.name !== 'string') continue;
    const title = typeof f.title === 'string' && f.title.trim() ? f.title.trim().slice(0, 200) : undefined;
    out.set(f.name, { title, year: f.type === 'year' });
  }
  return out;
}
