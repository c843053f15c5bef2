import type { ColumnType, NumberStyle } from './infer.js';
import type { Delimiter } from './sniff.js';

/**
 * One regular expression per file that accepts a whole CSV record when every
 * cell is a value of its column's type (or a missing-value marker), and
 * captures each value. The direct load reads records with it instead of a
 * general CSV parser. It must never accept more than the inference in
 * `infer.ts` would: a record it refuses is read the slow, exact way, so a
 * pattern stricter than inference costs speed, never correctness.
 */
export interface PatternColumn {
  type: ColumnType;
  numberStyle: NumberStyle;
  /** a column whose type is still to be inferred: read as text */
  capture?: boolean;
  /**
   * A number column whose values so far leave the file's number format open:
   * only values that keep it so are matched (`neutral`: plain whole numbers;
   * `ambiguous`: those and `7.512`, `1,234`); any other goes the slow way,
   * where it is noted.
   */
  narrow?: 'neutral' | 'ambiguous';
}

const NARROW = {
  neutral: '(?=[+-]?\\d+(?![\\d.,]))',
  ambiguous: '(?=[+-]?(?:[1-9]\\d{0,2}[.,]\\d{3}|\\d+)(?![\\d.,]))',
};

const escapeRegex = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/**
 * A word in any letter case, as inference compares (`toLowerCase`); the rest
 * of a pattern stays case-sensitive. Letters beyond ASCII become alternatives,
 * not classes, so that `inBytes` can spell them as their UTF-8 bytes.
 */
const anyCase = (word: string) =>
  [...word]
    .map((ch) => {
      if (ch.toLowerCase() === ch.toUpperCase()) return escapeRegex(ch);
      return ch.charCodeAt(0) < 0x80
        ? `[${ch.toLowerCase()}${ch.toUpperCase()}]`
        : `(?:${ch.toLowerCase()}|${ch.toUpperCase()})`;
    })
    .join('');

/** A pattern over text read byte by byte (latin1): each character beyond ASCII as its UTF-8 bytes. */
function inBytes(pattern: string): string {
  return [...pattern]
    .map((ch) =>
      ch.charCodeAt(0) < 0x80
        ? ch
        : `(?:${[...Buffer.from(ch, 'utf8')].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('')})`,
    )
    .join('');
}

/** JavaScript's blanks beyond ASCII (`\s` minus space, tab, line breaks), as UTF-8 bytes. */
const ODD_BLANKS_BYTES =
  '(?:[\\f\\v]|\\xc2\\xa0|\\xe1\\x9a\\x80|\\xe2\\x80[\\x80-\\x8a\\xa8\\xa9\\xaf]|\\xe2\\x81\\x9f|\\xe3\\x80\\x80|\\xef\\xbb\\xbf)';

/** `MISSING_MARKERS` of infer.ts, padded by blanks. */
const MARKERS = `(?:${['...', '..', '…', '-', '–', '—', 'n/a', 'na', 'null', 'x'].map(anyCase).join('|')})`;
const MARKER = `[ \\t]*${MARKERS}?[ \\t]*`;
const BOOLEAN = `(?:${['true', 'false', 'có', 'không', 'yes', 'no', 'đúng', 'sai'].map(anyCase).join('|')})`;

/**
 * A value of the type, as it may stand in a cell; `quoted` cells may hold the
 * delimiter, bare ones may not. Up to 15 digits: whole numbers stay within
 * the range inference calls whole (JavaScript's safe integers).
 */
function valuePattern(type: ColumnType, style: NumberStyle, quoted: boolean, d: Delimiter): string | null {
  const comma = quoted || d !== ',';
  const sign = '[+-]?';
  // no leading zeros: inference reads `01` as a code (text)
  const whole = '(?:0|[1-9]\\d{0,14})';
  const grouped = (sep: string) => `[1-9]\\d{0,2}(?:\\${sep}\\d{3}){1,4}`;
  switch (type) {
    case 'integer':
      if (style === 'vietnamese') return `${sign}(?:${whole}|${grouped('.')})`;
      return comma ? `${sign}(?:${whole}|${grouped(',')})` : `${sign}${whole}`;
    case 'number':
      // `1,234` also reads as an international thousand: inference then calls the column international, so refuse it here
      if (style === 'vietnamese')
        return `(?![+-]?\\d{1,3},\\d{3}(?!\\d))${sign}(?:${whole}|${grouped('.')})${comma ? '(?:,\\d{1,15})?' : ''}`;
      return `${sign}(?:${whole}${comma ? `|${grouped(',')}` : ''})(?:\\.\\d{1,15})?`;
    case 'boolean':
      return BOOLEAN;
    case 'date':
      return String.raw`(?:\d{4}-\d{2}-\d{2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{4})`;
    case 'datetime':
      // no fractions of a second: the row-by-row conversion drops them, the database would keep them
      return String.raw`(?:\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?|\d{1,2}\/\d{1,2}\/\d{4}(?: \d{1,2}:\d{2}(?::\d{2})?)?)`;
    default:
      return null;
  }
}

