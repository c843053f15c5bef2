import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { ColumnInferrer, isMissing } from './infer.js';
import { toCopyText } from './convert.js';
import { iconvName, type TableLayout } from './reader.js';
import { recordPatterns, splitRecord, unquote, type PatternColumn } from './record-pattern.js';

/**
 * The direct load's reading of a CSV file: each record is matched against the
 * file's record pattern (one regular expression, no general CSV parser), its
 * values put in the form PostgreSQL's COPY reads for the column's type, and
 * written out as a CSV record with its line number first. Title lines above
 * the header and blank lines are skipped, short rows held back (notes below
 * the table, or data if a full row follows) — as the row-by-row reader does.
 * A record the pattern refuses is read the slow, exact way; a value that does
 * not fit its column's type ends the direct load (`DirectMiss`) and the caller
 * falls back to the row-by-row load, which reports and rejects.
 */
export class DirectMiss extends Error {}

export interface ConvertedFile {
  records: number;
  /** held short rows with nothing but short rows after them */
  footnotes: string[];
  /** every value of the columns the sample could not type, to type them */
  inferred: Map<number, ColumnInferrer>;
  /** the values of narrowed number columns the fast way refused: any that decides the number format */
  noted: Map<number, ColumnInferrer>;
}

/** One record longer than this is not a table row: the row-by-row load reports it. */
const MAX_RECORD_CHARS = 8 * 1024 * 1024;
// biome-ignore lint/suspicious/noMisleadingCharacterClass: combining marks alone are what is looked for (text not in NFC)
const NEEDS_CLEANING = /[\u00a0\u0300-\u036f]/;
/** the same in text read byte by byte: a no-break space, or a combining mark's lead byte */
const NEEDS_CLEANING_BYTES = /\xc2\xa0|[\xcc\xcd][\x80-\xbf]/;
const clean = (text: string) => text.normalize('NFC').replace(/\u00a0/g, ' ');
const YIELD_BYTES = 2 * 1024 * 1024;
const PIECE_CHARS = 64 * 1024;
const TRUE_WORDS = new Set(['true', 'có', 'yes', 'đúng']);
const FALSE_WORDS = new Set(['false', 'không', 'no', 'sai']);
const fromBytes = (s: string) => Buffer.from(s, 'latin1').toString('utf8');
const toBytes = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
const TRUE_WORDS_BYTES = new Set([...TRUE_WORDS].map(toBytes));
const FALSE_WORDS_BYTES = new Set([...FALSE_WORDS].map(toBytes));

const countLines = (s: string) => {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
};

const quoteCell = (c: string, d: string) =>
  c.includes(d) || c.includes('"') || c.includes('\n') || c.includes('\r') ? `"${c.replace(/"/g, '""')}"` : c;
/** `1234.50` → `1234.5`, `7.0` → `7`: as the row-by-row load writes a number */
const trimZeros = (v: string) => (v.includes('.') && v.endsWith('0') ? v.replace(/\.?0+$/, '') : v);

/** A matched value (trimmed, unquoted) in the form COPY reads; dates stay as written, PostgreSQL reads them day first. */
function valueConverter(c: PatternColumn, bytes: boolean): ((v: string) => string) | null {
  const vn = c.numberStyle === 'vietnamese';
  switch (c.type) {
    case 'integer':
      return vn
        ? (v) => (v.includes('.') ? v.replace(/\./g, '') : v)
        : (v) => (v.includes(',') ? v.replace(/,/g, '') : v);
    case 'number':
      return vn
        ? (v) => trimZeros(v.replace(/\./g, '').replace(',', '.'))
        : (v) => trimZeros(v.includes(',') ? v.replace(/,/g, '') : v);
    // the usual spellings first: lower-casing Vietnamese letters is slow
    case 'boolean': {
      const [yes, no] = bytes ? [TRUE_WORDS_BYTES, FALSE_WORDS_BYTES] : [TRUE_WORDS, FALSE_WORDS];
      return (v) =>
        yes.has(v) ? 't' : no.has(v) ? 'f' : TRUE_WORDS.has((bytes ? fromBytes(v) : v).toLowerCase()) ? 't' : 'f';
    }
    default:
      return null;
  }
}

