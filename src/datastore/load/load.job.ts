import type { Database } from '../../platform/database.js';
import type { FileStore } from '../../platform/storage.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { DistributionRow } from '../../catalog/datasets.service.js';
import { loadTable } from './loader.js';
import { TABLE_FORMATS } from './reader.js';
import { DomainError } from '../../platform/errors.js';
import { lastVersion, recordFailedLoad } from './table-versions.js';

export const LOAD_QUEUE = 'datastore-load';
/** Formats the loader reads; others are stored as files only. */
export const LOADABLE = new Set(Object.keys(TABLE_FORMATS));

/**
 * Loading runs as a job: an upload returns at once, the table follows, with
 * pg-boss's retries. The job reads the file and Table Schema as they are when
 * it runs, so a re-run after a schema change re-types from the stored original.
 */
export function registerLoadJob(
  jobs: Jobs,
  database: Database,
  files: FileStore,
  logger: Logger,
  afterLoad?: (distributionId: string) => Promise<void>,
) {
  jobs.handle(LOAD_QUEUE, async (data) => {
    const id = String(data.distributionId);
    const row = (await database.db.selectFrom('distributions').selectAll().where('id', '=', id).executeTakeFirst()) as
      | DistributionRow
      | undefined;
    if (!row?.storage_key) return; // removed since it was queued
    const before = await lastVersion(database, id);
    let result: Awaited<ReturnType<typeof loadTable>>;
    try {
      result = await loadTable(
        database,
        id,
        () => files.open(row.storage_key!),
        row.table_schema as never,
        undefined,
        TABLE_FORMATS[row.format ?? 'CSV'],
      );
    } catch (err) {
      // the publisher reads why on the load report and in the API, not in the queue's table
      await recordFailedLoad(database, id, before, err);
      // a file that cannot be read stays so: no retry; anything else may pass on the next try
      if (err instanceof DomainError) {
        logger.warn({ distributionId: id, reason: err.messages.en }, 'table load failed');
        return;
      }
      throw err;
    }
    logger.info(
      { distributionId: id, version: result.version, rows: result.rows, rejected: result.rejected },
      'table loaded',
    );
    // a quality failure is the report's business, not the load's: it never fails the job. Only a version that became
    // current is checked and scored here; a pending one is, once its publisher publishes it (onCurrentChanged)
    if (result.status === 'ready')
      await afterLoad?.(id).catch((err: unknown) =>
        logger.warn({ err, distributionId: id }, 'quality run after load failed'),
      );
  });
  return async (distribution: DistributionRow) => {
    if (distribution.kind === 'file' && LOADABLE.has(distribution.format ?? ''))
      await jobs.send(LOAD_QUEUE, { distributionId: distribution.id });
  };
}
