import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { Database } from '../../platform/database.js';
import { sniffTextSample } from './reader.js';
import { columnIdentifiers, FROM_TABLE_SCHEMA } from './convert.js';
import { ColumnInferrer, fileNumberStyle, type ColumnType } from './infer.js';
import { declaredNumberStyle, numberReadings } from './number-format.js';
import { columnStats, loadDirect, type DirectColumn } from './direct-load.js';
import type { LoadedColumn, LoadResult, TableSchema } from './loader.js';
import { failureReport, finishVersion, indexTable, registerVersion, reportCodeLists } from './table-versions.js';

/**
 * A CSV file with the types its first rows suggest (or its Table Schema
 * declares), loaded by the database itself (see direct-load.ts). A miss
 * removes every trace and says why; the caller then loads row by row.
 */
export async function loadTableDirect(
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
  // the number format is decided for the file as the row-by-row load decides it, from the sample for now
  const inferrers = layout.header.map((_, i) => {
    const inferrer = new ColumnInferrer();
    for (const r of sample) inferrer.add(r[i] ?? '');
    return inferrer;
  });
  const sampleStyle = fileNumberStyle(inferrers.map((x) => x.evidence()));
  const plan: (DirectColumn & { seen: ColumnType })[] = layout.header.map((title, i) => {
    const field = schema?.fields.find((f) => f.name === title);
    const declared = field?.type;
    const seen = inferrers[i]!.result(sampleStyle);
    const evidence = inferrers[i]!.evidence();
    return {
      id: ids[i]!,
      title,
      type: declared ? (FROM_TABLE_SCHEMA[declared] ?? 'text') : seen.type,
      numberStyle: declaredNumberStyle(field) ?? seen.numberStyle,
      declaredStyle: declaredNumberStyle(field) !== undefined,
      capture: !declared && seen.values === 0,
      seen: seen.type,
      sample: inferrers[i]!,
      // values that could change the file's format later go the slow way, which notes them
      narrow: evidence === 'ambiguous' || (evidence === 'neutral' && sampleStyle === null) ? evidence : undefined,
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
      .set({ status: 'failed', finished_at: new Date(), report: JSON.stringify(failureReport(err)) })
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
  const readings = numberReadings(columns, loaded.profiles, schema?.fields);
  // nothing rejected: it becomes current at once
  await finishVersion(database, distributionId, tableId, {
    row_count: loaded.rows,
    rejected_count: 0,
    columns: JSON.stringify(columns),
    report: JSON.stringify({
      rejections: [],
      footnotes: loaded.footnotes,
      layout: { ...layout, header: undefined },
      path: 'direct',
      phases: loaded.phases,
      number_readings: readings,
    }),
  });
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
  const codeLists = await reportCodeLists(database, tableId, tableName, columns, schema);
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
    numberReadings: readings,
  };
}
