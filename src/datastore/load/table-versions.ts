import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../platform/database.js';
import { DomainError } from '../../platform/errors.js';
import { checkCodeLists, type CodeListReport } from './codelists.js';
import type { LoadedColumn, TableSchema } from './loader.js';
import { replaceSearchValues } from './search-values.js';

/*
 * The registry of a file's table versions (`datastore_tables`): a version is registered `loading`, its table
 * indexed once ready, its code-list findings added to its report; a load a crash cut off is dropped at start.
 * One ready version per file is `current`: the one readers get. A finished load becomes current unless it rejected
 * rows while another version is current: then it is `pending`, and its publisher decides (datastore.service.ts).
 */

/** B-tree entries must fit a third of a page: text longer than this is left unindexed. */
const INDEXED_TEXT = 500;

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

/** What a finished load writes on its version row. */
export interface FinishedLoad {
  row_count: number;
  rejected_count: number;
  report: string;
  columns?: string;
}

/**
 * The step that decides whether a finished load becomes current. A load that rejected rows does not replace the
 * version readers get without its publisher's word: it waits as `pending`. A load with no rejected rows, or one with
 * nothing current to replace (a first load), becomes current at once.
 */
export async function finishVersion(
  database: Database,
  distributionId: string,
  tableId: string,
  finished: FinishedLoad,
): Promise<'ready' | 'pending'> {
  return database.db.transaction().execute(async (trx) => {
    const versions = await lockVersions(trx, distributionId);
    const wait = finished.rejected_count > 0 && versions.some((v) => v.current && v.id !== tableId);
    await trx
      .updateTable('datastore_tables')
      .set({ ...finished, status: wait ? 'pending' : 'ready', finished_at: new Date() })
      .where('id', '=', tableId)
      .execute();
    if (wait) return 'pending';
    await makeCurrent(trx, distributionId, tableId);
    return 'ready';
  });
}

/**
 * Makes a version the one readers get, within the caller's transaction (it becomes `ready` if it was `pending`).
 * Returns the version it replaced, if any.
 */
export async function makeCurrent(trx: Kysely<any>, distributionId: string, tableId: string): Promise<number | null> {
  const before = (await lockVersions(trx, distributionId)).find((v) => v.current);
  if (before?.id === tableId) return before.version;
  // the old one first: at most one current version per file (a unique index)
  if (before) await trx.updateTable('datastore_tables').set({ current: false }).where('id', '=', before.id).execute();
  await trx.updateTable('datastore_tables').set({ status: 'ready', current: true }).where('id', '=', tableId).execute();
  await replaceSearchValues(trx, tableId, before?.id ?? null);
  return before?.version ?? null;
}

/** The file's versions, locked until the transaction ends: two decisions about one file never interleave. */
async function lockVersions(trx: Kysely<any>, distributionId: string) {
  const rows = await trx
    .selectFrom('datastore_tables')
    .select(['id', 'version', 'current'])
    .where('distribution_id', '=', distributionId)
    .forUpdate()
    .execute();
  return rows as { id: string; version: number; current: boolean }[];
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

/** Columns tied to an administrative-unit code list, checked once the table is ready; the findings join the report. */
export async function reportCodeLists(
  database: Database,
  tableId: string,
  tableName: string,
  columns: LoadedColumn[],
  schema: TableSchema | undefined,
): Promise<CodeListReport[]> {
  const { db } = database;
  const codeLists = await checkCodeLists(db, tableName, columns, schema as never);
  if (codeLists.length) {
    await db
      .updateTable('datastore_tables')
      .set({ report: sql`report || ${JSON.stringify({ code_lists: codeLists })}::jsonb` })
      .where('id', '=', tableId)
      .execute();
  }
  return codeLists;
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
        report: JSON.stringify({
          error: 'interrupted: the process stopped during the load',
          error_vi: 'Bị gián đoạn: tiến trình dừng giữa chừng khi nạp',
        }),
      })
      .where('id', '=', t.id)
      .execute();
  }
  return stale.length;
}

/** Why a load failed, in both languages, as a version's report holds it (`error`, `error_vi`). */
export function failureReport(err: unknown): { error: string; error_vi: string } {
  if (err instanceof DomainError) return { error: err.messages.en, error_vi: err.messages.vi };
  const message = err instanceof Error ? err.message : String(err);
  return { error: `The file could not be loaded: ${message}`, error_vi: `Không nạp được tệp: ${message}` };
}

/** The number of a file's latest version, 0 when it has none. */
export async function lastVersion(database: Database, distributionId: string): Promise<number> {
  const last = await database.db
    .selectFrom('datastore_tables')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('distribution_id', '=', distributionId)
    .executeTakeFirst();
  return Number(last?.v ?? 0);
}

/**
 * A load that failed, recorded where the publisher looks: as a failed version with its reason. A load that
 * failed before it registered a version (the file could not be read at all) gets one; a version the load
 * registered and marked failed gets the reason in both languages. The current version is not touched.
 */
export async function recordFailedLoad(
  database: Database,
  distributionId: string,
  versionBefore: number,
  err: unknown,
): Promise<void> {
  const { db } = database;
  const reason = failureReport(err);
  if ((await lastVersion(database, distributionId)) > versionBefore) {
    await db
      .updateTable('datastore_tables')
      .set({ report: sql`coalesce(report, '{}'::jsonb) || ${JSON.stringify(reason)}::jsonb` })
      .where('distribution_id', '=', distributionId)
      .where('version', '>', versionBefore)
      .where('status', '=', 'failed')
      .where(sql<boolean>`not (coalesce(report, '{}'::jsonb) ? 'error_vi')`)
      .execute();
    return;
  }
  const { tableId } = await registerVersion(database, distributionId, []);
  await db
    .updateTable('datastore_tables')
    .set({ status: 'failed', finished_at: new Date(), report: JSON.stringify(reason) })
    .where('id', '=', tableId)
    .execute();
}
