import type { Readable } from 'node:stream';
import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../../platform/database.js';
import {
  fileNumberStyle,
  type ColumnInferrer,
  type ColumnProfile,
  type ColumnType,
  type NumberStyle,
} from './infer.js';
import { PG_TYPES } from './convert.js';
import { convertedRecords, DirectMiss, type ConvertedFile } from './checked-records.js';
import type { TableLayout } from './reader.js';

/**
 * The direct load of a CSV file: one pass. Node reads each record with the
 * file's record pattern and writes it, values in PostgreSQL's input forms
 * (`checked-records.ts`), straight into the typed table through the
 * database's own CSV COPY — Node and PostgreSQL each on a core. Dates are
 * read day first and times without a zone as Vietnam's (+07:00), as the
 * row-by-row conversion reads them. A column the first rows could not type
 * is loaded as text and converted in place once every value has decided its
 * type. Anything the reading refuses returns a miss; the caller then takes
 * the row-by-row load, which reports and rejects row by row.
 */
export interface DirectColumn {
  id: string;
  title: string;
  type: ColumnType;
  numberStyle: NumberStyle;
  capture: boolean;
  /** the column's values in the sample: what they say of the file's number format */
  sample?: ColumnInferrer;
  /** only values that leave the format as the sample left it take the fast way (see record-pattern.ts) */
  narrow?: 'neutral' | 'ambiguous';
  /** the Table Schema declares the column's number format: the file's does not apply */
  declaredStyle?: boolean;
}

export interface DirectLoaded {
  rows: number;
  /** the columns' final types (inferred from every value for those the sample could not type) */
  types: { type: ColumnType; numberStyle: NumberStyle }[];
  footnotes: string[];
  /** per column, how a number column the file left ambiguous was read */
  profiles: Pick<ColumnProfile, 'reading'>[];
  /** milliseconds: read and copied, then the columns typed late converted in place */
  phases: { copy_ms: number; convert_ms: number };
}

const TRUE_WORDS = ['true', 'có', 'yes', 'đúng'];
/** How PostgreSQL must read dates and times for the values to mean what the row-by-row load makes of them. */
const READING = ["set local datestyle = 'ISO, DMY'", "set local time zone interval '+07:00' hour to minute"];

