import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { decode, detectDelimiter, detectEncoding, locateTable, type Delimiter, type EncodingGuess } from './sniff.js';
import { ColumnInferrer, resolveProfiles, type ColumnProfile } from './infer.js';
import {
  GEOMETRY_COLUMN,
  objectKeys,
  objectRecords,
  sheetRecords,
  type ObjectFormat,
  type RawRecord,
} from './sources.js';
import { shapeLabel, type JsonShape } from './json-records.js';

const SAMPLE_BYTES = 64 * 1024;

/**
 * NFC, and no-break spaces as plain spaces: spreadsheets exported by agencies
 * often write “An\u00a0Giang”, which nobody can type into a filter.
 */
// Most cells are already NFC with no no-break space: test before paying for normalize().
// biome-ignore lint/suspicious/noMisleadingCharacterClass: combining marks alone are what is looked for (text not in NFC)
const NEEDS_CLEANING = /[\u00a0\u0300-\u036f]/;
export const cleanCell = (c: string) => (NEEDS_CLEANING.test(c) ? c.normalize('NFC').replace(/\u00a0/g, ' ') : c);

/** The shapes of file the loader reads; others are stored as files only. */
/** The shapes the reader streams; a legacy `.xls` is converted to CSV first (xls.ts). */
export type ReadableFormat = 'csv' | 'xlsx' | ObjectFormat;
export type TableFormat = ReadableFormat | 'xls';
export const TABLE_FORMATS: Record<string, TableFormat> = {
  CSV: 'csv',
  TSV: 'csv',
  TXT: 'csv',
  XLSX: 'xlsx',
  XLS: 'xls',
  JSON: 'json',
  NDJSON: 'ndjson',
  JSONL: 'ndjson',
  GEOJSON: 'geojson',
};

export interface TableLayout {
  format?: ReadableFormat;
  /** the header's line (row number in a sheet); records at or above it are skipped */
  headerLine?: number;
  /** GeoJSON: the column that holds each feature's geometry */
  geometryColumn?: string;
  /** JSON: where the records are, e.g. `provinces[].districts[].communes[]` (see json-records.ts) */
  jsonPath?: string;
  json?: JsonShape;
  encoding: EncodingGuess;
  delimiter: Delimiter;
  /** rows to skip before the header (title lines, blank lines) */
  headerRow: number;
  header: string[];
}

export const iconvName = (e: EncodingGuess['encoding']) =>
  e === 'utf-8' ? 'utf8' : e === 'utf-16le' ? 'utf16le' : e === 'utf-16be' ? 'utf16-be' : 'windows1258';

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

const UTF8: EncodingGuess = { encoding: 'utf-8', bom: 0 };

/** Finds the header of a table: from the start of a text file or sheet, from every key of a JSON file. */
export async function sniffLayout(open: () => Readable, format: ReadableFormat = 'csv'): Promise<TableLayout> {
  if (format === 'csv') return sniffText(open);
  if (format === 'xlsx') {
    const records: RawRecord[] = [];
    for await (const batch of sheetRecords(open)) {
      records.push(...batch);
      if (records.length >= 500) break;
    }
    const bounds = locateTable(records.slice(0, 500).map((r) => r.cells));
    const header = (records[bounds.header]?.cells ?? []).map((h, i) => cleanCell(h).trim() || `column_${i + 1}`);
    return {
      format,
      encoding: UTF8,
      delimiter: ',' as Delimiter,
      headerRow: bounds.header,
      headerLine: records[bounds.header]?.line ?? 0,
      header,
    };
  }
  const { keys, shape } = await objectKeys(open, format);
  const header = keys.map((h, i) => cleanCell(h).trim() || `column_${i + 1}`);
  return {
    format,
    encoding: UTF8,
    delimiter: ',' as Delimiter,
    headerRow: -1,
    headerLine: 0,
    header,
    ...(format === 'geojson' ? { geometryColumn: GEOMETRY_COLUMN } : {}),
    // a JSON file's records found elsewhere than the top array, or nested: the report says where
    ...(shape && (shape.path.length || shape.nested.length) ? { json: shape, jsonPath: shapeLabel(shape) } : {}),
  };
}

/** Reads the start of a text file to find its encoding, delimiter and header row. */
async function sniffText(open: () => Readable): Promise<TableLayout> {
  return (await sniffTextSample(open)).layout;
}

/**
 * The layout of a delimited text file, with the data rows of its first
 * 64 KiB (cleaned, blank rows and trailing notes left out): the direct load
 * takes its provisional types from them.
 */
export async function sniffTextSample(
  open: () => Readable,
): Promise<{ layout: TableLayout; rows: string[][]; cut: boolean }> {
  const sample = await head(open);
  const encoding = detectEncoding(sample);
  let text = decode(sample, encoding);
  const cut = sample.length >= SAMPLE_BYTES;
  // Drop the last, possibly cut, line of the sample.
  if (cut) text = text.slice(0, Math.max(0, text.lastIndexOf('\n')));
  const lines = text.split(/\r?\n/);
  const delimiter = detectDelimiter(lines);
  const rows: string[][] = parseSync(text, {
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    bom: false,
  });
  const bounds = locateTable(rows.slice(0, 500));
  const header = (rows[bounds.header] ?? []).map((h, i) => cleanCell(h).trim() || `column_${i + 1}`);
  // below the first 500 rows locateTable did not look: the data runs to the sample's end
  const last = rows.length > 500 ? rows.length - 1 : bounds.last;
  // a cut sample may end inside a quoted cell: its last record is not to be trusted
  const data = rows
    .slice(bounds.header + 1, (cut ? Math.min(last, rows.length - 2) : last) + 1)
    .map((r) => r.map(cleanCell))
    .filter((r) => r.some((c) => c.trim() !== ''));
  return {
    layout: { format: 'csv', encoding, delimiter, headerRow: bounds.header, headerLine: bounds.header + 1, header },
    rows: data,
    cut,
  };
}