/** A cell read the slow way, converted as the row-by-row load converts it. */
function slowCell(raw: string | undefined, c: PatternColumn, d: string, line: number): string {
  if (raw === undefined || isMissing(raw)) return '';
  if (c.type === 'text' || c.capture) return quoteCell(raw, d);
  const out = toCopyText(raw, c.type, c.numberStyle);
  if (typeof out !== 'string') throw new DirectMiss(`line ${line}: ${out.en}`);
  return out;
}

export async function* convertedRecords(
  open: () => Readable,
  layout: TableLayout,
  columns: PatternColumn[],
  out: ConvertedFile,
): AsyncGenerator<Buffer> {
  const d = layout.delimiter;
  // UTF-8 is read byte by byte (latin1): one-byte strings decode, match and encode faster; other encodings are decoded
  const bytes = layout.encoding.encoding === 'utf-8';
  const p = recordPatterns(columns, d, bytes);
  const text8 = bytes ? fromBytes : (x: string) => x;
  const width = columns.length;
  const shortBelow = Math.max(2, Math.ceil(width / 2));
  const headerLine = layout.headerLine ?? layout.headerRow + 1;
  const converters = columns.map((c) =>
    c.type === 'text' || c.type === 'geometry' || c.capture ? null : valueConverter(c, bytes),
  );
  const textual = columns.map((c) => c.type === 'text' || c.type === 'geometry' || Boolean(c.capture));
  const inferrers = new Map(columns.flatMap((c, i) => (c.capture ? [[i, new ColumnInferrer()] as const] : [])));
  const noted = new Map(
    columns.flatMap((c, i) =>
      c.narrow && !c.capture && (c.type === 'integer' || c.type === 'number')
        ? [[i, new ColumnInferrer()] as const]
        : [],
    ),
  );
  const raw = open();
  const source = (
    bytes ? raw.setEncoding('latin1') : raw.pipe(iconv.decodeStream(iconvName(layout.encoding.encoding)))
  ) as Readable;
  if (source !== raw) raw.on('error', (err) => source.destroy(err));

  let line = 1;
  let records = 0;
  let held: { line: number; cells: string[] }[] = [];
  let rest = '';
  let first = true;
  let eof = false;
  // Output is encoded a piece at a time: records kept as strings until a large chunk is full would be a
  // tree of millions of small pieces living long enough for the collector to copy them all.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const keep = (text: string) => {
    if (!text) return;
    const b = Buffer.from(text, bytes ? 'latin1' : 'utf8');
    pending.push(b);
    pendingBytes += b.length;
  };
  const flush = () => {
    const chunk = Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    return chunk;
  };
  const iterator = source[Symbol.asyncIterator]();

  /**
   * Reads records with the pattern from `pos` while they match and fill at
   * least half the row; `more` when it stopped only because enough is pending.
   */
  const fast = (text: string, start: number): { pos: number; more: boolean } => {
    const re = p.typed;
    const groups = p.groups;
    let pos = start;
    // locals, written back once: the loop runs a million times
    let ln = line;
    let buf = '';
    const row = new Array<string>(width + 1);
    let more = true;
    while (buf.length < PIECE_CHARS) {
      re.lastIndex = pos;
      const m = re.exec(text);
      if (m === null) {
        more = false;
        break;
      }
      row[0] = String(ln);
      let solid = 0;
      for (let i = 0; i < width; i++) {
        const g = groups[i]!;
        if (textual[i]) {
          const cell = m[g];
          if (cell === undefined) row[i + 1] = '';
          else {
            solid++;
            row[i + 1] = cell;
          }
          continue;
        }
        const v = m[g] ?? m[g + 1];
        if (v === undefined) {
          row[i + 1] = '';
          continue;
        }
        solid++;
        const convert = converters[i];
        row[i + 1] = convert === null ? v : convert!(v);
      }
      // few values: maybe a blank or short row; the slow path counts the cells exactly
      if (solid < shortBelow) {
        more = false;
        break;
      }
      if (inferrers.size)
        for (const [i, inf] of inferrers) inf.add(m[groups[i]!] === undefined ? '' : text8(unquote(m[groups[i]!]!)));
      buf += `${row.join(d)}\n`;
      ln++;
      pos = re.lastIndex;
    }
    records += ln - line;
    line = ln;
    keep(buf);
    return { pos, more };
  };

  /** A record read the slow way: cells split, converted exactly (cells beyond the header are left, as the row-by-row load leaves them). */
  const slowRecord = (cells: string[], recordLine: number): string => {
    for (const [i, inf] of inferrers) inf.add(cells[i] ?? '');
    for (const [i, inf] of noted) inf.add(cells[i] ?? '');
    let s = String(recordLine);
    for (let i = 0; i < width; i++) s += d + slowCell(cells[i], columns[i]!, d, recordLine);
    return s;
  };

  try {
    while (!eof) {
      const next = await iterator.next();
      let chunk: string;
      if (next.done) {
        eof = true;
        chunk = rest && !rest.endsWith('\n') ? '\n' : '';
      } else chunk = String(next.value);
      if (first) {
        if (bytes ? chunk.startsWith('\xef\xbb\xbf') : chunk.charCodeAt(0) === 0xfeff)
          chunk = chunk.slice(bytes ? 3 : 1);
        first = false;
      }
      let text = rest + chunk;
      if (!bytes && NEEDS_CLEANING.test(chunk)) text = clean(text);
      else if (bytes && NEEDS_CLEANING_BYTES.test(text)) {
        // clean whole lines only: a character may be cut at the end of the text
        const cut = text.lastIndexOf('\n') + 1;
        text = toBytes(clean(fromBytes(text.slice(0, cut)))) + text.slice(cut);
      }
      let pos = 0;
      for (;;) {
        if (pos >= text.length) break;
        if (line > headerLine && !held.length) {
          // the common case, in a plain function V8 optimises: one-line records whose cells fit
          const run = fast(text, pos);
          pos = run.pos;
          if (pendingBytes >= YIELD_BYTES) {
            out.records = records;
            yield flush();
          }
          if (run.more) continue;
          if (pos >= text.length) break;
        }
        p.any.lastIndex = pos;
        if (!p.any.test(text)) {
          if (eof) throw new DirectMiss(`line ${line}: not a well-formed CSV record`);
          if (text.length - pos > MAX_RECORD_CHARS)
            throw new DirectMiss(`line ${line}: a record longer than ${MAX_RECORD_CHARS} characters`);
          break; // the record goes on in the next chunk
        }
        const end = p.any.lastIndex;
        const record = text.slice(pos, end);
        const recordLine = line;
        line += countLines(record);
        pos = end;
        if (recordLine <= headerLine) continue;
        const cells = splitRecord(text8(record), p);
        const filled = cells.filter((c) => c.trim() !== '').length;
        if (filled === 0) continue;
        if (filled < shortBelow) {
          held.push({ line: recordLine, cells });
          continue;
        }
        // a full record: the held short rows above it were data after all
        for (const h of held) {
          keep(bytes ? toBytes(`${slowRecord(h.cells, h.line)}\n`) : `${slowRecord(h.cells, h.line)}\n`);
          records++;
        }
        held = [];
        keep(bytes ? toBytes(`${slowRecord(cells, recordLine)}\n`) : `${slowRecord(cells, recordLine)}\n`);
        records++;
      }
      rest = text.slice(pos);
      if (pendingBytes >= YIELD_BYTES || (eof && pendingBytes)) {
        out.records = records;
        yield flush();
      }
    }
    out.records = records;
    out.footnotes.push(...held.map((h) => h.cells.filter((c) => c.trim() !== '').join(' ')));
    for (const [i, inf] of inferrers) out.inferred.set(i, inf);
    for (const [i, inf] of noted) out.noted.set(i, inf);
  } finally {
    raw.destroy();
  }
}