export async function loadDirect(
  database: Database,
  tableName: string,
  open: () => Readable,
  layout: TableLayout,
  columns: DirectColumn[],
  onProgress?: (rows: number) => void,
): Promise<DirectLoaded | { miss: string }> {
  const { db } = database;
  const target = sql.table(`datastore.${tableName}`);
  const read: ConvertedFile = { records: 0, footnotes: [], inferred: new Map(), noted: new Map() };
  let t = Date.now();
  const lap = () => Date.now() - t + 0 * (t = Date.now());
  await sql`create table ${target} (_row bigint not null, ${sql.join(columns.map((c) => sql`${sql.id(c.id)} ${sql.raw(PG_TYPES[c.capture ? 'text' : c.type])}`))})`.execute(
    db,
  );
  try {
    async function* progress(): AsyncGenerator<Buffer> {
      for await (const chunk of convertedRecords(open, layout, columns, read)) {
        yield chunk;
        onProgress?.(read.records);
      }
    }
    await database.copyIn(`datastore.${tableName}`, ['_row', ...columns.map((c) => c.id)], progress(), {
      delimiter: layout.delimiter,
      prelude: READING,
    });
  } catch (err) {
    await sql`drop table if exists ${target}`.execute(db);
    // a record the reading let through and the database did not (a 31/02 date): the row-by-row load will say which
    return {
      miss: err instanceof DirectMiss ? err.message : `the database refused a value: ${(err as Error).message}`,
    };
  }
  const copyMs = lap();
  // The file's number format from every value that could change it: the sample's, the values the fast way
  // refused in narrowed columns, the columns typed late. It must be what the load was planned with.
  const decisive = (i: number) => {
    const e = read.noted.get(i)?.evidence();
    return e === 'vietnamese' || e === 'international' ? e : undefined;
  };
  const evidence = columns.map(
    (c, i) => read.inferred.get(i)?.evidence() ?? decisive(i) ?? c.sample?.evidence() ?? null,
  );
  const style = fileNumberStyle(evidence);
  const profiles = columns.map((c, i) => {
    const inferrer = read.inferred.get(i) ?? (decisive(i) ? read.noted.get(i) : c.sample);
    return inferrer?.result(style) ?? null;
  });
  const changed = columns.findIndex(
    (c, i) =>
      !c.capture &&
      !c.declaredStyle &&
      (c.type === 'integer' || c.type === 'number') &&
      (profiles[i]?.type === 'integer' || profiles[i]?.type === 'number') &&
      profiles[i]!.numberStyle !== c.numberStyle,
  );
  if (changed !== -1) {
    await sql`drop table if exists ${target}`.execute(db);
    return { miss: `values after the first rows decided the number format of “${columns[changed]!.title}”` };
  }
  const types = columns.map((c, i) => {
    const inferred = read.inferred.get(i) ? profiles[i]! : null;
    return inferred
      ? { type: inferred.type, numberStyle: inferred.numberStyle }
      : { type: c.type, numberStyle: c.numberStyle };
  });
  const late = columns.flatMap((c, i) => (c.capture && types[i]!.type !== 'text' ? [i] : []));
  if (late.length) {
    try {
      await db.transaction().execute(async (trx) => {
        for (const s of READING) await sql.raw(s).execute(trx);
        const alter = late.map(
          (i) =>
            sql`alter column ${sql.id(columns[i]!.id)} type ${sql.raw(PG_TYPES[types[i]!.type])} using ${converted(sql.ref(columns[i]!.id), types[i]!.type, types[i]!.numberStyle)}`,
        );
        await sql`alter table ${target} ${sql.join(alter)}`.execute(trx);
      });
    } catch (err) {
      await sql`drop table if exists ${target}`.execute(db);
      return { miss: `a column typed from every value could not be converted: ${(err as Error).message}` };
    }
  }
  return {
    rows: read.records,
    types,
    footnotes: read.footnotes,
    profiles: profiles.map((p) => ({ ...(p?.reading ? { reading: p.reading } : {}) })),
    phases: { copy_ms: copyMs, convert_ms: lap() },
  };
}

/**
 * A text cell (markers already missing) as the type every value of its column
 * fits; if a value does not convert, the ALTER fails and the load falls back.
 */
function converted(c: RawBuilder<unknown>, type: ColumnType, style: NumberStyle): RawBuilder<unknown> {
  const value = {
    integer: style === 'vietnamese' ? sql`replace(${c}, '.', '')::bigint` : sql`replace(${c}, ',', '')::bigint`,
    number:
      style === 'vietnamese'
        ? sql`trim_scale(replace(replace(${c}, '.', ''), ',', '.')::numeric)`
        : sql`trim_scale(replace(${c}, ',', '')::numeric)`,
    boolean: sql`lower(btrim(${c}, E' \\t')) = any(${TRUE_WORDS}::text[])`,
    date: sql`${c}::date`,
    datetime: sql`${c}::timestamptz`,
    geometry: sql`${c}::jsonb`,
    text: c,
  }[type];
  return value;
}

/** Missing values per column and the longest text, in one pass over the loaded table. */
export async function columnStats(
  database: Database,
  tableName: string,
  ids: string[],
  types: ColumnType[],
): Promise<{ missing: number[]; maxLengths: number[] }> {
  const parts = ids.flatMap((id, i) => [
    sql`count(${sql.ref(id)})::bigint as ${sql.ref(`v${i}`)}`,
    types[i] === 'text'
      ? sql`coalesce(max(char_length(${sql.ref(id)})), 0)::bigint as ${sql.ref(`l${i}`)}`
      : sql`0::bigint as ${sql.ref(`l${i}`)}`,
  ]);
  const r = (
    await sql<
      Record<string, number>
    >`select count(*)::bigint as n, ${sql.join(parts)} from ${sql.table(`datastore.${tableName}`)}`.execute(database.db)
  ).rows[0]!;
  return { missing: ids.map((_, i) => r.n! - r[`v${i}`]!), maxLengths: ids.map((_, i) => r[`l${i}`]!) };
}
