import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { Database } from '../../platform/database.js';
import { dataBatches, profileTable, sniffTextSample, type TableFormat } from './reader.js';
import { columnIdentifiers, FROM_TABLE_SCHEMA, PG_TYPES, toCopyText } from './convert.js';
import { inferColumn, type ColumnType, type NumberStyle } from './infer.js';
import { columnStats, loadDirect, type DirectColumn } from './direct-load.js';
import { checkCodeLists, type CodeListReport } from './codelists.js';
import { Staging } from './staging.js';
import { xlsToCsv } from './xls.js';

export interface LoadedColumn {
  id: string;
  title: string;
  type: ColumnType;
  numberStyle: NumberStyle;
  inferred: ColumnType;
  missing: number;
  /** set on a version derived to protect personal data: how this column was de-identified */
  deidentified?: 'mask' | 'hash' | 'year' | 'address';
}
export interface RejectedRow {
  line: number;
  column: string;
  value: string;
  vi: string;
  en: string;
}
export interface LoadResult {
  tableId: string;
  tableName: string;
  version: number;
  rows: number;
  rejected: number;
  columns: LoadedColumn[];
  rejections: RejectedRow[];
  footnotes: string[];
  /** failed: every row was rejected, and the previous version stays current */
  status: 'ready' | 'failed';
  /** columns checked against a code list of administrative units */
  codeLists?: CodeListReport[];
  /** from the start to a queryable table, and the index builds after it */
  timings?: { ready_ms: number; indexed_ms: number; copy_ms?: number; convert_ms?: number };
  /** direct: checked in Node, parsed and converted by the database; rows: parsed and converted row by row */
  path?: 'direct' | 'rows';
  /** why a CSV file could not take the direct load */
  directMiss?: string;
}

type TableSchema = { fields: { name: string; type: string }[]; missingValues?: string[] } | null;

const CHUNK_CHARS = 4 * 1024 * 1024;
/** rejections shown in the version's report */
const KEPT_REJECTIONS = 1000;
/** rejections stored whole (with the row) for download: bounded, so a file of nothing but bad rows cannot fill memory */
export const STORED_REJECTIONS = 100_000;
/** B-tree entries must fit a third of a page: text longer than this is left unindexed. */
const INDEXED_TEXT = 500;

/**
 * Loads a table file into a new, typed table version. The previous version is
 * never touched; the new one is registered as `loading` first (so a crash
 * leaves a trace that start-up cleans) and `ready` only once every row is in.
 * A Table Schema attached to the distribution wins over inference.
 */
