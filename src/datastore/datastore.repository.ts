import { sql, type Kysely, type RawBuilder } from 'kysely';
import { PG_TYPES } from './convert.js';
import type { LoadedColumn } from './loader.js';

export interface TableRow {
  id: string; distribution_id: string; version: number; table_name: string; status: string;
  columns: LoadedColumn[]; row_count: number; rejected_count: number; report: unknown; created_at: Date; finished_at: Date | null;
}

export interface RowQuery {
  fields: LoadedColumn[];
  /** column → accepted values, each already in canonical COPY text form */
  filters: { column: LoadedColumn; values: string[] }[];
  q?: string;
  sort: { column: LoadedColumn | '_row'; desc: boolean }[];
  limit: number;
  offset: number;
}

/** The one place with SQL over loaded tables. Identifiers come only from the table's own column list. */
export class DatastoreRepository {
  constructor(private readonly db: Kysely<any>) {}

  latestReady(distributionId: string): Promise<TableRow | undefined> {
    return this.db.selectFrom('datastore_tables').selectAll().where('distribution_id', '=', distributionId).where('status', '=', 'ready')
      .orderBy('version', 'desc').limit(1).executeTakeFirst() as Promise<TableRow | undefined>;
  }

  versions(distributionId: string): Promise<TableRow[]> {
    return this.db.selectFrom('datastore_tables').selectAll().where('distribution_id', '=', distributionId).orderBy('version', 'desc').execute() as Promise<TableRow[]>;
  }

  private where(q: RowQuery, textColumns: LoadedColumn[]): RawBuilder<unknown> {
    const parts: RawBuilder<unknown>[] = [sql`true`];
    for (const f of q.filters) {
      const type = sql.raw(PG_TYPES[f.column.type]);
      parts.push(sql`${sql.ref(f.column.id)} = any(cast(${f.values} as ${type}[]))`);
    }
    if (q.q && textColumns.length) {
      const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      parts.push(sql`(${sql.join(textColumns.map((c) => sql`${sql.ref(c.id)} ilike ${like}`), sql` or `)})`);
    }
    return sql.join(parts, sql` and `);
  }

  /** Rows after `afterRow` in file order: keyset paging, so a dump of any size runs in constant memory. */
  async batch(table: TableRow, afterRow: number, size: number): Promise<Record<string, unknown>[]> {
    const cols = sql.join(table.columns.map((c) => sql.ref(c.id)));
    const r = await sql<Record<string, unknown>>`select _row, ${cols} from ${sql.table(`datastore.${table.table_name}`)} where _row > ${afterRow} order by _row limit ${size}`.execute(this.db);
    return r.rows;
  }

  async rows(table: TableRow, q: RowQuery): Promise<{ total: number; records: Record<string, unknown>[] }> {
    const t = sql.table(`datastore.${table.table_name}`);
    const where = this.where(q, table.columns.filter((c) => c.type === 'text'));
    const cols = sql.join(q.fields.map((c) => sql.ref(c.id)));
    const order = sql.join(q.sort.map((s) => sql`${sql.ref(s.column === '_row' ? '_row' : s.column.id)} ${sql.raw(s.desc ? 'desc' : 'asc')}`));
    const [records, total] = await Promise.all([
      sql<Record<string, unknown>>`select _row as "_id", ${cols} from ${t} where ${where} order by ${order} limit ${q.limit} offset ${q.offset}`.execute(this.db),
      sql<{ n: number }>`select count(*)::int as n from ${t} where ${where}`.execute(this.db),
    ]);
    return { total: total.rows[0]!.n, records: records.rows };
  }
}