export interface DataRow {
  /** 1-based line of the record in the file, for reports */
  line: number;
  cells: string[];
  /** the record could not be read (bad JSON line): the loader rejects it */
  error?: { vi: string; en: string };
}

/**
 * Streams the data rows below the header, a batch of rows at a time (one
 * await per batch rather than per row). Blank rows are skipped; rows that
 * fill less than half the header are held back and, if nothing but such rows
 * follows, reported as footnotes instead of data.
 */
export async function* dataBatches(
  open: () => Readable,
  layout: TableLayout,
  footnotes: string[] = [],
): AsyncGenerator<DataRow[]> {
  const format = layout.format ?? 'csv';
  const records =
    format === 'csv'
      ? textRecords(open, layout)
      : format === 'xlsx'
        ? sheetRecords(open)
        : objectRecords(open, format, layout.header, layout.json);
  const tabular = format === 'csv' || format === 'xlsx';
  const headerLine = layout.headerLine ?? layout.headerRow + 1;
  const width = layout.header.length;
  let held: DataRow[] = [];
  for await (const batch of records) {
    const out: DataRow[] = [];
    for (const r of batch) {
      if (tabular && r.line <= headerLine) continue;
      if (r.error) {
        out.push(r);
        continue;
      }
      const cells = r.cells;
      let filled = 0;
      for (let i = 0; i < cells.length; i++) {
        cells[i] = cleanCell(cells[i]!);
        if (cells[i] !== '' && cells[i]!.trim() !== '') filled++;
      }
      if (filled === 0) continue;
      // Spreadsheet tables end in notes (“Nguồn: …”): short rows are held back until a full row follows.
      if (tabular && filled < Math.max(2, Math.ceil(width / 2))) {
        held.push({ line: r.line, cells });
        continue;
      }
      if (held.length) {
        out.push(...held);
        held = [];
      }
      out.push({ line: r.line, cells });
    }
    if (out.length) yield out;
  }
  for (const h of held) footnotes.push(h.cells.filter((c) => c.trim() !== '').join(' '));
}

/**
 * Records of a delimited text file, a batch at a time (one await per batch
 * rather than per row), with their line numbers.
 */
async function* textRecords(open: () => Readable, layout: TableLayout): AsyncGenerator<RawRecord[]> {
  const raw = open();
  // UTF-8 is decoded by the parser itself; other encodings go through iconv first.
  const source =
    layout.encoding.encoding === 'utf-8' ? raw : raw.pipe(iconv.decodeStream(iconvName(layout.encoding.encoding)));
  const parser = source.pipe(
    parse({
      delimiter: layout.delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      bom: true,
    }),
  );
  source.on('error', (err) => parser.destroy(err));
  // Line numbers counted here (csv-parse's `info` costs a third of the parse): each record
  // takes one line plus the line breaks inside its quoted cells; empty lines are records too.
  let nextLine = 1;
  let batch: RawRecord[] = [];
  let done = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    wake?.();
    wake = null;
  };
  parser.on('readable', signal);
  parser.on('end', () => {
    done = true;
    signal();
  });
  parser.on('error', (err) => {
    failure = err;
    done = true;
    signal();
  });
  try {
    for (;;) {
      let record: string[] | null;
      while ((record = parser.read() as string[] | null) !== null) {
        const line = nextLine++;
        for (const c of record) if (c.includes('\n')) nextLine += c.split('\n').length - 1;
        batch.push({ line, cells: record });
      }
      if (failure) throw failure;
      if (batch.length >= 1000 || (done && batch.length)) {
        const out = batch;
        batch = [];
        yield out;
        continue;
      }
      if (done) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    parser.destroy();
    raw.destroy();
  }
}

/** Row by row, for callers that want one at a time. */
export async function* dataRows(
  open: () => Readable,
  layout: TableLayout,
  footnotes: string[] = [],
): AsyncGenerator<DataRow> {
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
export async function profileTable(
  open: () => Readable,
  extraMissing: string[] = [],
  format: ReadableFormat = 'csv',
  onBatch?: (batch: DataRow[], inferrers: ColumnInferrer[]) => Promise<void>,
): Promise<TableProfile> {
  const layout = await sniffLayout(open, format);
  const inferrers = layout.header.map(() => new ColumnInferrer(extraMissing));
  const footnotes: string[] = [];
  const overlong: number[] = [];
  let rows = 0;
  const width = layout.header.length;
  for await (const batch of dataBatches(open, layout, footnotes)) {
    for (const row of batch) {
      if (row.error) continue;
      rows++;
      if (row.cells.length > width && row.cells.some((c, i) => i >= width && c.trim() !== '')) overlong.push(row.line);
      for (let i = 0; i < width; i++) inferrers[i]!.add(row.cells[i] ?? '');
    }
    if (onBatch) await onBatch(batch, inferrers);
  }
  return {
    layout,
    // the number format is the file's: a column that cannot tell `.` from `,` goes by the others
    columns: resolveProfiles(inferrers).map((profile, i) => ({ name: layout.header[i]!, ...profile })),
    rows,
    footnotes,
    overlong,
  };
}
