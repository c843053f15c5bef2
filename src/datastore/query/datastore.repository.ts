import { sql, type Kysely, type RawBuilder } from 'kysely';
import { foldedRegex } from '../../platform/text.js';
import { PG_TYPES } from '../load/convert.js';
import type { LoadedColumn } from '../load/loader.js';
import { makeCurrent } from '../load/table-versions.js';
import type { Filter, RowKey, View } from './view.js';

const ref = (k: RowKey) => sql.ref(k === '_row' ? '_row' : k.id);
const cast = (value: unknown, k: RowKey) =>
  sql`cast(${value} as ${sql.raw(k === '_row' ? 'bigint' : PG_TYPES[k.type])})`;

function filterSql(f: Filter): RawBuilder<unknown> {
  return f.not ? sql`not (${conditionSql(f)})` : conditionSql(f);
}

function conditionSql(f: Filter): RawBuilder<unknown> {
  const c = sql.ref(f.column.id);
  switch (f.op) {
    case 'is':
      return f.value === 'null' ? sql`${c} is null` : sql`${c} is not null`;
    case 'in':
      return sql`${c} = any(cast(${f.values} as ${sql.raw(PG_TYPES[f.column.type])}[]))`;
    case 'like':
      return sql`cast(${c} as text) like any(cast(${f.patterns} as text[]))`;
    case 'ilike':
      // case- and diacritic-insensitive: the value and the patterns both folded, any pattern may match
      return sql`cast(${c} as text) ~ ${f.patterns.map(foldedRegex).join('|')}`;
    default:
      return sql`${c} ${sql.raw({ eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' }[f.op])} ${cast(f.value, f.column)}`;
  }
}

/**
 * Rows strictly after a keyset position, under PostgreSQL's own order (nulls
 * sort as the largest value: last ascending, first descending, so one b-tree
 * serves both directions): the lexicographic “greater than” spelt out term by
 * term, so mixed directions and nulls page correctly.
 */
function afterSql(view: View, after: unknown[]): RawBuilder<unknown> {
  const terms = view.order
    .map((o, i) => {
      const equal = view.order
        .slice(0, i)
        .map((p, j) =>
          after[j] === null ? sql`${ref(p.key)} is null` : sql`${ref(p.key)} = ${cast(after[j], p.key)}`,
        );
      const v = after[i];
      let beyond: RawBuilder<unknown> | null;
      if (v === null) beyond = o.desc ? sql`${ref(o.key)} is not null` : null;
      else
        beyond = o.desc
          ? sql`${ref(o.key)} < ${cast(v, o.key)}`
          : sql`(${ref(o.key)} > ${cast(v, o.key)} or ${ref(o.key)} is null)`;
      return beyond ? sql.join([...equal, beyond], sql` and `) : null;
    })
    .filter((t): t is RawBuilder<unknown> => t !== null);
  return terms.length
    ? sql`(${sql.join(
        terms.map((t) => sql`(${t})`),
        sql` or `,
      )})`
    : sql`false`;
}

export interface TableRow {
  id: string;
  distribution_id: string;
  version: number;
  table_name: string;
  /** loading, ready, pending (rejected rows: waits for its publisher), discarded or failed */
  status: string;
  /** the version readers get (at most one per file, always a ready one) */
  current: boolean;
  columns: LoadedColumn[];
  row_count: number;
  rejected_count: number;
  report: unknown;
  created_at: Date;
  finished_at: Date | null;
}

/** A row a load rejected: where, why, and the row as it was in the file. */
export interface Rejection {
  line: number;
  column_name: string;
  value: string;
  reason_vi: string;
  reason_en: string;
  cells: string[];
}

export interface RowQuery {
  fields: LoadedColumn[];
  /** column → accepted values, each already in canonical COPY text form */
  filters: { column: LoadedColumn; values: string[] }[];
  q?: string;
  sort: { column: LoadedColumn | '_row'; desc: boolean }[];
  limit: number;
  offset: number;
  distinct?: boolean;
  /** CKAN row ids (`_id`) to keep */
  ids?: number[];
}

/**
 * Totals under a filter, per table version: a version never changes once
 * ready, so a count stays true for as long as the version lives. Bounded
 * (least recently used goes first).
 */
const COUNTS_KEPT = 20_000;
const counts = new Map<string, number>();
function remember(key: string, n: number) {
  counts.delete(key);
  counts.set(key, n);
  if (counts.size > COUNTS_KEPT) counts.delete(counts.keys().next().value!);
}

/** The first `_row` of each table version (immutable once ready), so CKAN's `_id` costs no query after the first. */
const firstRows = new Map<string, number>();

/** The one place with SQL over loaded tables. Identifiers come only from the table's own column list. */
export class DatastoreRepository {
  constructor(private readonly db: Kysely<any>) {}

  byId(id: string): Promise<TableRow | undefined> {
    return this.db.selectFrom('datastore_tables').selectAll().where('id', '=', id).executeTakeFirst() as Promise<
      TableRow | undefined
    >;
  }

  /** The same repository within a transaction. */
  with(trx: Kysely<any>): DatastoreRepository {
    return new DatastoreRepository(trx);
  }

