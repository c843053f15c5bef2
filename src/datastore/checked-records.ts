import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { ColumnInferrer } from './infer.js';
import { iconvName, type TableLayout } from './reader.js';
import { recordPatterns, splitRecord, unquote, type PatternColumn } from './record-pattern.js';

/**
 * The direct load's reading of a CSV file: records are checked against the
 * file's record pattern, not parsed, and passed on as they are written, in
 * slices, for the database to parse. Title lines above the header and blank
 * lines are skipped, short rows are held back (notes below the table, or data
 * if a full row follows), and where a record sits in the file is kept as a
 * few breakpoints between record number and line number. A record that does
 * not fit its columns' types ends the direct load: the caller falls back to
 * the row-by-row load, which reports and rejects.
 */
export class DirectMiss extends Error {}

/** Where the line number of the k-th record passed on (1-based) stops being k + the previous offset. */
export interface Breakpoint { k: number; offset: number }

export interface CheckedFile {
  records: number;
  breakpoints: Breakpoint[];
  /** held short rows with nothing but short rows after them */
  footnotes: string[];
  /** types inferred from every value, for the columns the sample could not type */
  inferred: Map<number, ReturnType<ColumnInferrer['result']>>;
}

/** One record longer than this is not a table row: the row-by-row load reports it. */
const MAX_RECORD_CHARS = 8 * 1024 * 1024;
const NEEDS_CLEANING = /[\u00a0\u0300-\u036f]/;
const MAX_BREAKPOINTS = 100_000;
const YIELD_CHARS = 2 * 1024 * 1024;

const countLines = (s: string) => {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
};

const quoteCell = (c: string, d: string) => (c.includes(d) || c.includes('"') || c.includes('\n') || c.includes('\r') ? `"${c.replace(/"/g, '""')}"` : c);

export async function* checkedRecords(open: () => Readable, layout: TableLayout, columns: PatternColumn[], out: CheckedFile): AsyncGenerator<string> {
  const d = layout.delimiter;
  const p = recordPatterns(columns, d);
  const width = columns.length;
  const shortBelow = Math.max(2, Math.ceil(width / 2));
  const headerLine = layout.headerLine ?? layout.headerRow + 1;
  const captured = columns.flatMap((c, i) => (c.capture ? [i] : []));
  const inferrers = new Map(captured.map((i) => [i, new ColumnInferrer()]));
  const raw = open();
  const source = (layout.encoding.encoding === 'utf-8' ? raw.setEncoding('utf8') : raw.pipe(iconv.decodeStream(iconvName(layout.encoding.encoding)))) as Readable;
  if (source !== raw) raw.on('error', (err) => source.destroy(err));

  let line = 1;
  let k = 0;
  let offset = Number.NaN;
  let held: { line: number; cells: string[]; eol: string }[] = [];
  let rest = '';
  let first = true;
  let eof = false;
  const iterator = source[Symbol.asyncIterator]();
  let pending: string[] = [];
  let pendingChars = 0;

  const capture = (cells: string[]) => {
    for (const i of captured) inferrers.get(i)!.add(cells[i] ?? '');
  };
  /** Numbers the next record passed on; records a breakpoint where the numbering shifts. */
  const pass = (recordLine: number) => {
    k++;
    if (recordLine - k !== offset) {
      offset = recordLine - k;
      if (out.breakpoints.length >= MAX_BREAKPOINTS) throw new DirectMiss('too many blank or multi-line records');
      out.breakpoints.push({ k, offset });
    }
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
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
        first = false;
      }
      let text = rest + chunk;
      if (NEEDS_CLEANING.test(chunk)) text = text.normalize('NFC').replace(/\u00a0/g, ' ');
      let pos = 0;
      let spanStart = 0;
      const pieces: string[] = [];
      const flushSpan = () => {
        if (pos > spanStart) pieces.push(text.slice(spanStart, pos));
        spanStart = pos;
      };
      for (;;) {
        if (pos >= text.length) break;
        if (line > headerLine) {
          // the common case: a one-line record whose cells fit, passed on untouched
          const re = p.typed;
          re.lastIndex = pos;
          const m = captured.length ? re.exec(text) : re.test(text) ? [] : null;
          if (m && !held.length && offset === line - k - 1) {
            if (captured.length) capture(columnsOf(m as RegExpExecArray, captured, width));
            k++;
            line++;
            pos = re.lastIndex;
            continue;
          }
        }
        flushSpan();
        p.any.lastIndex = pos;
        if (!p.any.test(text)) {
          if (eof) throw new DirectMiss(`line ${line}: not a well-formed CSV record`);
          if (text.length - pos > MAX_RECORD_CHARS) throw new DirectMiss(`line ${line}: a record longer than ${MAX_RECORD_CHARS} characters`);
          break; // the record goes on in the next chunk
        }
        const end = p.any.lastIndex;
        const record = text.slice(pos, end);
        const lines = countLines(record);
        const recordLine = line;
        line += lines;
        pos = end;
        spanStart = end;
        if (recordLine <= headerLine) continue;
        const cells = splitRecord(record, p);
        const filled = cells.filter((c) => c.trim() !== '').length;
        if (filled === 0) continue;
        if (filled < shortBelow) {
          held.push({ line: recordLine, cells, eol: record.endsWith('\r\n') ? '\r\n' : '\n' });
          continue;
        }
        // a full record: the held short rows above it were data after all
        for (const h of held) {
          const padded = [...h.cells, ...Array<string>(width - h.cells.length).fill('')].map((c) => quoteCell(c, d)).join(d) + h.eol;
          if (!fits(p.typedMultiline, padded)) throw new DirectMiss(`line ${h.line}: a value does not fit its column's type`);
          capture(h.cells);
          pass(h.line);
          pieces.push(padded);
        }
        held = [];
        if (!fits(p.typedMultiline, record)) throw new DirectMiss(`line ${recordLine}: a value does not fit its column's type, or the row has ${cells.length} cells for ${width} columns`);
        capture(cells);
        pass(recordLine);
        pieces.push(record);
      }
      flushSpan();
      rest = text.slice(pos);
      for (const piece of pieces) {
        pending.push(piece);
        pendingChars += piece.length;
      }
      // the embedded database runs one COPY per chunk: hand it megabytes, not the file stream's 64 KiB
      if (pendingChars >= YIELD_CHARS || (eof && pendingChars)) {
        yield pending.join('');
        pending = [];
        pendingChars = 0;
      }
    }
    out.records = k;
    out.footnotes.push(...held.map((h) => h.cells.filter((c) => c.trim() !== '').join(' ')));
    for (const [i, inf] of inferrers) out.inferred.set(i, inf.result());
  } finally {
    raw.destroy();
  }
}

function fits(re: RegExp, record: string): boolean {
  re.lastIndex = 0;
  return re.test(record) && re.lastIndex === record.length;
}

/** The captured cells of a typed match, placed at their columns. */
function columnsOf(m: RegExpExecArray, captured: number[], width: number): string[] {
  const cells = new Array<string>(width);
  captured.forEach((col, g) => { cells[col] = unquote(m[g + 1] ?? ''); });
  return cells;
}
