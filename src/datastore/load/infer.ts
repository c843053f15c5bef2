/**
 * Column type inference over every value of a column (not a sample), with the
 * formats Vietnamese statistics use: `1.234.567` and `1.234,5` (dot groups,
 * comma decimals), dates as `24/11/2026`, and `..`, `-`, `N/A` for missing.
 */
/** `geometry`: a GeoJSON geometry, from GeoJSON features (never inferred from text). */
export type ColumnType = 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'text' | 'geometry';

export const MISSING_MARKERS = ['', '..', '...', '…', '-', '–', '—', 'n/a', 'na', 'null', 'x'];

const MISSING = new Set(MISSING_MARKERS);
export const isMissing = (raw: string, extra: string[] = []) => {
  // markers are short: a long value is never one, and most values are long
  if (raw.length > 8 && !extra.length && raw.charCodeAt(0) > 32 && raw.charCodeAt(raw.length - 1) > 32) return false;
  const v = raw.trim().toLowerCase();
  return MISSING.has(v) || extra.includes(v);
};

/** How numbers are written in the column: `1,234.5` (international) or `1.234,5` (Vietnamese). */
export type NumberStyle = 'international' | 'vietnamese';

const INT_PLAIN = /^[+-]?\d+$/;
/** a whole number written with a leading zero: a code */
const LEADING_ZERO = /^[+-]?0\d/;
const INT_GROUPED_DOT = /^[+-]?\d{1,3}(\.\d{3})+$/;
const INT_GROUPED_COMMA = /^[+-]?\d{1,3}(,\d{3})+$/;
const DEC_POINT = /^[+-]?(\d+|\d{1,3}(,\d{3})+)\.\d+$/;
const DEC_COMMA = /^[+-]?(\d+|\d{1,3}(\.\d{3})+),\d+$/;
const SCIENTIFIC = /^[+-]?\d+(\.\d+)?[eE][+-]?\d+$/;
const DATE_ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_VN = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const DATETIME_ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(:(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DATETIME_VN = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(:(\d{2}))?$/;
const VN_GROUPED = /^\d{1,3}(\.\d{3}){2,}$/;
const INTL_DECIMAL_GROUPED = /^\d{1,3}(,\d{3})+\.\d+$/;
const EARLY_VALUES = 1000;
const BOOLEANS: Record<string, boolean> = {
  true: true,
  false: false,
  có: true,
  không: false,
  yes: true,
  no: false,
  đúng: true,
  sai: false,
};

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= DAYS[m - 1]! + (leap ? 1 : 0);
}

/** Parses a date in ISO or day-first Vietnamese form to `YYYY-MM-DD`, or null. */
export function parseDate(v: string): string | null {
  let m = DATE_ISO.exec(v);
  if (m) return validDate(+m[1]!, +m[2]!, +m[3]!) ? v : null;
  m = DATE_VN.exec(v);
  if (m && validDate(+m[3]!, +m[2]!, +m[1]!)) return `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return null;
}

/** Parses a date-time to ISO 8601 (no zone means local time of Vietnam, +07:00), or null. */
export function parseDateTime(v: string): string | null {
  let m = DATETIME_ISO.exec(v);
  if (m) {
    if (!validDate(+m[1]!, +m[2]!, +m[3]!) || +m[4]! > 23 || +m[5]! > 59) return null;
    const zone = m[9] ? (m[9] === 'Z' ? 'Z' : m[9].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : '+07:00';
    return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[7] ?? '00'}${zone}`;
  }
  m = DATETIME_VN.exec(v);
  if (m && validDate(+m[3]!, +m[2]!, +m[1]!) && +m[4]! <= 23 && +m[5]! <= 59) {
    return `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}T${m[4]!.padStart(2, '0')}:${m[5]}:${m[7] ?? '00'}+07:00`;
  }
  return null;
}

/** Parses a number written in the given style; null when it is not one. */
export function parseNumber(raw: string, style: NumberStyle): number | null {
  const t = raw.trim();
  const v = /\s/.test(t) ? t.replace(/\s/g, '') : t;
  if (INT_PLAIN.test(v) || SCIENTIFIC.test(v)) return Number(v);
  if (style === 'vietnamese') {
    if (INT_GROUPED_DOT.test(v)) return Number(v.replace(/\./g, ''));
    if (DEC_COMMA.test(v)) return Number(v.replace(/\./g, '').replace(',', '.'));
    return null;
  }
  if (INT_GROUPED_COMMA.test(v)) return Number(v.replace(/,/g, ''));
  if (DEC_POINT.test(v)) return Number(v.replace(/,/g, ''));
  return null;
}

export interface ColumnProfile {
  type: ColumnType;
  numberStyle: NumberStyle;
  missing: number;
  values: number;
  /** the longest value, in characters: long text is not indexed */
  maxLength?: number;
  /** the first value that decided against a narrower type, for the report */
  example?: string;
}