  /** The file's current version: the one readers get. */
  latestReady(distributionId: string): Promise<TableRow | undefined> {
    return this.db
      .selectFrom('datastore_tables')
      .selectAll()
      .where('distribution_id', '=', distributionId)
      .where('current', '=', true)
      .executeTakeFirst() as Promise<TableRow | undefined>;
  }

  /** One version of a file by its number, locked until the transaction ends (call it within one). */
  lockedVersion(distributionId: string, version: number): Promise<TableRow | undefined> {
    return this.db
      .selectFrom('datastore_tables')
      .selectAll()
      .where('distribution_id', '=', distributionId)
      .where('version', '=', version)
      .forUpdate()
      .executeTakeFirst() as Promise<TableRow | undefined>;
  }

  /** Makes a ready or pending version current (within a transaction); returns the version it replaced. */
  makeCurrent(table: TableRow): Promise<number | null> {
    return makeCurrent(this.db, table.distribution_id, table.id);
  }

  /** A pending version dropped: its table and stored rejected rows go, its row stays (numbers are never reused). */
  async discard(table: TableRow): Promise<void> {
    await sql`drop table if exists ${sql.table(`datastore.${table.table_name}`)}`.execute(this.db);
    await this.db.deleteFrom('datastore_rejections').where('table_id', '=', table.id).execute();
    await this.db
      .updateTable('datastore_tables')
      .set({ status: 'discarded', current: false })
      .where('id', '=', table.id)
      .execute();
  }

  /** Rejected rows of a version after `afterLine`, in file order. */
  rejections(tableId: string, afterLine: number, size: number): Promise<Rejection[]> {
    return this.db
      .selectFrom('datastore_rejections')
      .select(['line', 'column_name', 'value', 'reason_vi', 'reason_en', 'cells'])
      .where('table_id', '=', tableId)
      .where('line', '>', afterLine)
      .orderBy('line')
      .limit(size)
      .execute() as never;
  }

  /** Which of these distributions have a table ready to read. */
  async readyDistributions(ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows = await this.db
      .selectFrom('datastore_tables')
      .select('distribution_id')
      .distinct()
      .where('distribution_id', 'in', ids)
      .where('current', '=', true)
      .execute();
    return new Set(rows.map((r) => r.distribution_id as string));
  }

  versions(distributionId: string): Promise<TableRow[]> {
    return this.db
      .selectFrom('datastore_tables')
      .selectAll()
      .where('distribution_id', '=', distributionId)
      .orderBy('version', 'desc')
      .execute() as Promise<TableRow[]>;
  }

  /**
   * CKAN's `_id` of a row is `_row - offset`: `_row` is the row's line in the file, which starts past the header and
   * skips rejected lines, while CKAN numbers a table's rows from 1, each keeping its number whatever the query.
   */
  async idOffset(table: TableRow): Promise<number> {
    let first = firstRows.get(table.id);
    if (first === undefined) {
      const r = await sql<{
        n: string | null;
      }>`select min(_row) as n from ${sql.table(`datastore.${table.table_name}`)}`.execute(this.db);
      first = Number(r.rows[0]?.n ?? 1);
      firstRows.set(table.id, first);
      if (firstRows.size > COUNTS_KEPT) firstRows.delete(firstRows.keys().next().value!);
    }
    return first - 1;
  }

