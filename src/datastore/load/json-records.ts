import type { Readable } from 'node:stream';
import parserStream from 'stream-json';
import { DomainError } from '../../platform/errors.js';

/**
 * Where the records of a JSON file are, and how nested ones become rows.
 * Agencies publish records as an array, but also inside an object (`{"data":
 * [...]}`, CKAN's `{"result": {"records": [...]}}`) and nested
 * (provinces → districts → communes). The array of records is the one, under
 * objects only, holding the most objects; a key of the records that holds an
 * array of objects (the first such key seen, at each level) is followed down,
 * and each object at the deepest level is a row carrying its parents' fields,
 * named by where they come from (`district_name`).
 */
export interface JsonShape {
  /** keys from the top object down to the array of records; empty when the file is the array */
  path: string[];
  /** keys followed down from each record to the arrays nested in it */
  nested: string[];
}

export const unreadable = (vi: string, en: string) => new DomainError('VALIDATION_FAILED', { vi, en });

/** `provinces[].districts[].communes[]`: the path read, as the load report shows it. */
export function shapeLabel(shape: JsonShape): string {
  return [shape.path.join('.'), ...shape.nested].join('[].').concat('[]');
}

/** The first character of the file that is not a blank or a byte-order mark. */
async function firstCharacter(open: () => Readable): Promise<string> {
  const stream = open();
  try {
    for await (const chunk of stream) {
      const text = Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
      const m = /[^\s\ufeff]/.exec(text);
      if (m) return m[0];
    }
    return '';
  } finally {
    stream.destroy();
  }
}

interface Frame {
  kind: 'object' | 'array';
  /** keys from the top down to this container; null once inside an array (nested records are followed apart) */
  path: string[] | null;
  key: string | null;
  objects: number;
}

/**
 * The path of the array of records: the file itself when it is an array,
 * else the array (reached through objects only) holding the most objects.
 */
export async function findRecords(open: () => Readable): Promise<string[]> {
  const first = await firstCharacter(open);
  if (first === '[') return [];
  if (first !== '{')
    throw unreadable(
      'Tệp JSON không chứa bản ghi: cần một mảng các đối tượng, hoặc một đối tượng chứa mảng đó.',
      'The JSON file holds no records: an array of objects is needed, or an object holding one.',
    );
  const tokens = open().pipe(parserStream({ streamValues: false, streamKeys: false }));
  const stack: Frame[] = [];
  let best: { path: string[]; objects: number } | null = null;
  const parent = () => stack[stack.length - 1];
  try {
    for await (const t of tokens as AsyncIterable<{ name: string; value?: string }>) {
      const top = parent();
      if (t.name === 'keyValue') {
        if (top) top.key = t.value ?? '';
      } else if (t.name === 'startObject' || t.name === 'startArray') {
        const path = !top ? [] : top.kind === 'object' && top.path ? [...top.path, top.key ?? ''] : null;
        if (t.name === 'startObject' && top?.kind === 'array') top.objects++;
        stack.push({ kind: t.name === 'startObject' ? 'object' : 'array', path, key: null, objects: 0 });
      } else if (t.name === 'endObject' || t.name === 'endArray') {
        const done = stack.pop()!;
        if (done.kind === 'array' && done.path && done.objects > (best?.objects ?? 0))
          best = { path: done.path, objects: done.objects };
      }
    }
  } catch (err) {
    throw notJson(err);
  }
  if (!best)
    throw unreadable(
      'Tệp JSON là một đối tượng nhưng không có mảng các đối tượng (bản ghi) nào bên trong.',
      'The JSON file is an object with no array of objects (records) inside it.',
    );
  return best.path;
}

export const notJson = (err: unknown) =>
  err instanceof DomainError
    ? err
    : unreadable(
        `Tệp không phải JSON hợp lệ: ${(err as Error).message}`,
        `The file is not valid JSON: ${(err as Error).message}`,
      );

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first key of a record that holds an array of objects: nested records to follow. */
function nestedKey(record: Record<string, unknown>): string | undefined {
  return Object.keys(record).find((k) => Array.isArray(record[k]) && (record[k] as unknown[]).some(isObject));
}

/**
 * Learns from one record which keys lead down to nested records (the first key
 * holding an array of objects at each level, and the same one afterwards) and
 * the keys found at each level.
 */
export function learn(shape: JsonShape, levels: Set<string>[], record: Record<string, unknown>, level = 0): void {
  const keys = (levels[level] ??= new Set());
  for (const k of Object.keys(record)) keys.add(k);
  const key = shape.nested[level] ?? nestedKey(record);
  if (key === undefined) return;
  const children = record[key];
  if (!Array.isArray(children) || !children.some(isObject)) return;
  shape.nested[level] = key;
  for (const child of children) if (isObject(child)) learn(shape, levels, child, level + 1);
}

/** The columns, level by level from the top: the names `flatten` gives the fields. */
export function columnsOf(shape: JsonShape, levels: Set<string>[]): string[] {
  const names = levelNames(shape);
  const depth = shape.nested.length;
  return levels.flatMap((keys, level) =>
    [...keys].filter((k) => k !== shape.nested[level]).map((k) => (level < depth ? `${names[level]}_${k}` : k)),
  );
}

/** `districts` → `district`, `cities` → `city`: a level's fields are named after one of its records. */
const singular = (key: string) =>
  key.endsWith('ies') ? `${key.slice(0, -3)}y` : key.endsWith('s') && !key.endsWith('ss') ? key.slice(0, -1) : key;

const levelNames = (shape: JsonShape) =>
  [shape.path[shape.path.length - 1], ...shape.nested].map((k, level) => (k ? singular(k) : `level${level + 1}`));

/**
 * A record as rows: one per record at the deepest level, with the fields of
 * each level above it named `<level>_<field>` (the level named after the key
 * of its array, made singular). A record without nested records is one row.
 */
export function* flatten(record: Record<string, unknown>, shape: JsonShape): Generator<Record<string, unknown>> {
  const depth = shape.nested.length;
  const names = levelNames(shape);
  function* down(
    obj: Record<string, unknown>,
    level: number,
    above: Record<string, unknown>,
  ): Generator<Record<string, unknown>> {
    const key = shape.nested[level];
    const own: Record<string, unknown> = { ...above };
    for (const [k, v] of Object.entries(obj))
      if (k !== key) own[level < depth && depth > 0 ? `${names[level]}_${k}` : k] = v;
    const children = key === undefined ? undefined : obj[key];
    const records = Array.isArray(children) ? children.filter(isObject) : [];
    if (!records.length) {
      yield own;
      return;
    }
    for (const child of records) yield* down(child, level + 1, own);
  }
  if (!depth) {
    yield record;
    return;
  }
  yield* down(record, 0, {});
}