export async function loadTable(
  database: Database,
  distributionId: string,
  open: () => Readable,
  schema?: TableSchema,
  onProgress?: (rowsLoaded: number) => void,
  format: TableFormat = 'csv',
  options: { direct?: boolean } = {},
): Promise<LoadResult> {
  if (format === 'xls') {
    // a legacy workbook is read as the CSV of its first sheet (one line per sheet row), converted apart
    const csv = await xlsToCsv(open);
    try {
      return await loadTable(
        database,
        distributionId,
        () => fs.createReadStream(csv),
        schema,
        onProgress,
        'csv',
        options,
      );
    } finally {
      fs.rmSync(csv, { force: true });
    }
  }
  const { db } = database;
  const started = Date.now();
  const extraMissing = (schema?.missingValues ?? []).map((m) => m.toLowerCase());
  let directMiss: string | undefined;
  // `direct: false` forces the row-by-row load (tests compare the two)
  if (format === 'csv' && !extraMissing.length && options.direct !== false) {
    const direct = await loadTableDirect(database, distributionId, open, schema ?? null, started, onProgress);
    if ('status' in direct) return direct;
    directMiss = direct.miss;
  }
  // Without a Table Schema, inference decides every type, so the profiling pass can stage the rows too.
  const staging = schema?.fields?.length || extraMissing.length ? null : new Staging();
  const profile = await profileTable(
    open,
    extraMissing,
    format,
    staging ? (batch, inferrers) => staging.add(batch, inferrers) : undefined,
  );
  const ids = columnIdentifiers(profile.columns.map((c) => c.name));
  const columns: LoadedColumn[] = profile.columns.map((c, i) => {
    const declared = schema?.fields.find((f) => f.name === c.name)?.type;
    const type = declared
      ? (FROM_TABLE_SCHEMA[declared] ?? 'text')
      : c.name === profile.layout.geometryColumn
        ? 'geometry'
        : c.type;
    return { id: ids[i]!, title: c.name, type, numberStyle: c.numberStyle, inferred: c.type, missing: c.missing };
  });

  const { version, tableId, tableName } = await registerVersion(database, distributionId, columns);

  const staged = staging ? await staging.finish(columns) : false;
  const rejections: RejectedRow[] = [];
  const stored: {
    line: number;
    column_name: string;
    value: string;
    reason_vi: string;
    reason_en: string;
    cells: string;
  }[] = [];
  let rejected = 0;
  let rows = 0;
  try {
    const columnSql = sql.join(columns.map((c) => sql`${sql.id(c.id)} ${sql.raw(PG_TYPES[c.type])}`));
    await sql`create table ${sql.table(`datastore.${tableName}`)} (_row bigint not null, ${columnSql})`.execute(db);
    async function* copyText(): AsyncGenerator<string> {
      let buffer = '';
      for await (const batch of dataBatches(open, profile.layout))
        for (const row of batch) {
          const cells: string[] = [String(row.line)];
          let bad: RejectedRow | null = row.error ? { line: row.line, column: '', value: '', ...row.error } : null;
          for (let i = 0; i < columns.length && !bad; i++) {
            const c = columns[i]!;
            const out = toCopyText(row.cells[i], c.type, c.numberStyle, extraMissing);
            if (typeof out !== 'string') {
              bad = { line: row.line, column: c.title, value: row.cells[i] ?? '', ...out };
              break;
            }
            cells.push(out);
          }
          if (bad) {
            rejected++;
            if (rejections.length < KEPT_REJECTIONS) rejections.push(bad);
            if (stored.length < STORED_REJECTIONS)
              stored.push({
                line: bad.line,
                column_name: bad.column,
                value: bad.value,
                reason_vi: bad.vi,
                reason_en: bad.en,
                cells: JSON.stringify(row.cells),
              });
            continue;
          }
          rows++;
          buffer += `${cells.join('\t')}\n`;
          if (buffer.length >= CHUNK_CHARS) {
            yield buffer;
            buffer = '';
            onProgress?.(rows);
          }
        }
      if (buffer) yield buffer;
    }
    const target = `datastore.${tableName}`;
    const names = ['_row', ...columns.map((c) => c.id)];
    if (staged) {
      // every row already converted during profiling, with the types that held to the end
      async function* counted(): AsyncGenerator<string> {
        for await (const chunk of staging!.chunks()) {
          for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) rows++;
          yield chunk;
          onProgress?.(rows);
        }
      }
      await database.copyIn(target, names, counted());
    } else await database.copyIn(target, names, copyText());
    for (let i = 0; i < stored.length; i += 1000) {
      await db
        .insertInto('datastore_rejections')
        .values(stored.slice(i, i + 1000).map((r) => ({ table_id: tableId, ...r })))
        .execute();
    }
    stored.length = 0;
    if (rows === 0 && rejected > 0) {
      staging?.remove();
      // Nothing fits (a wrong type declared, most often): the previous version stays the current one.
      await sql`drop table ${sql.table(`datastore.${tableName}`)}`.execute(db);
      await db
        .updateTable('datastore_tables')
        .set({
          status: 'failed',
          rejected_count: rejected,
          finished_at: new Date(),
          report: JSON.stringify({
            error: 'every row was rejected',
            error_vi: 'Mọi dòng đều bị loại',
            rejections,
            footnotes: profile.footnotes,
          }),
        })
        .where('id', '=', tableId)
        .execute();
      return {
        tableId,
        tableName,
        version,
        rows,
        rejected,
        columns,
        rejections,
        footnotes: profile.footnotes,
        status: 'failed',
      };
    }
    await db
      .updateTable('datastore_tables')
      .set({
        status: 'ready',
        row_count: rows,
        rejected_count: rejected,
        finished_at: new Date(),
        report: JSON.stringify({
          rejections,
          footnotes: profile.footnotes,
          layout: { ...profile.layout, header: undefined },
        }),
      })
      .where('id', '=', tableId)
      .execute();
  } catch (err) {
    staging?.remove();
    await sql`drop table if exists ${sql.table(`datastore.${tableName}`)}`.execute(db).catch(() => undefined);
    await db
      .updateTable('datastore_tables')
      .set({ status: 'failed', finished_at: new Date(), report: JSON.stringify({ error: String(err) }) })
      .where('id', '=', tableId)
      .execute();
    throw err;
  }
  staging?.remove();
  const readyMs = Date.now() - started;
  const indexedMs = await indexTable(
    database,
    tableId,
    tableName,
    columns,
    profile.columns.map((c) => c.maxLength ?? 0),
  );
  const codeLists = await checkCodeLists(db, tableName, columns, schema as never);
  if (codeLists.length) {
    await db
      .updateTable('datastore_tables')
      .set({ report: sql`report || ${JSON.stringify({ code_lists: codeLists })}::jsonb` })
      .where('id', '=', tableId)
      .execute();
  }
  return {
    tableId,
    tableName,
    version,
    rows,
    rejected,
    columns,
    rejections,
    footnotes: profile.footnotes,
    status: 'ready',
    codeLists,
    timings: { ready_ms: readyMs, indexed_ms: indexedMs },
    path: 'rows',
    ...(directMiss ? { directMiss } : {}),
  };
}