/**
 * Infers the narrowest type that every non-missing value of a column fits,
 * one value at a time, so a file of any length is profiled in constant memory.
 * The number style is decided by the column as a whole: a value such as
 * `1.234,5` or a dot-grouped `1.234.567` makes it Vietnamese, `1,234.5` makes
 * it international; a lone `1.234` is read in the column's style.
 */
export class ColumnInferrer {
  private missing = 0;
  private values = 0;
  private vnEvidence = false;
  private intlEvidence = false;
  // Whether every value so far fits, per candidate; numbers are tracked in both styles.
  private fits = {
    boolean: true,
    intlNumber: true,
    intlInteger: true,
    vnNumber: true,
    vnInteger: true,
    date: true,
    datetime: true,
  };
  private firstMisfit: Partial<Record<'number' | 'date' | 'datetime', string>> = {};
  private fitCounts = { number: 0, date: 0, datetime: 0 };
  private first: string | undefined;
  private maxLength = 0;

  constructor(private readonly extraMissing: string[] = []) {}

  add(raw: string): void {
    if (isMissing(raw, this.extraMissing)) {
      this.missing++;
      return;
    }
    const v = raw.trim();
    this.values++;
    if (v.length > this.maxLength) this.maxLength = v.length;
    this.first ??= v;
    if (DEC_COMMA.test(v) || /^\d{1,3}(\.\d{3}){2,}$/.test(v)) this.vnEvidence = true;
    if (INT_GROUPED_COMMA.test(v) || /^\d{1,3}(,\d{3})+\.\d+$/.test(v)) this.intlEvidence = true;
    const f = this.fits;
    if (f.boolean && !(v.toLowerCase() in BOOLEANS)) f.boolean = false;
    // `01`, `001`: codes, not numbers — as numbers they would lose their zeros
    if ((f.intlNumber || f.vnNumber) && LEADING_ZERO.test(v))
      f.intlNumber = f.intlInteger = f.vnNumber = f.vnInteger = false;
    // Once a candidate is ruled out its checks stop, after the first values (kept for the report's example).
    const early = this.values <= EARLY_VALUES;
    if (early || f.intlNumber || f.vnNumber) {
      if (DEC_COMMA.test(v) || VN_GROUPED.test(v)) this.vnEvidence = true;
      if (INT_GROUPED_COMMA.test(v) || INTL_DECIMAL_GROUPED.test(v)) this.intlEvidence = true;
      const intl = f.intlNumber || early ? parseNumber(v, 'international') : null;
      const vn = f.vnNumber || early ? parseNumber(v, 'vietnamese') : null;
      if (intl === null) f.intlNumber = f.intlInteger = false;
      else if (!Number.isSafeInteger(intl)) f.intlInteger = false;
      if (vn === null) f.vnNumber = f.vnInteger = false;
      else if (!Number.isSafeInteger(vn)) f.vnInteger = false;
      this.count('number', intl !== null || vn !== null, v);
    }
    if (early || f.date || f.datetime) {
      const isDate = parseDate(v) !== null;
      const isDateTime = isDate || parseDateTime(v) !== null;
      if (!isDate) f.date = false;
      if (!isDateTime) f.datetime = false;
      this.count('date', isDate, v);
      this.count('datetime', isDateTime, v);
    }
  }

  private count(k: 'number' | 'date' | 'datetime', ok: boolean, v: string) {
    if (ok) this.fitCounts[k]++;
    else this.firstMisfit[k] ??= v;
  }

  result(): ColumnProfile {
    const style: NumberStyle = this.vnEvidence && !this.intlEvidence ? 'vietnamese' : 'international';
    const base = { numberStyle: style, missing: this.missing, values: this.values, maxLength: this.maxLength };
    if (!this.values) return { type: 'text', ...base, numberStyle: 'international' };
    const f = this.fits;
    if (f.boolean) return { type: 'boolean', ...base };
    const number = style === 'vietnamese' ? f.vnNumber : f.intlNumber;
    const integer = style === 'vietnamese' ? f.vnInteger : f.intlInteger;
    if (number) return { type: integer ? 'integer' : 'number', ...base };
    if (f.date) return { type: 'date', ...base };
    if (f.datetime) return { type: 'datetime', ...base };
    // Report the value that spoiled the type most values had: “13/13/2026” in a date column.
    const c = this.fitCounts;
    const best = c.number >= c.date && c.number >= c.datetime ? 'number' : c.date >= c.datetime ? 'date' : 'datetime';
    return { type: 'text', ...base, example: this.firstMisfit[best] ?? this.first };
  }
}

export function inferColumn(values: Iterable<string>, extraMissing: string[] = []): ColumnProfile {
  const inferrer = new ColumnInferrer(extraMissing);
  for (const v of values) inferrer.add(v);
  return inferrer.result();
}
