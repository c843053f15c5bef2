import type { Readable } from 'node:stream';
import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../platform/database.js';
import { MISSING_MARKERS, type ColumnType, type NumberStyle } from './infer.js';
import { PG_TYPES } from './convert.js';
import { checkedRecords, DirectMiss, type Breakpoint, type CheckedFile } from './checked-records.js';
import type { TableLayout } from './reader.js';

/**
 * The direct load of a CSV file: the database parses and converts, Node only
 * checks. Records are checked against the file's record pattern while they
 * stream into an unlogged staging table of text columns (the database's own
 * CSV COPY); the typed table is then filled from it in one INSERT … SELECT per
 * lane, with conversions that give exactly what the row-by-row load would.
 * Anything the check refuses (a value that widens a column's type, a row of
 * the wrong width, a malformed record) returns a miss, and the caller takes
 * the row-by-row load, which reports and rejects row by row.
 */
export interface DirectColumn { id: string; title: string; type: ColumnType; numberStyle: NumberStyle; capture: boolean }

export interface DirectLoaded {
  rows: number;
  /** the columns' final types (inferred from every value for those the sample could not type) */
  types: { type: ColumnType; numberStyle: NumberStyle }[];
  footnotes: string[];
  /** milliseconds: checking while the database copies, converting into the typed table */
  phases: { copy_ms: number; convert_ms: number };
}

/** Values of the tail looked at for notes below the table that have the table's width. */
const TAIL = 64;
const TRUE_WORDS = ['true', 'có', 'yes', 'đúng'];

export const stagingName = (tableName: string) => `${tableName}_staging`;

export async function loadDirect(
  database: Database, tableName: string, open: () => Readable, layout: TableLayout, columns: DirectColumn[], onProgress?: (rows: number) => void,
): Promise<DirectLoaded | { miss: string }> {
  const { db } = database;
  const staging = sql.table(`datastore.${stagingName(tableName)}`);
  const cells = columns.map((_, i) => `c${i + 1}`);
  const checked: CheckedFile = { records: 0, breakpoints: [], footnotes: [], inferred: new Map() };
  let t = Date.now();
  const lap = () => Date.now() - t + 0 * (t = Date.now());
  try {
    await sql`create unlogged table ${staging} (k bigint generated always as identity (cache 1000), ${sql.join(cells.map((c) => sql`${sql.id(c)} text`))})`.execute(db);
    async function* progress(): AsyncGenerator<string> {
      for await (const chunk of checkedRecords(open, layout, columns, checked)) {
        yield chunk;
        onProgress?.(checked.records);
      }
    }
    try {
      await database.copyIn(`datastore.${stagingName(tableName)}`, cells, progress(), { delimiter: layout.delimiter });
    } catch (err) {
      // a record the check let through and the database's CSV parser did not: the row-by-row load will say which
      return { miss: err instanceof DirectMiss ? err.message : `the database refused the file: ${(err as Error).message}` };
    }
    const copyMs = lap();
    const footnotes = await tailNotes(database, stagingName(tableName), cells, checked.records);
    const rows = checked.records - footnotes.length;
    const types = columns.map((c, i) => {
      const inferred = checked.inferred.get(i);
      return inferred ? { type: inferred.type, numberStyle: inferred.numberStyle } : { type: c.type, numberStyle: c.numberStyle };
    });
    const target = sql.table(`datastore.${tableName}`);
    await sql`create table ${target} (_row bigint not null, ${sql.join(columns.map((c, i) => sql`${sql.id(c.id)} ${sql.raw(PG_TYPES[types[i]!.type])}`))})`.execute(db);
    const select = sql.join([rowNumber(checked.breakpoints), ...cells.map((c, i) => converted(sql.ref(c), types[i]!.type, types[i]!.numberStyle))]);
    // PostgreSQL converts in two lanes (two backends, two cores); the embedded database has one connection
    const lanes = database.driver === 'postgres' && rows > 100_000 ? 2 : 1;
    // each lane reads only its own pages of staging (a TID range scan), not the whole table
    const blocks = lanes === 1 ? 0 : Number((await sql<{ b: number }>`select (pg_relation_size(${`datastore.${stagingName(tableName)}`}::regclass) / current_setting('block_size')::int)::bigint as b`.execute(db)).rows[0]!.b);
    const pages = (lane: number) => (lanes === 1 ? sql`true`
      : lane === 0 ? sql`ctid < ${`(${Math.floor(blocks / 2)},0)`}::tid` : sql`ctid >= ${`(${Math.floor(blocks / 2)},0)`}::tid`);
    try {
      await Promise.all(Array.from({ length: lanes }, (_, lane) => db.transaction().execute(async (trx) => {
        // PostgreSQL reads 24/11/2026 day first, and a time without a zone as Vietnam's (+07:00), as the row-by-row conversion does
        await sql`set local datestyle = 'ISO, DMY'`.execute(trx);
        await sql`set local time zone interval '+07:00' hour to minute`.execute(trx);
        // no wait for this commit's WAL flush: the commit that marks the version ready comes after and flushes it all
        await sql`set local synchronous_commit = off`.execute(trx);
        await sql`insert into ${target} select ${select} from ${staging} where ${pages(lane)}`.execute(trx);
      })));
    } catch (err) {
      await sql`drop table if exists ${target}`.execute(db);
      return { miss: `a value the database could not convert: ${(err as Error).message}` };
    }
    return { rows, types, footnotes: [...footnotes, ...checked.footnotes], phases: { copy_ms: copyMs, convert_ms: lap() } };
  } finally {
    await sql`drop table if exists ${staging}`.execute(db);
  }
}

