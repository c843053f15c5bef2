import readline from 'node:readline';
import type { Readable } from 'node:stream';
import parserStream from 'stream-json';
import pick from 'stream-json/filters/pick.js';
import streamArray from 'stream-json/streamers/stream-array.js';
import { firstSheetRows } from './workbook.js';
import { columnsOf, findRecords, flatten, learn, notJson, unreadable, type JsonShape } from './json-records.js';

/**
 * Records of the formats other than delimited text, each as `{line, cells}`:
 * spreadsheet rows with their sheet row number, and JSON objects (an array of
 * objects, one object per line, or GeoJSON features) with their position.
 * Everything streams: a JSON array is read token by token, never whole.
 */
export interface RawRecord {
  line: number;
  cells: string[];
  /** the record could not be read at all (a line of NDJSON that is not JSON) */
  error?: { vi: string; en: string };
}

export type ObjectFormat = 'json' | 'ndjson' | 'geojson';
export const GEOMETRY_COLUMN = 'geometry';

/** A JSON value as the text a cell would hold: numbers as JS writes them, nested values as JSON. */
function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A spreadsheet cell as text: dates without a time as dates, formulas by their result. */
function sheetCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    const date = `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
    const time =
      v.getUTCHours() || v.getUTCMinutes() || v.getUTCSeconds()
        ? `T${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}:${pad(v.getUTCSeconds())}`
        : '';
    return date + time;
  }
  if (typeof v === 'object') {
    const o = v as { result?: unknown; richText?: { text: string }[]; text?: unknown; error?: string };
    if ('result' in o) return sheetCell(o.result);
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if ('text' in o) return sheetCell(o.text);
    if (o.error) return '';
  }
  return cellText(v);
}

/** Rows of the first worksheet, with their row numbers in the sheet. */
export async function* sheetRecords(open: () => Readable): AsyncGenerator<RawRecord[]> {
  let batch: RawRecord[] = [];
  for await (const row of firstSheetRows(open)) {
    const values = row.values as unknown[];
    batch.push({ line: row.number, cells: values.slice(1).map(sheetCell) });
    if (batch.length >= 1000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** The objects of a JSON array (at `shape.path`), an NDJSON file or a GeoJSON FeatureCollection, in order. */
async function* objects(
  open: () => Readable,
  format: ObjectFormat,
  shape: JsonShape = { path: [], nested: [] },
): AsyncGenerator<{ line: number; value?: Record<string, unknown>; error?: RawRecord['error'] }> {
  if (format === 'ndjson') {
    const lines = readline.createInterface({ input: open(), crlfDelay: Infinity });
    let line = 0;
    for await (const text of lines) {
      line++;
      if (!text.trim()) continue;
      try {
        const value: unknown = JSON.parse(text);
        if (typeof value !== 'object' || value === null || Array.isArray(value))
          yield { line, error: { vi: 'Dòng không phải một đối tượng JSON', en: 'The line is not a JSON object' } };
        else yield { line, value: value as Record<string, unknown> };
      } catch {
        yield { line, error: { vi: 'Dòng không phải JSON hợp lệ', en: 'The line is not valid JSON' } };
      }
    }
    return;
  }
  const tokens = open().pipe(parserStream());
  const { path } = shape;
  const atPath = (stack: unknown[]) => stack.length === path.length && path.every((k, i) => stack[i] === k);
  const items =
    format === 'geojson'
      ? tokens.pipe(pick.asStream({ filter: 'features' })).pipe(streamArray.asStream())
      : path.length
        ? tokens.pipe(pick.asStream({ filter: atPath })).pipe(streamArray.asStream())
        : tokens.pipe(streamArray.asStream());
  tokens.on('error', (err) => items.destroy(err));
  const isRecord = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  let line = 0;
  try {
    for await (const item of items as AsyncIterable<{ key: number; value: unknown }>) {
      const v = item.value;
      if (!isRecord(v)) {
        yield { line: ++line, error: { vi: 'Phần tử không phải một đối tượng', en: 'The item is not an object' } };
      } else if (format === 'geojson') {
        const f = v as { properties?: Record<string, unknown> | null; geometry?: unknown };
        yield { line: ++line, value: { ...(f.properties ?? {}), [GEOMETRY_COLUMN]: f.geometry ?? null } };
      } else if (shape.nested.length) {
        // one row per record at the deepest level, numbered in order
        for (const row of flatten(v, shape)) yield { line: ++line, value: row };
      } else yield { line: ++line, value: v };
    }
  } catch (err) {
    throw format === 'geojson' ? err : notJson(err);
  }
}

/**
 * Every key of every object, in the order first seen: a key that appears late is still a column. A JSON file's
 * records are found first (`findRecords`), and nested records followed down (`learn`).
 */
export async function objectKeys(
  open: () => Readable,
  format: ObjectFormat,
): Promise<{ keys: string[]; shape?: JsonShape }> {
  if (format === 'json') {
    const shape: JsonShape = { path: await findRecords(open), nested: [] };
    const levels: Set<string>[] = [];
    // the records as they are (not yet flattened): `learn` follows them down
    for await (const o of objects(open, format, { path: shape.path, nested: [] }))
      if (o.value) learn(shape, levels, o.value);
    const keys = columnsOf(shape, levels);
    if (!keys.length)
      throw unreadable(
        'Tệp JSON không có bản ghi nào: mảng các đối tượng trống.',
        'The JSON file holds no records: its array of objects is empty.',
      );
    return { keys, shape };
  }
  const keys = new Set<string>();
  for await (const o of objects(open, format)) if (o.value) for (const k of Object.keys(o.value)) keys.add(k);
  if (format === 'geojson') {
    keys.delete(GEOMETRY_COLUMN);
    keys.add(GEOMETRY_COLUMN);
  }
  return { keys: [...keys] };
}

export async function* objectRecords(
  open: () => Readable,
  format: ObjectFormat,
  header: string[],
  shape?: JsonShape,
): AsyncGenerator<RawRecord[]> {
  let batch: RawRecord[] = [];
  for await (const o of objects(open, format, shape)) {
    batch.push(
      o.value
        ? { line: o.line, cells: header.map((k) => cellText(o.value![k])) }
        : { line: o.line, cells: [], error: o.error },
    );
    if (batch.length >= 1000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