/** A new version of a file's table, registered `loading`: the next number, its own table name. */
export async function registerVersion(database: Database, distributionId: string, columns: LoadedColumn[]) {
  const { db } = database;
  const last = await db
    .selectFrom('datastore_tables')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('distribution_id', '=', distributionId)
    .executeTakeFirst();
  const version = Number(last?.v ?? 0) + 1;
  const tableId = randomUUID();
  const tableName = `d_${distributionId.replace(/-/g, '')}_v${version}`;
  await db
    .insertInto('datastore_tables')
    .values({
      id: tableId,
      distribution_id: distributionId,
      version,
      table_name: tableName,
      status: 'loading',
      columns: JSON.stringify(columns),
    })
    .execute();
  return { version, tableId, tableName };
}

/**
 * A CSV file with the types its first rows suggest (or its Table Schema
 * declares), loaded by the database itself (see direct-load.ts). A miss
 * removes every trace and says why; the caller then loads row by row.
 */
async function loadTableDirect(
  database: Database,
  distributionId: string,
  open: () => Readable,
  schema: TableSchema,
  started: number,
  onProgress?: (rows: number) => void,
): Promise<LoadResult | { miss: string }> {
  const { db } = database;
  const { layout, rows: sample } = await sniffTextSample(open);
  const ids = columnIdentifiers(layout.header);
  const plan: (DirectColumn & { seen: ColumnType })[] = layout.header.map((title, i) => {
    const declared = schema?.fields.find((f) => f.name === title)?.type;
    const seen = inferColumn(sample.map((r) => r[i] ?? ''));
    return {
      id: ids[i]!,
      title,
      type: declared ? (FROM_TABLE_SCHEMA[declared] ?? 'text') : seen.type,
      numberStyle: seen.numberStyle,
      capture: !declared && seen.values === 0,
      seen: seen.type,
    };
  });
  if (!plan.length || plan.some((c) => c.type === 'geometry')) return { miss: 'no columns, or a geometry column' };
  const { version, tableId, tableName } = await registerVersion(database, distributionId, []);
  let loaded;
  try {
    loaded = await loadDirect(database, tableName, open, layout, plan, onProgress);
  } catch (err) {
    await sql`drop table if exists ${sql.table(`datastore.${tableName}`)}`.execute(db).catch(() => undefined);
    await db
      .updateTable('datastore_tables')
      .set({ status: 'failed', finished_at: new Date(), report: JSON.stringify({ error: String(err) }) })
      .where('id', '=', tableId)
      .execute();
    throw err;
  }
  if ('miss' in loaded) {
    await db.deleteFrom('datastore_tables').where('id', '=', tableId).execute();
    return loaded;
  }
  const columns: LoadedColumn[] = plan.map((c, i) => ({
    id: c.id,
    title: c.title,
    type: loaded.types[i]!.type,
    numberStyle: loaded.types[i]!.numberStyle,
    // under a Table Schema, what the first rows suggest (the direct load infers no further)
    inferred: c.capture ? loaded.types[i]!.type : c.seen,
    missing: 0,
  }));
  await db
    .updateTable('datastore_tables')
    .set({
      status: 'ready',
      row_count: loaded.rows,
      rejected_count: 0,
      finished_at: new Date(),
      columns: JSON.stringify(columns),
      report: JSON.stringify({
        rejections: [],
        footnotes: loaded.footnotes,
        layout: { ...layout, header: undefined },
        path: 'direct',
        phases: loaded.phases,
      }),
    })
    .where('id', '=', tableId)
    .execute();
  onProgress?.(loaded.rows);
  const readyMs = Date.now() - started;
  // the table answers already; the missing counts follow in one pass
  const stats = await columnStats(
    database,
    tableName,
    columns.map((c) => c.id),
    columns.map((c) => c.type),
  );
  columns.forEach((c, i) => {
    c.missing = stats.missing[i]!;
  });
  await db
    .updateTable('datastore_tables')
    .set({ columns: JSON.stringify(columns) })
    .where('id', '=', tableId)
    .execute();
  const indexedMs = await indexTable(database, tableId, tableName, columns, stats.maxLengths);
  const codeLists = await checkCodeLists(db, tableName, columns, schema as never);
  if (codeLists.length) {
    await db
      .updateTable('datastore_tables')
      .set({ report: sql`report || ${JSON.stringify({ code_lists: codeLists })}::jsonb` })
      .where('id', '=', tableId)
      .execute();
  }
  return {
    tableId,
    tableName,
    version,
    rows: loaded.rows,
    rejected: 0,
    columns,
    rejections: [],
    footnotes: loaded.footnotes,
    status: 'ready',
    codeLists,
    timings: { ready_ms: readyMs, indexed_ms: indexedMs, ...loaded.phases },
    path: 'direct',
  };
}