/** `_row` is the record's line in the file: its number plus the offset of the last breakpoint at or before it. */
function rowNumber(breakpoints: Breakpoint[]): RawBuilder<unknown> {
  if (breakpoints.length <= 1) return sql`k + ${breakpoints[0]?.offset ?? 0}::bigint`;
  // width_bucket over the breakpoints' record numbers: a binary search per row
  return sql`k + (${breakpoints.map((b) => b.offset)}::bigint[])[width_bucket(k, ${breakpoints.map((b) => b.k)}::bigint[])]`;
}

/**
 * A staging cell as the column's type. The check let through only values of
 * the type and missing-value markers, so these conversions cannot meet
 * anything else; if they do, the INSERT fails and the load falls back.
 */
function converted(c: RawBuilder<unknown>, type: ColumnType, style: NumberStyle): RawBuilder<unknown> {
  // as isMissing(), for the values the check lets through: a marker is at most 8 bytes here (longer,
  // blank-padded markers in text cells take the row-by-row load), and no value of a typed column starting
  // with a digit is one — the cheap test first, as most cells are not markers
  const missing = sql`octet_length(${c}) <= 8 and lower(btrim(${c}, E' \\t')) = any(${MISSING_MARKERS}::text[])`;
  if (type === 'text') return sql`case when ${missing} then null else ${c} end`;
  const value = {
    integer: style === 'vietnamese' ? sql`replace(${c}, '.', '')::bigint` : sql`replace(${c}, ',', '')::bigint`,
    number: style === 'vietnamese' ? sql`trim_scale(replace(replace(${c}, '.', ''), ',', '.')::numeric)` : sql`trim_scale(replace(${c}, ',', '')::numeric)`,
    boolean: sql`lower(btrim(${c}, E' \\t')) = any(${TRUE_WORDS}::text[])`,
    date: sql`${c}::date`,
    datetime: sql`${c}::timestamptz`,
    geometry: sql`${c}::jsonb`,
  }[type];
  return sql`case when ascii(${c}) between 48 and 57 then ${value} when ${missing} then null else ${value} end`;
}

/**
 * Notes below the table written with the table's width (“Nguồn: …,,,,”) went
 * to staging with the data: the trailing rows that fill less than half the
 * header are notes, as in the row-by-row load. They are removed from staging.
 */
async function tailNotes(database: Database, staging: string, cells: string[], records: number): Promise<string[]> {
  const { db } = database;
  const tail = await sql<Record<string, string | null>>`select k, ${sql.join(cells.map((c) => sql.ref(c)))} from ${sql.table(`datastore.${staging}`)} where k > ${records - TAIL} order by k`.execute(db);
  const shortBelow = Math.max(2, Math.ceil(cells.length / 2));
  const notes: { k: number; text: string }[] = [];
  for (const row of [...tail.rows].reverse()) {
    const filled = cells.map((c) => row[c] ?? '').filter((v) => v.trim() !== '');
    if (filled.length >= shortBelow) break;
    notes.unshift({ k: Number(row.k), text: filled.join(' ') });
  }
  if (notes.length) await sql`delete from ${sql.table(`datastore.${staging}`)} where k >= ${notes[0]!.k}`.execute(db);
  return notes.map((n) => n.text);
}

/** Missing values per column and the longest text, in one pass over the loaded table. */
export async function columnStats(database: Database, tableName: string, ids: string[], types: ColumnType[]): Promise<{ missing: number[]; maxLengths: number[] }> {
  const parts = ids.flatMap((id, i) => [
    sql`count(${sql.ref(id)})::bigint as ${sql.ref(`v${i}`)}`,
    types[i] === 'text' ? sql`coalesce(max(char_length(${sql.ref(id)})), 0)::bigint as ${sql.ref(`l${i}`)}` : sql`0::bigint as ${sql.ref(`l${i}`)}`,
  ]);
  const r = (await sql<Record<string, number>>`select count(*)::bigint as n, ${sql.join(parts)} from ${sql.table(`datastore.${tableName}`)}`.execute(database.db)).rows[0]!;
  return { missing: ids.map((_, i) => r.n! - r[`v${i}`]!), maxLengths: ids.map((_, i) => r[`l${i}`]!) };
}
