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
// a group separator never follows a leading zero: `0.125` is a decimal, never 125
const INT_GROUPED_DOT = /^[+-]?[1-9]\d{0,2}(\.\d{3})+$/;
const INT_GROUPED_COMMA = /^[+-]?[1-9]\d{0,2}(,\d{3})+$/;
const DEC_POINT = /^[+-]?(\d+|[1-9]\d{0,2}(,\d{3})+)\.\d+$/;
const DEC_COMMA = /^[+-]?(\d+|[1-9]\d{0,2}(\.\d{3})+),\d+$/;
const SCIENTIFIC = /^[+-]?\d+(\.\d+)?[eE][+-]?\d+$/;
const DATE_ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_VN = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const DATETIME_ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(:(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DATETIME_VN = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(:(\d{2}))?$/;
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
  /** a number column none of whose own values tells `.` and `,` apart (`7.512`): how it was read, and why */
  reading?: { by: 'file' | 'default'; examples: string[] };
}

/**
 * What a column's numbers say about the file's number format: `vietnamese` or
 * `international` when every value reads in that style only (one value such as
 * `1.234.567`, `12,5` or `1.5` rules the other out), `ambiguous` when they read
 * in both with different figures (`7.512`, `1,234`), `neutral` when the styles
 * agree (`12`, `-3`), null when the column is not numbers.
 */
export type NumberEvidence = NumberStyle | 'ambiguous' | 'neutral' | null;

/** The file's style from its columns' evidence: one style and not the other, else undecided. */
export function fileNumberStyle(evidence: NumberEvidence[]): NumberStyle | null {
  const vn = evidence.includes('vietnamese');
  const intl = evidence.includes('international');
  return vn === intl ? null : vn ? 'vietnamese' : 'international';
}

const EXAMPLES = 3;

/**
 * Infers the narrowest type that every non-missing value of a column fits,
 * one value at a time, so a file of any length is profiled in constant memory.
 * Numbers are read in both styles; the style is the one every value reads in.
 * When both read every value and some differently (`7.512`: 7512 or 7.512),
 * the file decides (`result(fileStyle)`, see `resolveProfiles`); when nothing
 * in the file does, a dot or comma before three digits is a thousands
 * separator (Vietnamese `7.512`, international `1,234`) and the profile says
 * that this reading was chosen.
 */
export class ColumnInferrer {
  private missing = 0;
  private values = 0;
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
  /** values read differently in the two styles, by their separator; the first few kept for the report */
  private ambiguousDots = 0;
  private ambiguousCommas = 0;
  private ambiguousExamples: string[] = [];
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
    const f = this.fits;
    if (f.boolean && !(v.toLowerCase() in BOOLEANS)) f.boolean = false;
    // `01`, `001`: codes, not numbers — as numbers they would lose their zeros
    if ((f.intlNumber || f.vnNumber) && LEADING_ZERO.test(v))
      f.intlNumber = f.intlInteger = f.vnNumber = f.vnInteger = false;
    // Once a candidate is ruled out its checks stop, after the first values (kept for the report's example).
    const early = this.values <= EARLY_VALUES;
    if (early || f.intlNumber || f.vnNumber) {
      const intl = f.intlNumber || early ? parseNumber(v, 'international') : null;
      const vn = f.vnNumber || early ? parseNumber(v, 'vietnamese') : null;
      if (intl !== null && vn !== null && intl !== vn && f.intlNumber && f.vnNumber) {
        if (v.includes('.')) this.ambiguousDots++;
        else this.ambiguousCommas++;
        if (this.ambiguousExamples.length < EXAMPLES) this.ambiguousExamples.push(v);
      }
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

  /** What this column's numbers say about the file's format (booleans and empty columns say nothing). */
  evidence(): NumberEvidence {
    const f = this.fits;
    if (!this.values || f.boolean) return null;
    if (f.vnNumber && f.intlNumber) return this.ambiguousDots || this.ambiguousCommas ? 'ambiguous' : 'neutral';
    return f.vnNumber ? 'vietnamese' : f.intlNumber ? 'international' : null;
  }

  /** The column's profile, its number style decided by its own values, else by the file's (`fileStyle`). */
  result(fileStyle: NumberStyle | null = null): ColumnProfile {
    const evidence = this.evidence();
    let style: NumberStyle = 'international';
    let reading: ColumnProfile['reading'];
    if (evidence === 'vietnamese' || evidence === 'international') style = evidence;
    else if (evidence === 'neutral') style = fileStyle ?? 'international';
    else if (evidence === 'ambiguous') {
      // nothing else to go by: three digits after a lone separator are a group of thousands
      style = fileStyle ?? (this.ambiguousDots ? 'vietnamese' : 'international');
      reading = { by: fileStyle ? 'file' : 'default', examples: [...this.ambiguousExamples] };
    }
    const base = { numberStyle: style, missing: this.missing, values: this.values, maxLength: this.maxLength };
    if (!this.values) return { type: 'text', ...base };
    const f = this.fits;
    if (f.boolean) return { type: 'boolean', ...base, numberStyle: 'international' };
    const number = style === 'vietnamese' ? f.vnNumber : f.intlNumber;
    const integer = style === 'vietnamese' ? f.vnInteger : f.intlInteger;
    if (number) return { type: integer ? 'integer' : 'number', ...base, ...(reading ? { reading } : {}) };
    if (f.date) return { type: 'date', ...base, numberStyle: 'international' };
    if (f.datetime) return { type: 'datetime', ...base, numberStyle: 'international' };
    // Report the value that spoiled the type most values had: “13/13/2026” in a date column.
    const c = this.fitCounts;
    const best = c.number >= c.date && c.number >= c.datetime ? 'number' : c.date >= c.datetime ? 'date' : 'datetime';
    return { type: 'text', ...base, numberStyle: 'international', example: this.firstMisfit[best] ?? this.first };
  }
}

/** Every column's profile, the number format decided for the file as a whole (see `ColumnInferrer`). */
export function resolveProfiles(inferrers: ColumnInferrer[]): ColumnProfile[] {
  const style = fileNumberStyle(inferrers.map((i) => i.evidence()));
  return inferrers.map((i) => i.result(style));
}

export function inferColumn(values: Iterable<string>, extraMissing: string[] = []): ColumnProfile {
  const inferrer = new ColumnInferrer(extraMissing);
  for (const v of values) inferrer.add(v);
  return inferrer.result();
}
