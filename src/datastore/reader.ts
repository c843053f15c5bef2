import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { decode, detectDelimiter, detectEncoding, locateTable, type Delimiter, type EncodingGuess } from './sniff.js';
import { ColumnInferrer, type ColumnProfile } from './infer.js';

const SAMPLE_BYTES = 64 * 1024;

/**
 * NFC, and no-break spaces as plain spaces: spreadsheets exported by agencies
 * often write “An\u00a0Giang”, which nobody can type into a filter.
 */
// Most cells are already NFC with no no-break space: test before paying for normalize().
const NEEDS_CLEANING = /[\u00a0\u0300-\u036f]/;
const cleanCell = (c: string) => (NEEDS_CLEANING.test(c) ? c.normalize('NFC').replace(/\u00a0/g, ' ') : c);

export interface TableLayout {
  encoding: EncodingGuess;
  delimiter: Delimiter;
  /** rows to skip before the header (title lines, blank lines) */
  headerRow: number;
  header: string[];
}

const iconvName = (e: EncodingGuess['encoding']) => (e === 'utf-8' ? 'utf8' : e === 'utf-16le' ? 'utf16le' : e === 'utf-16be' ? 'utf16-be' : 'windows1258');

async function head(open: () => Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const stream = open();
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= SAMPLE_BYTES) break;
  }
  stream.destroy();
  return Buffer.concat(chunks).subarray(0, SAMPLE_BYTES);
}

/** Reads the start of a file to find its encoding, delimiter and header row. */
export async function sniffLayout(open: () => Readable): Promise<TableLayout> {
  const sample = await head(open);
  const encoding = detectEncoding(sample);
  let text = decode(sample, encoding);
  // Drop the last, possibly cut, line of the sample.
  if (sample.length >= SAMPLE_BYTES) text = text.slice(0, Math.max(0, text.lastIndexOf('\n')));
  const lines = text.split(/\r?\n/);
  const delimiter = detectDelimiter(lines);
  const rows: string[][] = parseSync(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: false });
  const bounds = locateTable(rows.slice(0, 500));
  const header = (rows[bounds.header] ?? []).map((h, i) => cleanCell(h).trim() || `column_${i + 1}`);
  return { encoding, delimiter, headerRow: bounds.header, header };
}

export interface DataRow {
  /** 1-based line of the record in the file, for reports */
  line: number;
  cells: string[];
}

/**
 * Streams the data rows below the header, a batch of rows at a time (one
 * await per batch rather than per row). Blank rows are skipped; rows that
 * fill less than half the header are held back and, if nothing but such rows
 * follows, reported as footnotes instead of data.
 */
export async function* dataBatches(open: () => Readable, layout: TableLayout, footnotes: string[] = []): AsyncGenerator<DataRow[]> {
  const width = layout.header.length;
  const raw = open();
  // UTF-8 is decoded by the parser itself; other encodings go through iconv first.
  const source = layout.encoding.encoding === 'utf-8' ? raw : raw.pipe(iconv.decodeStream(iconvName(layout.encoding.encoding)));
  const parser = source.pipe(parse({ delimiter: layout.delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true }));
  source.on('error', (err) => parser.destroy(err));
  // Line numbers counted here (csv-parse's `info` costs a third of the parse): each record
  // takes one line plus the line breaks inside its quoted cells; empty lines are records too.
  let nextLine = 1;
  let held: DataRow[] = [];
  let batch: DataRow[] = [];
  const take = (record: string[]) => {
    const line = nextLine;
    nextLine++;
    for (const c of record) if (c.includes('\n')) nextLine += c.split('\n').length - 1;
    if (line <= layout.headerRow + 1) return;
    let filled = 0;
    const cells = record;
    for (let i = 0; i < cells.length; i++) {
      cells[i] = cleanCell(cells[i]!);
      if (cells[i] !== '' && cells[i]!.trim() !== '') filled++;
    }
    if (filled === 0) return;
    if (filled < Math.max(2, Math.ceil(width / 2))) {
      held.push({ line, cells });
      return;
    }
    if (held.length) {
      batch.push(...held);
      held = [];
    }
    batch.push({ line, cells });
  };
  let done = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const signal = () => { wake?.(); wake = null; };
  parser.on('readable', signal);
  parser.on('end', () => { done = true; signal(); });
  parser.on('error', (err) => { failure = err; done = true; signal(); });
  try {
    for (;;) {
      let record: string[] | null;
      while ((record = parser.read() as string[] | null) !== null) take(record);
      if (failure) throw failure;
      if (batch.length >= 1000 || (done && batch.length)) {
        const out = batch;
        batch = [];
        yield out;
        continue;
      }
      if (done) break;
      await new Promise<void>((resolve) => { wake = resolve; });
    }
  } finally {
    parser.destroy();
    raw.destroy();
  }
  for (const h of held) footnotes.push(h.cells.filter((c) => c.trim() !== '').join(' '));
}

/** Row by row, for callers that want one at a time. */
export async function* dataRows(open: () => Readable, layout: TableLayout, footnotes: string[] = []): AsyncGenerator<DataRow> {
  for await (const batch of dataBatches(open, layout, footnotes)) yield* batch;
}

export interface TableProfile {
  layout: TableLayout;
  columns: (ColumnProfile & { name: string })[];
  rows: number;
  footnotes: string[];
  /** rows with more cells than the header has, by line */
  overlong: number[];
}

/** One pass over the whole file: every value of every column decides its type. */
export async function profileTable(open: () => Readable, extraMissing: string[] = []): Promise<TableProfile> {
  const layout = await sniffLayout(open);
  const inferrers = layout.header.map(() => new ColumnInferrer(extraMissing));
  const footnotes: string[] = [];
  const overlong: number[] = [];
  let rows = 0;
  const width = layout.header.length;
  for await (const batch of dataBatches(open, layout, footnotes)) {
    for (const row of batch) {
      rows++;
      if (row.cells.length > width && row.cells.some((c, i) => i >= width && c.trim() !== '')) overlong.push(row.line);
      for (let i = 0; i < width; i++) inferrers[i]!.add(row.cells[i] ?? '');
    }
  }
  return { layout, columns: inferrers.map((inf, i) => ({ name: layout.header[i]!, ...inf.result() })), rows, footnotes, overlong };
}
