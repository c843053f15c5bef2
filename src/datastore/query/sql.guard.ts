import { parse, toSql, type Statement } from 'pgsql-ast-parser';

/**
 * The gate of the SQL API, before any database sees a statement: parse it
 * with a real PostgreSQL grammar, accept one read-only query made of nodes we
 * know, functions and casts from short allow-lists and tables named by their
 * resource id, and re-serialise the checked tree, so that what runs is
 * exactly what was checked. Anything unknown is refused (fail closed).
 */
export class SqlRefused extends Error {
  constructor(
    readonly vi: string,
    readonly en: string,
  ) {
    super(en);
  }
}

const QUERIES = new Set(['select', 'union', 'union all', 'values', 'with']);
const NODES = new Set([
  ...QUERIES,
  'table',
  'statement',
  'call',
  'ref',
  'binary',
  'unary',
  'integer',
  'numeric',
  'string',
  'boolean',
  'null',
  'cast',
  'case',
  'ternary',
  'list',
  'array',
  'extract',
  'member',
  'arrayIndex',
  'keyword',
  'INNER JOIN',
  'LEFT JOIN',
  'RIGHT JOIN',
  'FULL JOIN',
  'CROSS JOIN',
]);
export const FUNCTIONS = new Set([
  // aggregates
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'stddev',
  'stddev_pop',
  'stddev_samp',
  'variance',
  'var_pop',
  'var_samp',
  'string_agg',
  'array_agg',
  'bool_and',
  'bool_or',
  'every',
  'percentile_cont',
  'percentile_disc',
  'mode',
  'corr',
  'covar_pop',
  'covar_samp',
  'regr_slope',
  'regr_intercept',
  'json_agg',
  'jsonb_agg',
  // windows
  'row_number',
  'rank',
  'dense_rank',
  'percent_rank',
  'cume_dist',
  'ntile',
  'lag',
  'lead',
  'first_value',
  'last_value',
  'nth_value',
  // numbers
  'abs',
  'ceil',
  'ceiling',
  'floor',
  'round',
  'trunc',
  'mod',
  'power',
  'sqrt',
  'cbrt',
  'exp',
  'ln',
  'log',
  'log10',
  'sign',
  'div',
  'width_bucket',
  'greatest',
  'least',
  'pi',
  'radians',
  'degrees',
  // text
  'length',
  'char_length',
  'character_length',
  'lower',
  'upper',
  'initcap',
  'trim',
  'btrim',
  'ltrim',
  'rtrim',
  'lpad',
  'rpad',
  'substr',
  'substring',
  'left',
  'right',
  'replace',
  'concat',
  'concat_ws',
  'split_part',
  'strpos',
  'reverse',
  'starts_with',
  'translate',
  'regexp_replace',
  'regexp_match',
  'to_char',
  'to_number',
  'to_date',
  'to_timestamp',
  'md5',
  // dates
  'date_trunc',
  'date_part',
  'age',
  'make_date',
  'now',
  // conditions and subqueries
  'coalesce',
  'nullif',
  'exists',
  'any',
  'all',
  'some',
]);
const TYPES = new Set([
  'int',
  'int2',
  'int4',
  'int8',
  'integer',
  'bigint',
  'smallint',
  'numeric',
  'decimal',
  'real',
  'float',
  'float4',
  'float8',
  'double precision',
  'text',
  'varchar',
  'char',
  'character',
  'character varying',
  'boolean',
  'bool',
  'date',
  'timestamp',
  'timestamptz',
  'time',
  'interval',
  'json',
  'jsonb',
]);
const KEYWORDS = new Set(['current_date', 'current_time', 'current_timestamp', 'localtime', 'localtimestamp']);
export const MAX_SQL_LENGTH = 20_000;

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkType(to: unknown): void {
  const t = to as { name?: string; schema?: string; kind?: string; arrayOf?: unknown };
  if (t?.kind === 'array') {
    checkType(t.arrayOf);
    return;
  }
  if (!t?.name || t.schema || !TYPES.has(t.name.toLowerCase())) {
    throw new SqlRefused(
      `Không được đổi sang kiểu “${t?.name ?? '?'}”.`,
      `Casting to “${t?.name ?? '?'}” is not allowed.`,
    );
  }
}