/**
 * Indexes come after the table is ready: it is queryable at once, and filters
 * and sorts get fast as they are built. A failed index is reported, and the
 * table stays.
 */
export async function indexTable(
  database: Database,
  tableId: string,
  tableName: string,
  columns: LoadedColumn[],
  maxLengths: number[],
): Promise<number> {
  const { db } = database;
  const t0 = Date.now();
  let error: string | undefined;
  const table = sql.table(`datastore.${tableName}`);
  const builds = [
    sql`create unique index ${sql.id(`${tableName}_row`)} on ${table} (_row)`,
    ...columns.flatMap((c, i) =>
      c.type === 'text' && maxLengths[i]! > INDEXED_TEXT
        ? []
        : [sql`create index ${sql.id(`${tableName}_${i}`)} on ${table} (${sql.ref(c.id)})`],
    ),
  ];
  try {
    // On PostgreSQL two builds at a time, each on its own connection with room to sort in memory;
    // the embedded database has one connection, so one at a time.
    const lanes = database.driver === 'postgres' ? 2 : 1;
    let next = 0;
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        while (next < builds.length) {
          const build = builds[next++]!;
          await db.transaction().execute(async (trx) => {
            await sql`select set_config('maintenance_work_mem', '256MB', true)`.execute(trx);
            await build.execute(trx);
          });
        }
      }),
    );
    // fresh statistics and a visibility map now rather than at autovacuum: the planner picks these indexes
    // at once, and counts under a filter become index-only scans
    await sql`vacuum analyze ${table}`.execute(db);
  } catch (err) {
    error = String(err);
  }
  const ms = Date.now() - t0;
  await db
    .updateTable('datastore_tables')
    .set({
      report: sql`report || ${JSON.stringify({ indexed_ms: ms, ...(error ? { index_error: error } : {}) })}::jsonb`,
    })
    .where('id', '=', tableId)
    .execute();
  return ms;
}

/** At start: a load that was running when the process died leaves a half table; drop it and say so. */
export async function cleanUpInterruptedLoads(database: Database): Promise<number> {
  const { db } = database;
  const stale = await db
    .selectFrom('datastore_tables')
    .select(['id', 'table_name'])
    .where('status', '=', 'loading')
    .execute();
  for (const t of stale) {
    await sql`drop table if exists ${sql.table(`datastore.${t.table_name as string}`)}`.execute(db);
    await db
      .updateTable('datastore_tables')
      .set({
        status: 'failed',
        finished_at: new Date(),
        report: JSON.stringify({ error: 'interrupted: the process stopped during the load' }),
      })
      .where('id', '=', t.id)
      .execute();
  }
  return stale.length;
}
