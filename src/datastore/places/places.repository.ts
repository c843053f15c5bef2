import { sql, type Kysely } from 'kysely';
import type { LoadedColumn } from '../load/loader.js';
import type { NameKey } from './code-column.js';
import type { ValueCount } from './recognise.js';

/** A version of a file's table as this area reads it. */
export interface PlaceTable {
  id: string;
  distribution_id: string;
  version: number;
  table_name: string;
  columns: LoadedColumn[];
  row_count: number;
  report: Record<string, unknown> | null;
}

/**
 * The SQL of place columns: distinct values of a loaded table's text columns, a derived code column added and filled,
 * the version's column list and report. Identifiers come from the table's own column list or a name the service has
 * checked; values are parameters. Private to `PlacesService`.
 */
export class PlacesRepository {
  constructor(private readonly db: Kysely<any>) {}

  private table(t: PlaceTable) {
    return sql.table(`datastore.${t.table_name}`);
  }

  /** The file's current version, locked until the transaction ends (a second derivation waits for the first). */
  async lockedCurrent(distributionId: string): Promise<PlaceTable | undefined> {
    return (await this.db
      .selectFrom('datastore_tables')
      .select(['id', 'distribution_id', 'version', 'table_name', 'columns', 'row_count', 'report'])
      .where('distribution_id', '=', distributionId)
      .where('current', '=', true)
      .forUpdate()
      .executeTakeFirst()) as PlaceTable | undefined;
  }

  /** Up to `limit` non-empty values of a column, as they come: a cheap first look before counting them all. */
  async sampleValues(t: PlaceTable, column: string, limit: number): Promise<string[]> {
    const c = sql.ref(column);
    const r = await sql<{ value: string }>`
      select ${c} as value from ${this.table(t)} where ${c} is not null and btrim(${c}) <> '' limit ${limit}`.execute(
      this.db,
    );
    return r.rows.map((x) => x.value);
  }

  /** A column's non-empty distinct values with their rows, most rows first; `limit + 1` tells there are more. */
  async distinctValues(t: PlaceTable, column: string, limit: number): Promise<ValueCount[]> {
    const c = sql.ref(column);
    const r = await sql<{ value: string; rows: string }>`
      select ${c} as value, count(*) as rows from ${this.table(t)}
      where ${c} is not null and btrim(${c}) <> ''
      group by ${c} order by count(*) desc, ${c} limit ${limit + 1}`.execute(this.db);
    return r.rows.map((x) => ({ value: x.value, rows: Number(x.rows) }));
  }

  /** A name column's distinct (name, province) pairs with their rows; `limit + 1` tells there are more. */
  async distinctPairs(t: PlaceTable, column: string, province: string | null, limit: number): Promise<NameKey[]> {
    const c = sql.ref(column);
    const p = province ? sql`${sql.ref(province)}` : sql`cast(null as text)`;
    const r = await sql<{ value: string; province: string | null; rows: string }>`
      select ${c} as value, ${p} as province, count(*) as rows from ${this.table(t)}
      where ${c} is not null and btrim(${c}) <> ''
      group by 1, 2 order by count(*) desc, 1, 2 limit ${limit + 1}`.execute(this.db);
    return r.rows.map((x) => ({ value: x.value, province: x.province, rows: Number(x.rows) }));
  }

  /**
   * Adds the text column and fills it: each row whose name (and province) has a code gets it, every other row stays
   * empty. Indexed as a load indexes its columns. Returns the rows filled.
   */
  async addCodeColumn(
    t: PlaceTable,
    name: string,
    source: string,
    province: string | null,
    coded: { value: string; province: string | null; code: string }[],
  ): Promise<number> {
    const table = this.table(t);
    // the column is added under an exclusive lock: waiting long for a download to finish would queue every reader
    // behind this request, so it gives up after a few seconds instead (LOCK_TIMEOUT, said to the caller)
    await sql`select set_config('lock_timeout', '5s', true)`.execute(this.db);
    await sql`alter table ${table} add column ${sql.id(name)} text`.execute(this.db);
    const sameProvince = province ? sql`and ${sql.ref(`t.${province}`)} is not distinct from m.province` : sql``;
    const r = await sql`
      update ${table} as t set ${sql.id(name)} = m.code
      from unnest(cast(${coded.map((c) => c.value)} as text[]), cast(${coded.map((c) => c.province)} as text[]),
                  cast(${coded.map((c) => c.code)} as text[])) as m(value, province, code)
      where ${sql.ref(`t.${source}`)} = m.value ${sameProvince}`.execute(this.db);
    await sql`create index ${sql.id(`${t.table_name}_${t.columns.length}`)} on ${table} (${sql.id(name)})`.execute(
      this.db,
    );
    return Number(r.numAffectedRows ?? 0);
  }

  /** The version's columns, and its report's `places` section. */
  async saveVersion(t: PlaceTable, columns: LoadedColumn[] | null, places: unknown): Promise<void> {
    await this.db
      .updateTable('datastore_tables')
      .set({
        ...(columns ? { columns: JSON.stringify(columns) } : {}),
        report: sql`coalesce(report, '{}'::jsonb) || ${JSON.stringify({ places })}::jsonb`,
      })
      .where('id', '=', t.id)
      .execute();
  }
}
