/**
 * Column type inference over every value of a column (not a sample), with the
 * formats Vietnamese statistics use: `1.234.567` and `1.234,5` (dot groups,
 * comma decimals), dates as `24/11/2026`, and `..`, `-`, `N/A` for missing.
 */
export type ColumnType = 'integer' | 'number' | 'boolean' | 'date' | 'datetime' | 'text';

export const MISSING_MARKERS = ['', '..', '...', '…', '-', '–', '—', 'n/a', 'na', 'null', 'x'];

export const isMissing = (raw: string, extra: string[] = []) => {
  const v = raw.trim().toLowerCase();
  return MISSING_MARKERS.includes(v) || extra.includes(v);
};

/** How numbers are written in the column: `1,234.5` (international) or `1.234,5` (Vietnamese). */
export type NumberStyle = 'international' | 'vietnamese';

const INT_PLAIN = /^[+-]?\d+$/;
const INT_GROUPED_DOT = /^[+-]?\d{1,3}(\.\d{3})+$/;
const INT_GROUPED_COMMA = /^[+-]?\d{1,3}(,\d{3})+$/;
const DEC_POINT = /^[+-]?(\d+|\d{1,3}(,\d{3})+)\.\d+$/;
const DEC_COMMA = /^[+-]?(\d+|\d{1,3}(\.\d{3})+),\d+$/;
const SCIENTIFIC = /^[+-]?\d+(\.\d+)?[eE][+-]?\d+$/;
const DATE_ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_VN = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const DATETIME_ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(:(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DATETIME_VN = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(:(\d{2}))?$/;
const BOOLEANS: Record<string, boolean> = { true: true, false: false, 'có': true, 'không': false, yes: true, no: false, 'đúng': true, 'sai': false };

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
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
  const v = raw.trim().replace(/\s/g, '');
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
  /** the first value that decided against a narrower type, for the report */
  example?: string;
}

/**
 * Infers the narrowest type that every non-missing value of the column fits.
 * The number style is decided by the column as a whole: a value such as
 * `1.234,5` or a dot-grouped `1.234.567` makes it Vietnamese, `1,234.5` makes
 * it international; a lone `1.234` is read in the column's style.
 */
export function inferColumn(values: Iterable<string>, extraMissing: string[] = []): ColumnProfile {
  const present: string[] = [];
  let missing = 0;
  for (const raw of values) {
    if (isMissing(raw, extraMissing)) missing++;
    else present.push(raw.trim());
  }
  const profile = (type: ColumnType, numberStyle: NumberStyle, example?: string): ColumnProfile => ({ type, numberStyle, missing, values: present.length, ...(example !== undefined ? { example } : {}) });
  if (!present.length) return profile('text', 'international');

  const vnEvidence = present.some((v) => DEC_COMMA.test(v) || /^\d{1,3}(\.\d{3}){2,}$/.test(v));
  const intlEvidence = present.some((v) => INT_GROUPED_COMMA.test(v) || /^\d{1,3}(,\d{3})+\.\d+$/.test(v));
  const style: NumberStyle = vnEvidence && !intlEvidence ? 'vietnamese' : 'international';

  if (present.every((v) => v.toLowerCase() in BOOLEANS)) return profile('boolean', style);
  const numbers = present.map((v) => parseNumber(v, style));
  if (numbers.every((n) => n !== null)) {
    const allIntegers = numbers.every((n) => Number.isSafeInteger(n));
    // A "1.234" read in international style is a decimal; in Vietnamese style an integer.
    return profile(allIntegers ? 'integer' : 'number', style);
  }
  if (present.every((v) => parseDate(v) !== null)) return profile('date', style);
  if (present.every((v) => parseDate(v) !== null || parseDateTime(v) !== null)) return profile('datetime', style);
  // Report the value that spoiled the type most values had: “13/13/2026” in a date column.
  const candidates: ((v: string) => boolean)[] = [(v) => parseNumber(v, style) !== null, (v) => parseDate(v) !== null, (v) => parseDateTime(v) !== null];
  const fits = candidates.map((fit) => present.filter(fit).length);
  const best = candidates[fits.indexOf(Math.max(...fits))]!;
  return profile('text', style, present.find((v) => !best(v)) ?? present[0]);
}
