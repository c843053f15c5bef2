import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { Database } from '../../platform/database.js';
import { dataBatches, profileTable, type TableFormat } from './reader.js';
import { columnIdentifiers, FROM_TABLE_SCHEMA, PG_TYPES, toCopyText } from './convert.js';
import type { ColumnType, NumberStyle } from './infer.js';
import type { CodeListReport } from './codelists.js';
import { loadTableDirect } from './direct-table.js';
import { failureReport, finishVersion, indexTable, registerVersion, reportCodeLists } from './table-versions.js';
import { Staging } from './staging.js';
import { xlsToCsv } from './xls.js';
import { unreadable } from './json-records.js';
import { declaredNumberStyle, numberReadings, type NumberFormatField, type NumberReading } from './number-format.js';

export interface LoadedColumn {
  id: string;
  title: string;
  type: ColumnType;
  numberStyle: NumberStyle;
  inferred: ColumnType;
  missing: number;
  /** set on a version derived to protect personal data: how this column was de-identified */
  deidentified?: 'mask' | 'hash' | 'year' | 'address';
  /** set on a column added to a version after its load: GSO codes derived from this column of place names */
  derivedFrom?: string;
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
  /**
   * ready: the current version now. pending: rows were rejected, so it waits for its publisher to publish or
   * discard it while the previous version stays current. failed: every row was rejected (the previous stays).
   */
  status: 'ready' | 'pending' | 'failed';
  /** columns checked against a code list of administrative units */
  codeLists?: CodeListReport[];
  /** from the start to a queryable table, and the index builds after it */
  timings?: { ready_ms: number; indexed_ms: number; copy_ms?: number; convert_ms?: number };
  /** direct: checked in Node, parsed and converted by the database; rows: parsed and converted row by row */
  path?: 'direct' | 'rows';
  /** why a CSV file could not take the direct load */
  directMiss?: string;
  /** number columns the file left ambiguous (`7.512`), and the reading taken: the report offers the other */
  numberReadings?: NumberReading[];
  /** JSON: where the records were found, e.g. `provinces[].districts[].communes[]` */
  jsonPath?: string;
}

export type TableSchema = { fields: NumberFormatField[]; missingValues?: string[] } | null;

const CHUNK_CHARS = 4 * 1024 * 1024;
/** rejections shown in the version's report */
const KEPT_REJECTIONS = 1000;
/** rejections stored whole (with the row) for download: bounded, so a file of nothing but bad rows cannot fill memory */
export const STORED_REJECTIONS = 100_000;

/**
 * Loads a table file into a new, typed table version. The previous version is
 * never touched; the new one is registered as `loading` first (so a crash
 * leaves a trace that start-up cleans) and `ready` only once every row is in
 * (`pending` instead when it rejected rows: see `finishVersion`).
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
  if (!profile.columns.length)
    throw unreadable(
      'Tệp không chứa bảng: không tìm thấy dòng tiêu đề.',
      'The file holds no table: no header row was found.',
    );
  const ids = columnIdentifiers(profile.columns.map((c) => c.name));
  const columns: LoadedColumn[] = profile.columns.map((c, i) => {
    const field = schema?.fields.find((f) => f.name === c.name);
    const declared = field?.type;
    const type = declared
      ? (FROM_TABLE_SCHEMA[declared] ?? 'text')
      : c.name === profile.layout.geometryColumn
        ? 'geometry'
        : c.type;
    const numberStyle = declaredNumberStyle(field) ?? c.numberStyle;
    return { id: ids[i]!, title: c.name, type, numberStyle, inferred: c.type, missing: c.missing };
  });
  const readings = numberReadings(columns, profile.columns, schema?.fields);
  const jsonPath = profile.layout.jsonPath;

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
  let status: 'ready' | 'pending' = 'ready';
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
    status = await finishVersion(database, distributionId, tableId, {
      row_count: rows,
      rejected_count: rejected,
      report: JSON.stringify({
        rejections,
        footnotes: profile.footnotes,
        layout: { ...profile.layout, header: undefined },
        number_readings: readings,
        ...(jsonPath ? { json_path: jsonPath } : {}),
      }),
    });
  } catch (err) {
    staging?.remove();
    await sql`drop table if exists ${sql.table(`datastore.${tableName}`)}`.execute(db).catch(() => undefined);
    await db
      .updateTable('datastore_tables')
      .set({ status: 'failed', finished_at: new Date(), report: JSON.stringify(failureReport(err)) })
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
  const codeLists = await reportCodeLists(database, tableId, tableName, columns, schema);
  return {
    tableId,
    tableName,
    version,
    rows,
    rejected,
    columns,
    rejections,
    footnotes: profile.footnotes,
    status,
    codeLists,
    timings: { ready_ms: readyMs, indexed_ms: indexedMs },
    path: 'rows',
    ...(directMiss ? { directMiss } : {}),
    numberReadings: readings,
    ...(jsonPath ? { jsonPath } : {}),
  };
}
