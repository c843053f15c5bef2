import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Driver } from '../../platform/database.js';
import type { Logger } from '../../platform/logger.js';
import type { TableRow } from './datastore.repository.js';

/**
 * Every column of a loaded table has its own index, which serves one filter or
 * one sort. A filter with a sort on another column ("rows of province 01 by
 * income") needs both in one index, and which pairs people ask for is only
 * known once they ask: a slow read of that shape on a large table queues the
 * composite index in the background (equality columns first, then the sort
 * column), at most a few per table. Reads never wait for it.
 */
export const ADAPTIVE = { minRows: 100_000, slowMs: 20, perTable: 8 };

export class AdaptiveIndexes {
  private readonly seen = new Set<string>();
  private readonly building: Promise<void>[] = [];

  constructor(
    private readonly db: Kysely<any>,
    private readonly driver: Driver,
    private readonly logger?: Logger,
  ) {}

  consider(table: TableRow, equalityColumns: string[], orderColumn: string | null, elapsedMs: number): void {
    if (Number(table.row_count) < ADAPTIVE.minRows || elapsedMs < ADAPTIVE.slowMs) return;
    const columns = [...new Set(equalityColumns)].slice(0, 3);
    if (orderColumn && !columns.includes(orderColumn)) columns.push(orderColumn);
    if (columns.length < 2) return;
    const key = `${table.table_name}(${columns.join(',')})`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const job = this.build(table, columns).catch((err: unknown) =>
      this.logger?.warn({ err, index: key }, 'adaptive index failed'),
    );
    this.building.push(job);
    void job.finally(() => this.building.splice(this.building.indexOf(job), 1));
  }

  /** For tests and shutdown: the indexes being built now. */
  settled(): Promise<unknown> {
    return Promise.all(this.building);
  }

  private async build(table: TableRow, columns: string[]): Promise<void> {
    const name = `${table.table_name}_a${createHash('sha256').update(columns.join(',')).digest('hex').slice(0, 8)}`;
    const existing = await this.db
      .selectFrom('pg_indexes' as never)
      .select('indexname' as never)
      .where('schemaname' as never, '=', 'datastore' as never)
      .where('indexname' as never, 'like', `${table.table_name}_a%` as never)
      .execute();
    if (existing.some((x) => (x as { indexname: string }).indexname === name) || existing.length >= ADAPTIVE.perTable)
      return;
    const t0 = Date.now();
    // CONCURRENTLY keeps the table writable and readable on PostgreSQL; the embedded database has one connection anyway.
    const concurrently = this.driver === 'postgres' ? sql`concurrently` : sql``;
    await sql`create index ${concurrently} if not exists ${sql.id(name)} on ${sql.table(`datastore.${table.table_name}`)} (${sql.join(columns.map((c) => sql.ref(c)))})`.execute(
      this.db,
    );
    const entry = { name, columns, built_ms: Date.now() - t0, at: new Date().toISOString() };
    await this.db
      .updateTable('datastore_tables')
      .set({
        report: sql`jsonb_set(coalesce(report, '{}'::jsonb), '{adaptive_indexes}', coalesce(report->'adaptive_indexes', '[]'::jsonb) || ${JSON.stringify([entry])}::jsonb)`,
      })
      .where('id', '=', table.id)
      .execute();
    this.logger?.info({ table: table.table_name, columns, ms: entry.built_ms }, 'adaptive index built');
  }
}