export interface RecordPatterns {
  /**
   * A record on one line whose cells fit their types. Each typed cell has two
   * groups (its value quoted, or bare: trimmed, without quotes), each text cell
   * one (the cell as written, quotes included); a group left undefined is a
   * blank cell or a missing-value marker.
   */
  typed: RegExp;
  /** the same, allowing line breaks inside quoted text cells */
  typedMultiline: RegExp;
  /** per column, the index of its first group in a `typed` match */
  groups: number[];
  /** any well-formed record: for title lines, blank lines, notes and records `typed` refused */
  any: RegExp;
  /** one cell of `any`, for splitting such a record */
  cell: RegExp;
}

/**
 * With `bytes`, the patterns read text decoded as latin1 (one character per
 * byte of UTF-8): cheaper to decode, match and pass on than UTF-16.
 */
export function recordPatterns(columns: PatternColumn[], d: Delimiter, bytes = false): RecordPatterns {
  const D = escapeRegex(d);
  const blank = bytes ? `(?:[ \\t\\r\\n]|${ODD_BLANKS_BYTES})` : '\\s';
  const oddBlank = bytes ? ODD_BLANKS_BYTES : '[^\\S \\t\\r\\n]';
  const bare = `[^${D}"\\r\\n]*`;
  const textCell = (multiline: boolean) => `(?:"(?:[^"${multiline ? '' : '\\r\\n'}]|"")*"|${bare})`;
  const end = `(?=${D}|\\r?\\n)`;
  // A marker padded by other blanks (or a quoted line break) is missing to inference too: such cells go to the slow path.
  const oddMissing = `(?!(?:"(?=[^"]*[\\r\\n])|"?(?=[^${D}"\\r\\n]*${oddBlank}))${blank}*${MARKERS}?${blank}*"?${end})`;
  const groups: number[] = [];
  let next = 1;
  const cell = (c: PatternColumn, multiline: boolean) => {
    groups.push(next);
    if (c.type === 'text' || c.type === 'geometry' || c.capture) {
      next += 1;
      return `(?:(?:"${MARKER}"|${MARKER})${end}|${oddMissing}(${textCell(multiline)}))`;
    }
    next += 2;
    const narrow = c.narrow && (c.type === 'integer' || c.type === 'number') ? NARROW[c.narrow] : '';
    const q = narrow + valuePattern(c.type, c.numberStyle, true, d)!;
    const b = narrow + valuePattern(c.type, c.numberStyle, false, d)!;
    return `(?:"[ \\t]*(${q})[ \\t]*"|[ \\t]*(${b})[ \\t]*|"${MARKER}"|${MARKER})`;
  };
  const build = (multiline: boolean) => {
    groups.length = 0;
    next = 1;
    const source = `${columns.map((c) => cell(c, multiline)).join(D)}\\r?\\n`;
    return new RegExp(bytes ? inBytes(source) : source, 'y');
  };
  const typedMultiline = build(true);
  const typed = build(false);
  const anyCell = textCell(true);
  return {
    typed,
    typedMultiline,
    groups: [...groups],
    any: new RegExp(`${anyCell}(?:${D}${anyCell})*\\r?\\n`, 'y'),
    cell: new RegExp(`(${anyCell})(${D}|\\r?\\n)`, 'y'),
  };
}

/** The text of a CSV cell as written: quotes removed, doubled quotes undone. */
export function unquote(raw: string): string {
  return raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw;
}

/** Splits one record matched by `any` (with its line break) into cells. */
export function splitRecord(text: string, p: RecordPatterns): string[] {
  const cells: string[] = [];
  p.cell.lastIndex = 0;
  for (;;) {
    const m = p.cell.exec(text);
    if (!m) return cells;
    cells.push(unquote(m[1]!));
    if (m[2]!.endsWith('\n')) return cells;
  }
}
