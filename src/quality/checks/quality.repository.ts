import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { TableRow } from '../../datastore/query/datastore.service.js';
import type { LoadedColumn } from '../../datastore/load/loader.js';
import type { Suite } from './quality.schema.js';

const SAMPLES = 5;
/** distinct values up to which a value check is evaluated once per value */
const DICTIONARY_MAX = 10_000;

/**
 * The SQL of check suites: kept suites and runs, and the queries that evaluate a suite over a loaded table. Row-level
 * checks arrive compiled to predicates (`check-sql.ts`); every one of them is counted in a single pass over the table
 * (`count(*) filter (where …)`); duplicates take one grouped query. Samples of failing rows are read only for checks
 * that failed.
 */
export class QualityRepository {
  constructor(private readonly db: Kysely<any>) {}

  /** Whether PostgreSQL accepts a regular expression (a bad one is the check's error, not the run's). */
  async regexOk(regex: string): Promise<boolean> {
    try {
      await sql`select '' ~ ${`^(?:${regex})$`}`.execute(this.db);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * A check on the value alone, over a text column of few distinct values:
   * the values that fail, found by evaluating the predicate once per distinct
   * value (read from the column's index by a loose index scan, a probe per
   * value) instead of once per row. Null when the column has many values or
   * no index: then the check runs row by row in the single pass.
   */
  async failingValues(table: TableRow, column: LoadedColumn, predicate: RawBuilder<unknown>): Promise<string[] | null> {
    const stats = await sql<{ n: number | null; indexed: boolean }>`select
        (select n_distinct::float8 from pg_stats where schemaname = 'datastore' and tablename = ${table.table_name} and attname = ${column.id}) as n,
        exists (select 1 from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
          where i.indrelid = ${`datastore.${table.table_name}`}::regclass and a.attname = ${column.id}) as indexed`.execute(
      this.db,
    );
    const { n, indexed } = stats.rows[0]!;
    if (n === null || !indexed) return null;
    const distinct = n >= 0 ? n : -n * Number(table.row_count);
    if (distinct > DICTIONARY_MAX) return null;
    const t = sql.table(`datastore.${table.table_name}`);
    const c = sql.ref(column.id);
    const r = await sql<{ v: string; bad: boolean }>`with recursive r(v) as (
        (select ${c} from ${t} where ${c} is not null order by ${c} limit 1)
        union all
        select (select ${c} from ${t} where ${c} > r.v order by ${c} limit 1) from r where r.v is not null
      ), d as (select v as ${c} from r where v is not null limit ${DICTIONARY_MAX + 1})
      select ${c} as v, coalesce(${predicate}, false) as bad from d`.execute(this.db);
    if (r.rows.length > DICTIONARY_MAX) return null;
    return r.rows.filter((x) => x.bad).map((x) => x.v);
  }

  /** A table-level metric of one version: rows from the registry, missing cells from the load's own counts, the rest by query. */
  async metric(
    table: TableRow,
    metric: 'row_count' | 'missing_percent' | 'mean' | 'distinct',
    column: LoadedColumn | undefined,
  ): Promise<number | null> {
    const rows = Number(table.row_count ?? 0);
    if (metric === 'row_count') return rows;
    if (metric === 'missing_percent') return rows ? Math.round(((column!.missing ?? 0) / rows) * 10000) / 100 : null;
    const c = sql.ref(column!.id);
    const t = sql.table(`datastore.${table.table_name}`);
    const r =
      metric === 'mean'
        ? await sql<{ v: string | null }>`select avg(${c})::float8 as v from ${t}`.execute(this.db)
        : await sql<{ v: string | null }>`select count(distinct ${c})::float8 as v from ${t}`.execute(this.db);
    const v = r.rows[0]?.v;
    return v === null || v === undefined ? null : Math.round(Number(v) * 1e6) / 1e6;
  }

  /** Failing rows after `afterRow`, in file order: keyset batches for a download of any size. */
  async failingBatch(
    table: TableRow,
    predicate: RawBuilder<unknown>,
    afterRow: number,
    size: number,
  ): Promise<Record<string, unknown>[]> {
    const cols = sql.join(table.columns.map((c) => sql.ref(c.id)));
    const r = await sql<
      Record<string, unknown>
    >`select _row, ${cols} from ${sql.table(`datastore.${table.table_name}`)} where ${predicate} and _row > ${afterRow} order by _row limit ${size}`.execute(
      this.db,
    );
    return r.rows;
  }

  /** One pass: the row count, each predicate's count and each freshness column's latest value. */
  async scan(
    table: TableRow,
    predicates: RawBuilder<unknown>[],
    latest: LoadedColumn[],
  ): Promise<{ rows: number; counts: number[]; latest: unknown[] }> {
    const parts = [
      sql`count(*)::bigint as n`,
      ...predicates.map((p, i) => sql`count(*) filter (where ${p})::bigint as ${sql.ref(`f${i}`)}`),
      ...latest.map((c, i) => sql`max(${sql.ref(c.id)}) as ${sql.ref(`m${i}`)}`),
    ];
    const r = await sql<
      Record<string, unknown>
    >`select ${sql.join(parts)} from ${sql.table(`datastore.${table.table_name}`)}`.execute(this.db);
    const row = r.rows[0]!;
    return {
      rows: Number(row.n),
      counts: predicates.map((_, i) => Number(row[`f${i}`])),
      latest: latest.map((_, i) => row[`m${i}`] ?? null),
    };
  }

  async samples(
    table: TableRow,
    predicate: RawBuilder<unknown>,
    column: LoadedColumn,
  ): Promise<{ row: number; value: unknown }[]> {
    const r = await sql<{
      row: number;
      value: unknown;
    }>`select _row as row, ${sql.ref(column.id)} as value from ${sql.table(`datastore.${table.table_name}`)} where ${predicate} order by _row limit ${SAMPLES}`.execute(
      this.db,
    );
    return r.rows.map((x) => ({
      row: Number(x.row),
      value: x.value instanceof Date ? x.value.toISOString() : x.value,
    }));
  }

  /** Rows that share their values on these columns with another row: how many, in how many groups, and the first ones. */
  async duplicates(
    table: TableRow,
    columns: LoadedColumn[],
  ): Promise<{ rows: number; groups: number; samples: { row: number; value: unknown }[] }> {
    const cols = sql.join(columns.map((c) => sql.ref(c.id)));
    const t = sql.table(`datastore.${table.table_name}`);
    const r = await sql<{
      rows: number;
      groups: number;
    }>`select coalesce(sum(n), 0)::bigint as rows, count(*)::bigint as groups from (select count(*) as n from ${t} group by ${cols} having count(*) > 1) d`.execute(
      this.db,
    );
    const rows = Number(r.rows[0]!.rows);
    // the sample query costs a second pass: only when there is something to show
    const s = rows
      ? await sql<
          Record<string, unknown>
        >`select _row, ${cols} from (select _row, ${cols}, count(*) over (partition by ${cols}) as n from ${t}) d where n > 1 order by _row limit ${SAMPLES}`.execute(
          this.db,
        )
      : { rows: [] };
    return {
      rows,
      groups: Number(r.rows[0]!.groups),
      samples: s.rows.map((x) => ({
        row: Number(x._row),
        value: Object.fromEntries(columns.map((c) => [c.id, x[c.id]])),
      })),
    };
  }

  /** Per column: empty cells, distinct values, smallest and largest; and up to 21 values of each small set. */
  async profile(table: TableRow): Promise<{
    rows: number;
    columns: { id: string; nulls: number; distinct: number; min: unknown; max: unknown; values: string[] }[];
  }> {
    const t = sql.table(`datastore.${table.table_name}`);
    const cols = table.columns.filter((c) => c.type !== 'geometry');
    const parts = cols.flatMap((c, i) => [
      sql`count(*) filter (where ${sql.ref(c.id)} is null)::bigint as ${sql.ref(`n${i}`)}`,
      sql`count(distinct ${sql.ref(c.id)})::bigint as ${sql.ref(`d${i}`)}`,
      ...(c.type === 'boolean' || c.type === 'text'
        ? []
        : [sql`min(${sql.ref(c.id)}) as ${sql.ref(`lo${i}`)}`, sql`max(${sql.ref(c.id)}) as ${sql.ref(`hi${i}`)}`]),
    ]);
    const r = (
      await sql<Record<string, unknown>>`select count(*)::bigint as rows, ${sql.join(parts)} from ${t}`.execute(this.db)
    ).rows[0]!;
    const out = [];
    for (const [i, c] of cols.entries()) {
      const distinct = Number(r[`d${i}`]);
      const values =
        c.type === 'text' && distinct <= 20
          ? (
              await sql<{
                v: string;
              }>`select distinct cast(${sql.ref(c.id)} as text) as v from ${t} where ${sql.ref(c.id)} is not null order by 1 limit 21`.execute(
                this.db,
              )
            ).rows.map((x) => x.v)
          : [];
      out.push({
        id: c.id,
        nulls: Number(r[`n${i}`]),
        distinct,
        min: r[`lo${i}`] ?? null,
        max: r[`hi${i}`] ?? null,
        values,
      });
    }
    return { rows: Number(r.rows), columns: out };
  }

  /**
   * Published data sets past the next update their declared frequency
   * promises (last modification + one period), oldest debt first.
   */
  async overdue(now: Date, agencyId?: string) {
    const due = sql`d.modified + (case d.update_frequency when 'DAILY' then interval '1 day' when 'WEEKLY' then interval '7 days'
      when 'MONTHLY' then interval '1 month' when 'QUARTERLY' then interval '3 months' when 'BIANNUAL' then interval '6 months'
      when 'ANNUAL' then interval '1 year' end)`;
    let q = this.db
      .selectFrom('datasets as d')
      .innerJoin('agencies as a', 'a.id', 'd.agency_id')
      .select([
        'd.id',
        'd.slug',
        'd.title_vi',
        'd.update_frequency',
        'd.modified',
        'a.id as agency_id',
        'a.slug as agency_slug',
        'a.name_vi as agency_name_vi',
        'a.name_en as agency_name_en',
      ])
      .select(sql<Date>`${due}`.as('due'))
      .where('d.status', '=', 'published')
      .where('d.update_frequency', 'in', ['DAILY', 'WEEKLY', 'MONTHLY', 'QUARTERLY', 'BIANNUAL', 'ANNUAL'])
      .where(sql<boolean>`${due} < ${now}`);
    if (agencyId) q = q.where('d.agency_id', '=', agencyId);
    return q.orderBy(sql`${due}`).orderBy('d.id').limit(5000).execute();
  }

  async saveSuite(distributionId: string, suite: Suite, userId: string | null): Promise<void> {
    await this.db
      .insertInto('quality_suites')
      .values({ distribution_id: distributionId, suite: JSON.stringify(suite), updated_by: userId })
      .onConflict((oc) =>
        oc
          .column('distribution_id')
          .doUpdateSet({ suite: JSON.stringify(suite), updated_at: new Date(), updated_by: userId }),
      )
      .execute();
  }

  async suite(distributionId: string): Promise<Suite | undefined> {
    const r = await this.db
      .selectFrom('quality_suites')
      .select('suite')
      .where('distribution_id', '=', distributionId)
      .executeTakeFirst();
    return r?.suite as Suite | undefined;
  }

  async saveRun(run: {
    id: string;
    distribution_id: string;
    table_id: string;
    table_version: number;
    suite: Suite;
    results: unknown;
    passed: number;
    failed: number;
    errors: number;
    created_by: string | null;
  }): Promise<void> {
    await this.db
      .insertInto('quality_runs')
      .values({ ...run, suite: JSON.stringify(run.suite), results: JSON.stringify(run.results) })
      .execute();
  }

  runs(distributionId: string, limit: number) {
    return this.db
      .selectFrom('quality_runs')
      .selectAll()
      .where('distribution_id', '=', distributionId)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
  }

  run(id: string) {
    return this.db.selectFrom('quality_runs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Files with a kept check suite. */
  async suiteDistributions(): Promise<string[]> {
    return (await this.db.selectFrom('quality_suites').select('distribution_id').execute()).map(
      (r) => r.distribution_id as string,
    );
  }

  /** The latest run of each of these files. */
  latestRuns(distributionIds: string[]) {
    if (!distributionIds.length) return Promise.resolve([]);
    return this.db
      .selectFrom('quality_runs')
      .selectAll()
      .distinctOn('distribution_id')
      .where('distribution_id', 'in', distributionIds)
      .orderBy('distribution_id')
      .orderBy('created_at', 'desc')
      .execute();
  }
}
