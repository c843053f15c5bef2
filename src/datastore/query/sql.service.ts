import { sql, type Kysely } from 'kysely';
import { DomainError } from '../../platform/errors.js';
import type { Driver } from '../../platform/database.js';
import type { Principal } from '../../accounts/principal.js';
import type { DatastoreService } from './datastore.service.js';
import { checkQuery, serialise, SqlRefused } from './sql.guard.js';

export const SQL_LIMITS = {
  /** rows returned at most, as CKAN's `ckan.datastore.search.rows_max` */
  rows: 32_000,
  /** PostgreSQL's statement_timeout for one query */
  timeoutMs: 5_000,
  /**
   * The planner's estimated cost above which a query is refused before it
   * runs: the embedded database cannot interrupt a running statement, so on
   * PGlite this is the guard against a query that would never end (a full
   * scan and sort of a 1,000,000-row table costs about 200,000).
   */
  cost: 2_000_000,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const refuse = (vi: string, en: string) => new DomainError('VALIDATION_FAILED', { vi, en }, [{ field: 'sql', vi, en }]);

export interface SqlResult {
  records: Record<string, unknown>[];
  fields: { id: string; type: string }[];
  truncated: boolean;
}

/** The type CKAN would report, read off the first value that is not null. */
function fieldType(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? 'int8' : 'float8';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof Date) return 'timestamptz';
  if (typeof v === 'object' && v !== null) return 'json';
  return 'text';
}

/**
 * `datastore_search_sql`: a checked SELECT over published tables, run in a
 * read-only transaction as the `ndp_datastore_reader` role, with pg_catalog as
 * the only search path, a statement timeout (PostgreSQL), a cost ceiling
 * (both) and a row cap.
 */
export class DatastoreSql {
  constructor(
    private readonly db: Kysely<any>,
    private readonly driver: Driver,
    private readonly datastore: DatastoreService,
  ) {}

  async run(p: Principal, text: string): Promise<SqlResult> {
    // PostgreSQL's text cannot hold NUL: refused here in words, rather than failing in the driver
    if (text.includes('\u0000'))
      throw refuse(
        'Câu lệnh chứa ký tự NUL (mã 0), không được phép trong SQL.',
        'The statement contains a NUL character (code 0), which SQL text cannot hold.',
      );
    let checked;
    try {
      checked = checkQuery(text);
    } catch (err) {
      if (err instanceof SqlRefused) throw refuse(err.vi, err.en);
      throw err;
    }
    for (const ref of checked.tables) {
      if (!UUID.test(ref.name))
        throw refuse(
          `Chỉ đọc được bảng đã công bố, gọi bằng mã tài nguyên (“${ref.name}” không phải mã).`,
          `Only published tables can be read, named by their resource id (“${ref.name}” is not one).`,
        );
      const table = await this.datastore.version(p, ref.name, { publishedOnly: true });
      ref.node.alias = ref.node.alias ?? ref.name;
      ref.node.schema = 'datastore';
      ref.node.name = table.table_name;
    }
    const query = serialise(checked);
    try {
      return await this.db.transaction().execute(async (trx) => {
        await sql`set transaction read only`.execute(trx);
        await sql`select set_config('search_path', 'pg_catalog', true)`.execute(trx);
        if (this.driver === 'postgres')
          await sql`select set_config('statement_timeout', ${String(SQL_LIMITS.timeoutMs)}, true)`.execute(trx);
        await sql`set local role ndp_datastore_reader`.execute(trx);
        const plan = await sql
          .raw<{ 'QUERY PLAN': [{ Plan: { 'Total Cost': number } }] | string }>(`explain (format json) ${query}`)
          .execute(trx);
        const raw = plan.rows[0]!['QUERY PLAN'];
        const cost = (typeof raw === 'string' ? JSON.parse(raw) : raw)[0].Plan['Total Cost'] as number;
        if (cost > SQL_LIMITS.cost)
          throw refuse(
            `Truy vấn quá nặng (chi phí ước tính ${Math.round(cost)} > ${SQL_LIMITS.cost}); hãy lọc hoặc gộp bớt.`,
            `The query is too heavy (estimated cost ${Math.round(cost)} > ${SQL_LIMITS.cost}); filter or aggregate more.`,
          );
        const r = await sql
          .raw<Record<string, unknown>>(`select * from (${query}) as q limit ${SQL_LIMITS.rows + 1}`)
          .execute(trx);
        const records = r.rows.slice(0, SQL_LIMITS.rows);
        const names = Object.keys(records[0] ?? {});
        const fields = names.map((id) => ({ id, type: fieldType(records.find((x) => x[id] !== null)?.[id] ?? '') }));
        return { records, fields, truncated: r.rows.length > SQL_LIMITS.rows };
      });
    } catch (err) {
      if (err instanceof DomainError) throw err;
      const code = (err as { code?: string }).code;
      const message = String((err as Error).message);
      if (code === '57014')
        throw refuse(
          `Truy vấn chạy quá ${SQL_LIMITS.timeoutMs / 1000} giây và đã bị dừng.`,
          `The query ran longer than ${SQL_LIMITS.timeoutMs / 1000} s and was stopped.`,
        );
      if (code === '42501')
        throw refuse('Truy vấn đọc dữ liệu không được phép.', 'The query reads data it may not read.');
      // PostgreSQL's own words for a wrong column, a division by zero, …: the user needs them to fix the query.
      if (code && /^(22|42)/.test(code))
        throw refuse(`Lỗi trong câu lệnh: ${message}`, `Error in the statement: ${message}`);
      throw err;
    }
  }
}
