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
const cleanCell = (c: string) => c.normalize('NFC').replace(/\u00a0/g, ' ');

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
 * Streams the data rows below the header. Blank rows are skipped; rows that
 * fill less than half the header are held back and, if nothing but such rows
 * follows, reported as footnotes instead of data.
 */
export async function* dataRows(open: () => Readable, layout: TableLayout, footnotes: string[] = []): AsyncGenerator<DataRow> {
  const width = layout.header.length;
  const source = open().pipe(iconv.decodeStream(iconvName(layout.encoding.encoding), { stripBOM: true }));
  const parser = source.pipe(parse({ delimiter: layout.delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, info: true }));
  let held: DataRow[] = [];
  for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const line = record.info.lines;
    if (line <= layout.headerRow + 1) continue;
    const cells = record.record.map(cleanCell);
    const filled = cells.filter((c) => c.trim() !== '').length;
    if (filled === 0) continue;
    if (filled < Math.max(2, Math.ceil(width / 2))) {
      held.push({ line, cells });
      continue;
    }
    for (const h of held) yield h;
    held = [];
    yield { line, cells };
  }
  for (const h of held) footnotes.push(h.cells.filter((c) => c.trim() !== '').join(' '));
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
  for await (const row of dataRows(open, layout, footnotes)) {
    rows++;
    if (row.cells.filter((c, i) => i >= layout.header.length && c.trim() !== '').length) overlong.push(row.line);
    inferrers.forEach((inf, i) => inf.add(row.cells[i] ?? ''));
  }
  return { layout, columns: inferrers.map((inf, i) => ({ name: layout.header[i]!, ...inf.result() })), rows, footnotes, overlong };
}
