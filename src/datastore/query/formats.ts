import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { LoadedColumn } from '../load/loader.js';

/**
 * Writers for a view of a table, each fed batches of rows and each streaming:
 * memory holds one batch (and, for Parquet, one row group), never the table.
 */
export type Format = 'json' | 'ndjson' | 'csv' | 'xlsx' | 'parquet';
export type Batches = AsyncIterable<Record<string, unknown>[]>;
/** A column of the output: `_id` first, then the view's columns or groups and aggregates. */
export interface OutColumn {
  id: string;
  type: LoadedColumn['type'];
}

export const MEDIA_TYPES: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  parquet: 'application/vnd.apache.parquet',
};

/** JSON-friendly value: exact numerics as numbers, instants as ISO 8601. */
export function jsonValue(v: unknown, type: OutColumn['type']): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  if (type === 'number' && typeof v === 'string') return Number(v);
  return v;
}

const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const s = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

async function* csv(columns: OutColumn[], batches: Batches): AsyncGenerator<string> {
  // A BOM so that Excel opens Vietnamese text as UTF-8.
  yield `\ufeff${columns.map((c) => csvCell(c.id)).join(',')}\r\n`;
  for await (const rows of batches) {
    if (rows.length) yield `${rows.map((r) => columns.map((c) => csvCell(r[c.id])).join(',')).join('\r\n')}\r\n`;
  }
}

async function* ndjson(columns: OutColumn[], batches: Batches): AsyncGenerator<string> {
  for await (const rows of batches) {
    if (rows.length)
      yield `${rows
        .map((r) => JSON.stringify(Object.fromEntries(columns.map((c) => [c.id, jsonValue(r[c.id], c.type)]))))
        .join('\n')}\n`;
  }
}

async function* json(columns: OutColumn[], batches: Batches): AsyncGenerator<string> {
  yield '[';
  let first = true;
  for await (const rows of batches) {
    if (!rows.length) continue;
    const body = rows
      .map((r) => JSON.stringify(Object.fromEntries(columns.map((c) => [c.id, jsonValue(r[c.id], c.type)]))))
      .join(',');
    yield first ? body : `,${body}`;
    first = false;
  }
  yield ']';
}

/** Excel holds 1,048,576 rows a sheet: a longer view continues on a next sheet. */
const SHEET_ROWS = 1_048_575;

function xlsx(columns: OutColumn[], batches: Batches): Readable {
  const out = new PassThrough();
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  (async () => {
    let sheet: ExcelJS.Worksheet | null = null;
    let inSheet = 0;
    let sheets = 0;
    const next = () => {
      sheet?.commit();
      sheet = book.addWorksheet(sheets++ ? `data_${sheets}` : 'data');
      sheet.addRow(columns.map((c) => c.id)).commit();
      inSheet = 0;
    };
    next();
    for await (const rows of batches) {
      for (const r of rows) {
        if (inSheet === SHEET_ROWS) next();
        sheet!
          .addRow(
            columns.map((c) => {
              const v = r[c.id];
              return c.type === 'number' && typeof v === 'string'
                ? Number(v)
                : c.type === 'geometry' && v
                  ? JSON.stringify(v)
                  : (v ?? null);
            }),
          )
          .commit();
        inSheet++;
      }
      // let the zip stream drain before reading more rows
      if (out.writableNeedDrain) await new Promise((resolve) => out.once('drain', resolve));
    }
    (sheet as ExcelJS.Worksheet | null)?.commit();
    await book.commit();
  })().catch((err: unknown) => out.destroy(err as Error));
  return out;
}

const PARQUET_TYPE: Record<OutColumn['type'], Record<string, unknown>> = {
  integer: { type: 'INT64' },
  number: { type: 'DOUBLE' },
  boolean: { type: 'BOOLEAN' },
  date: { type: 'INT32', converted_type: 'DATE' },
  datetime: { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' },
  text: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
  geometry: { type: 'BYTE_ARRAY', converted_type: 'UTF8' },
};

function parquetValue(v: unknown, type: OutColumn['type']): unknown {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'integer':
      return BigInt(v as number | string);
    case 'number':
      return Number(v);
    case 'date':
      return new Date(`${String(v)}T00:00:00Z`);
    case 'geometry':
      return JSON.stringify(v);
    default:
      return v;
  }
}

async function* parquet(columns: OutColumn[], batches: Batches): AsyncGenerator<Buffer> {
  const writer = new ByteWriter();
  const take = () => {
    const bytes = Buffer.from(new Uint8Array(writer.buffer, 0, writer.index));
    writer.index = 0;
    return bytes;
  };
  const schema = [
    { name: 'root', num_children: columns.length },
    ...columns.map((c) => ({ name: c.id, repetition_type: 'OPTIONAL', ...PARQUET_TYPE[c.type] })),
  ];
  const pq = new ParquetWriter({ writer, schema: schema as never, createdBy: 'ndp' });
  for await (const rows of batches) {
    if (!rows.length) continue;
    const columnData = columns.map((c) => ({ name: c.id, data: rows.map((r) => parquetValue(r[c.id], c.type)) }));
    await pq.write({ columnData: columnData as never, rowGroupSize: rows.length });
    yield take();
  }
  await pq.finish();
  yield take();
}

export function writeView(
  format: Format,
  columns: OutColumn[],
  batches: Batches,
): Readable | AsyncIterable<string | Buffer> {
  switch (format) {
    case 'csv':
      return csv(columns, batches);
    case 'ndjson':
      return ndjson(columns, batches);
    case 'json':
      return json(columns, batches);
    case 'xlsx':
      return xlsx(columns, batches);
    case 'parquet':
      return parquet(columns, batches);
  }
}
