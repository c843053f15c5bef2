import type { Readable } from 'node:stream';
import { sql } from 'kysely';
import type { Database } from '../../platform/database.js';
import { sniffTextSample } from './reader.js';
import { columnIdentifiers, FROM_TABLE_SCHEMA } from './convert.js';
import { inferColumn, type ColumnType } from './infer.js';
import { columnStats, loadDirect, type DirectColumn } from './direct-load.js';
import type { LoadedColumn, LoadResult, TableSchema } from './loader.js';
import { finishVersion, indexTable, registerVersion, reportCodeLists } from './table-versions.js';

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
  };
}
