import { sql, type Kysely } from 'kysely';
import { DomainError } from '../../platform/errors.js';
import type { Driver } from '../../platform/database.js';
import type { Principal } from '../../accounts/principal.js';
import type { DatastoreService } from './datastore.service.js';
import { clientKey, type QueryGate } from '../../platform/query-gate.js';
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
  /** the default of NDP_QUERY_MAX_BYTES: the largest answer, in bytes of JSON */
  bytes: 16 * 1024 * 1024,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const mib = (n: number) => (n / 1024 / 1024).toLocaleString('en', { maximumFractionDigits: 1 });
const tooLarge = (cap: number) => {
  const vi = `Kết quả vượt quá ${mib(cap).replace('.', ',')} MiB và đã bị dừng; hãy chọn ít cột hơn, lọc, gộp nhóm hoặc dùng LIMIT.`;
  const en = `The answer exceeds ${mib(cap)} MiB and was stopped; select fewer columns, filter, aggregate, or use LIMIT.`;
  return new DomainError('RESULT_TOO_LARGE', { vi, en }, [{ field: 'sql', vi, en }]);
};
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
  /** the largest answer, in bytes of JSON: past it the query is stopped (NDP_QUERY_MAX_BYTES) */
  maxBytes: number;
  /**
   * `db` is the query pool (`Database.queryDb`), never the server's; the gate admits a few queries at once and a
   * fair share per client.
   */
  constructor(
    private readonly db: Kysely<any>,
    private readonly driver: Driver,
    private readonly datastore: DatastoreService,
    private readonly opts: { gate?: QueryGate; maxBytes?: number } = {},
  ) {
    this.maxBytes = opts.maxBytes ?? SQL_LIMITS.bytes;
  }

  /** `address`: the caller's, to count an anonymous caller's queries against. */
  async run(p: Principal, text: string, address = ''): Promise<SqlResult> {
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
    const work = () => this.execute(query);
    return this.opts.gate ? this.opts.gate.run(clientKey(p, address), work) : work();
  }

  private async execute(query: string): Promise<SqlResult> {
    const cap = this.maxBytes;
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
        // Read through a cursor, a few rows and then more at a time, counting the answer's bytes: past the cap the
        // query stops there, so a wide answer never sits whole in memory (`lpad('x', 600000)` on every row).
        await sql
          .raw(`declare ndp_answer no scroll cursor for select * from (${query}) as q limit ${SQL_LIMITS.rows + 1}`)
          .execute(trx);
        const rows: Record<string, unknown>[] = [];
        let bytes = 0;
        for (let size = 10; ; size = Math.min(size * 4, 1000)) {
          const batch = await sql.raw<Record<string, unknown>>(`fetch ${size} from ndp_answer`).execute(trx);
          for (const row of batch.rows) {
            bytes += Buffer.byteLength(JSON.stringify(row)) + 1;
            if (bytes > cap) throw tooLarge(cap);
            rows.push(row);
          }
          if (batch.rows.length < size || rows.length > SQL_LIMITS.rows) break;
        }
        const records = rows.slice(0, SQL_LIMITS.rows);
        const names = Object.keys(records[0] ?? {});
        const fields = names.map((id) => ({ id, type: fieldType(records.find((x) => x[id] !== null)?.[id] ?? '') }));
        return { records, fields, truncated: rows.length > SQL_LIMITS.rows };
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
