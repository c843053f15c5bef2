import type { ColumnType, NumberStyle } from './infer.js';
import type { Delimiter } from './sniff.js';

/**
 * One regular expression per file that accepts a whole CSV record when every
 * cell is a value of its column's type (or a missing-value marker). The
 * direct load checks records with it instead of parsing them, and lets the
 * database parse and convert. It must never accept more than the inference in
 * `infer.ts` and the conversion in `convert.ts` would: what it refuses falls
 * back to the row-by-row load, so a pattern stricter than inference costs
 * speed, never correctness.
 */
export interface PatternColumn {
  type: ColumnType;
  numberStyle: NumberStyle;
  /** capture the cell, for a column whose type is still to be inferred */
  capture?: boolean;
}

const escape = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/** A word in any letter case, as inference compares (`toLowerCase`); the rest of a pattern stays case-sensitive. */
const anyCase = (word: string) => [...word].map((ch) => (ch.toLowerCase() === ch.toUpperCase() ? escape(ch) : `[${ch.toLowerCase()}${ch.toUpperCase()}]`)).join('');

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
  switch (type) {
    case 'integer':
      if (style === 'vietnamese') return `${sign}(?:\\d{1,15}|\\d{1,3}(?:\\.\\d{3}){1,4})`;
      return comma ? `${sign}(?:\\d{1,15}|\\d{1,3}(?:,\\d{3}){1,4})` : `${sign}\\d{1,15}`;
    case 'number':
      // `1,234` also reads as an international thousand: inference then calls the column international, so refuse it here
      if (style === 'vietnamese') return `(?![+-]?\\d{1,3},\\d{3}(?!\\d))${sign}(?:\\d{1,15}|\\d{1,3}(?:\\.\\d{3}){1,4})${comma ? '(?:,\\d{1,15})?' : ''}`;
      return `${sign}(?:\\d{1,15}${comma ? '|\\d{1,3}(?:,\\d{3}){1,4}' : ''})(?:\\.\\d{1,15})?`;
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
  /** a record on one line whose cells fit their types */
  typed: RegExp;
  /** the same, allowing line breaks inside quoted cells */
  typedMultiline: RegExp;
  /** any well-formed record: for title lines, blank lines and notes */
  any: RegExp;
  /** one cell of `any`, for splitting a record that `typed` refused */
  cell: RegExp;
}

export function recordPatterns(columns: PatternColumn[], d: Delimiter): RecordPatterns {
  const D = escape(d);
  const bare = `[^${D}"\\r\\n]*`;
  const textCell = (multiline: boolean) => `(?:"(?:[^"${multiline ? '' : '\\r\\n'}]|"")*"|${bare})`;
  // The database treats a text cell as missing when it is a marker of at most 8 bytes padded by spaces or
  // tabs; inference also strips other blanks and pads of any length. Those rare cells take the row-by-row load.
  const oddMissing = `(?!(?:"(?=[^"]*[\\r\\n])|"?(?:(?=[^${D}"\\r\\n]{9})|(?=[^${D}"\\r\\n]{7})(?=[ \\t]*[…–—])|(?=[^${D}"\\r\\n]*[^\\S \\t\\r\\n])))\\s*${MARKERS}?\\s*"?(?:${D}|\\r?\\n))`;
  const cell = (c: PatternColumn, multiline: boolean) => {
    if (c.capture) return `(${textCell(multiline)})`;
    if (c.type === 'text' || c.type === 'geometry') return `${oddMissing}${textCell(multiline)}`;
    const q = valuePattern(c.type, c.numberStyle, true, d)!;
    const b = valuePattern(c.type, c.numberStyle, false, d)!;
    return `(?:"[ \\t]*${q}[ \\t]*"|[ \\t]*${b}[ \\t]*|"${MARKER}"|${MARKER})`;
  };
  const blankCell = `[ \\t]*(?:"[ \\t]*")?[ \\t]*`;
  // a record of nothing but blanks is no row: the row-by-row reader skips it too
  const notBlank = `(?!${blankCell}(?:${D}${blankCell})*\\r?\\n)`;
  const build = (multiline: boolean) => new RegExp(`${notBlank}${columns.map((c) => cell(c, multiline)).join(D)}\\r?\\n`, 'y');
  const anyCell = textCell(true);
  return {
    typed: build(false),
    typedMultiline: build(true),
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