  private where(q: RowQuery, textColumns: LoadedColumn[], offset = 0): RawBuilder<unknown> {
    const parts: RawBuilder<unknown>[] = [sql`true`];
    if (q.ids) parts.push(sql`_row = any(cast(${q.ids.map((id) => String(id + offset))} as bigint[]))`);
    for (const f of q.filters) {
      const type = sql.raw(PG_TYPES[f.column.type]);
      // one value as `=`, not `= any(…)`: only then can an index on (column, sort key) also give the order
      parts.push(
        f.values.length === 1
          ? sql`${sql.ref(f.column.id)} = cast(${f.values[0]} as ${type})`
          : sql`${sql.ref(f.column.id)} = any(cast(${f.values} as ${type}[]))`,
      );
    }
    if (q.q && textColumns.length) {
      const like = foldedRegex(`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      parts.push(
        sql`(${sql.join(
          textColumns.map((c) => sql`${sql.ref(c.id)} ~ ${like}`),
          sql` or `,
        )})`,
      );
    }
    return sql.join(parts, sql` and `);
  }

  /** Rows after `afterRow` in file order: keyset paging, so a dump of any size runs in constant memory. */
  async batch(table: TableRow, afterRow: number, size: number): Promise<Record<string, unknown>[]> {
    const cols = sql.join(table.columns.map((c) => sql.ref(c.id)));
    const r = await sql<
      Record<string, unknown>
    >`select _row, ${cols} from ${sql.table(`datastore.${table.table_name}`)} where _row > ${afterRow} order by _row limit ${size}`.execute(
      this.db,
    );
    return r.rows;
  }

  /** One keyset page of a view (or, with `limit` null, one batch of a stream). */
  async viewPage(
    table: TableRow,
    view: View,
    after: unknown[] | null,
    limit: number,
  ): Promise<Record<string, unknown>[]> {
    const where = sql.join(
      [sql`true`, ...view.filters.map(filterSql), ...(after ? [afterSql(view, after)] : [])],
      sql` and `,
    );
    const keys = view.order.map((o, i) => sql`${ref(o.key)} as ${sql.ref(`_k${i}`)}`);
    const cols = view.select.map((c) => sql.ref(c.id));
    const order = sql.join(view.order.map((o) => sql`${ref(o.key)} ${sql.raw(o.desc ? 'desc' : 'asc')}`));
    const r = await sql<
      Record<string, unknown>
    >`select _row as "_id", ${sql.join([...cols, ...keys])} from ${sql.table(`datastore.${table.table_name}`)} where ${where} order by ${order} limit ${limit}`.execute(
      this.db,
    );
    return r.rows;
  }

  /** How many rows a view's filters keep: the registry's count without filters, else counted once per version. */
  async viewCount(table: TableRow, view: View): Promise<number> {
    if (!view.filters.length) return Number(table.row_count);
    const key = `${table.id}|view|${JSON.stringify(view.filters.map((f) => ({ ...f, column: f.column.id })))}`;
    const known = counts.get(key);
    if (known !== undefined) return known;
    const where = sql.join(view.filters.map(filterSql), sql` and `);
    const r = await sql<{
      n: number;
    }>`select count(*)::int as n from ${sql.table(`datastore.${table.table_name}`)} where ${where}`.execute(this.db);
    const n = Number(r.rows[0]!.n);
    remember(key, n);
    return n;
  }

  /** `group_by` with aggregates, one row per group, groups in key order. */
  async aggregate(table: TableRow, view: View, limit: number | null): Promise<Record<string, unknown>[]> {
    const where = sql.join([sql`true`, ...view.filters.map(filterSql)], sql` and `);
    const groups = view.groupBy.map((c) => sql.ref(c.id));
    const aggs = view.aggregates.map((a) => {
      const arg = a.column ? sql.ref(a.column.id) : sql`*`;
      // count(*) is bigint; sum/avg of numeric stay exact strings, sum of bigint is numeric
      return sql`${sql.raw(a.fn)}(${arg})${sql.raw(a.fn === 'count' ? '::bigint' : '')} as ${sql.ref(a.name)}`;
    });
    const select = sql.join([...groups, ...(aggs.length ? aggs : [sql`count(*)::bigint as "count"`])]);
    const groupSql = groups.length ? sql`group by ${sql.join(groups)} order by ${sql.join(groups)}` : sql``;
    const r = await sql<
      Record<string, unknown>
    >`select ${select} from ${sql.table(`datastore.${table.table_name}`)} where ${where} ${groupSql} ${limit === null ? sql`` : sql`limit ${limit}`}`.execute(
      this.db,
    );
    return r.rows;
  }

  async rows(table: TableRow, q: RowQuery): Promise<{ total: number; records: Record<string, unknown>[] }> {
    const t = sql.table(`datastore.${table.table_name}`);
    const offset = await this.idOffset(table);
    const where = this.where(
      q,
      table.columns.filter((c) => c.type === 'text'),
      offset,
    );
    const cols = sql.join(q.fields.map((c) => sql.ref(c.id)));
    const sort = q.distinct ? q.sort.filter((s) => s.column !== '_row' && q.fields.includes(s.column)) : q.sort;
    const order = sort.length
      ? sql`order by ${sql.join(sort.map((s) => sql`${sql.ref(s.column === '_row' ? '_row' : s.column.id)} ${sql.raw(s.desc ? 'desc' : 'asc')}`))}`
      : sql``;
    const unfiltered = !q.filters.length && !q.q && !q.distinct && !q.ids;
    const countKey = `${table.id}|${JSON.stringify([q.filters.map((f) => [f.column.id, f.values]), q.q ?? '', q.distinct ? q.fields.map((c) => c.id) : null, q.ids ?? null])}`;
    const known = counts.get(countKey);
    const [records, total] = await Promise.all([
      q.distinct
        ? sql<
            Record<string, unknown>
          >`select distinct ${cols} from ${t} where ${where} ${order} limit ${q.limit} offset ${q.offset}`.execute(
            this.db,
          )
        : sql<
            Record<string, unknown>
          >`select _row - ${offset}::bigint as "_id", ${cols} from ${t} where ${where} ${order} limit ${q.limit} offset ${q.offset}`.execute(
            this.db,
          ),
      // the registry knows the size of a whole table; counting a million rows for it would cost more than the page
      unfiltered
        ? Promise.resolve({ rows: [{ n: Number(table.row_count) }] })
        : known !== undefined
          ? Promise.resolve({ rows: [{ n: known }] })
          : q.distinct
            ? sql<{
                n: number;
              }>`select count(*)::int as n from (select distinct ${cols} from ${t} where ${where}) d`.execute(this.db)
            : sql<{ n: number }>`select count(*)::int as n from ${t} where ${where}`.execute(this.db),
    ]);
    if (!unfiltered) remember(countKey, total.rows[0]!.n);
    return { total: total.rows[0]!.n, records: records.rows };
  }
}