export interface TableReference {
  name: string;
  node: { name: string; schema?: string; alias?: string };
}

/** Walks every object of the tree; each node's kind must be known, and some are looked into. */
function walk(value: unknown, tables: TableReference[], ctes: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) walk(v, tables, ctes);
    return;
  }
  if (!isNode(value)) return;
  const type = value.type;
  if (typeof type === 'string') {
    if (!NODES.has(type)) {
      throw new SqlRefused(
        `Chỉ được đọc dữ liệu: không dùng “${type}” ở đây.`,
        `Read-only queries only: “${type}” is not allowed here.`,
      );
    }
    if (type === 'with') {
      for (const b of value.bind as { alias: { name: string }; statement: Node }[]) {
        if (!QUERIES.has(String(b.statement.type)))
          throw new SqlRefused(
            'Mệnh đề WITH chỉ được chứa truy vấn đọc.',
            'A WITH clause may hold read-only queries only.',
          );
        // Unqualified names also resolve in pg_catalog, whose relations all start with pg_: a WITH name
        // like pg_class in an inner scope must not let an outer reference of the same name through.
        if (/^pg_/i.test(b.alias.name))
          throw new SqlRefused('Tên trong WITH không được bắt đầu bằng pg_.', 'WITH names may not start with pg_.');
        ctes.add(b.alias.name);
      }
    }
    if (type === 'call') {
      const fn = value.function as { name: string; schema?: string };
      if (fn.schema || !FUNCTIONS.has(fn.name.toLowerCase())) {
        const name = fn.schema ? `${fn.schema}.${fn.name}` : fn.name;
        throw new SqlRefused(`Không được gọi hàm “${name}”.`, `The function “${name}” may not be called.`);
      }
    }
    if (type === 'cast') checkType(value.to);
    if (type === 'keyword' && !KEYWORDS.has(String(value.keyword).toLowerCase())) {
      throw new SqlRefused(`Không được dùng “${String(value.keyword)}”.`, `“${String(value.keyword)}” is not allowed.`);
    }
    if (type === 'ref' && isNode(value.table) && value.table.schema) {
      throw new SqlRefused('Không được chỉ định schema.', 'Schemas may not be named.');
    }
    if (type === 'table') {
      const name = value.name as TableReference['node'];
      if (name.schema)
        throw new SqlRefused(
          `Chỉ đọc được bảng dữ liệu đã công bố, gọi bằng mã tài nguyên; không đọc được “${name.schema}.${name.name}”.`,
          `Only published tables, named by resource id, can be read; not “${name.schema}.${name.name}”.`,
        );
      tables.push({ name: name.name, node: name });
    }
  }
  for (const [k, v] of Object.entries(value)) if (k !== 'function' && k !== 'to') walk(v, tables, ctes);
}

export interface CheckedQuery {
  statement: Statement;
  /** references to data tables (not to WITH names), to be resolved and renamed by the caller */
  tables: TableReference[];
}

export function checkQuery(text: string): CheckedQuery {
  if (text.length > MAX_SQL_LENGTH)
    throw new SqlRefused(
      `Câu lệnh dài quá ${MAX_SQL_LENGTH} ký tự.`,
      `The statement is longer than ${MAX_SQL_LENGTH} characters.`,
    );
  let statements: Statement[];
  try {
    statements = parse(text);
  } catch (err) {
    const where = String((err as Error).message).split('\n')[0];
    throw new SqlRefused(`Không đọc được câu lệnh SQL (${where}).`, `The SQL could not be parsed (${where}).`);
  }
  if (statements.length !== 1)
    throw new SqlRefused('Gửi đúng một câu lệnh SELECT.', 'Send exactly one SELECT statement.');
  const statement = statements[0]!;
  if (!QUERIES.has(statement.type))
    throw new SqlRefused('Chỉ được dùng câu lệnh SELECT.', 'Only SELECT statements are allowed.');
  const tables: TableReference[] = [];
  const ctes = new Set<string>();
  walk(statement, tables, ctes);
  return { statement, tables: tables.filter((t) => !ctes.has(t.name)) };
}

/** After the caller renamed the table references in place: the SQL to run. */
export const serialise = (q: CheckedQuery): string => toSql.statement(q.statement);
