import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { LoadedColumn } from './loader.js';

/**
 * Columns whose dictionary entry is a code list of administrative units are
 * checked against the units in force, in one grouped query per column: every
 * distinct code is current, a pre-2025 code (reported with the unit(s) it
 * became, from the crosswalk), or unknown. Codes are text, compared and
 * reported as written (`00001` is a commune, `01` a province); only a column
 * loaded as numbers, which has lost its zeros, is read at each code's width.
 */
export type CodeList = 'vn-provinces' | 'vn-communes' | 'vn-admin-units';
const LEVELS: Record<CodeList, string[]> = {
  'vn-provinces': ['province'],
  'vn-communes': ['commune'],
  'vn-admin-units': ['province', 'commune'],
};
const OLD_LEVELS: Record<CodeList, string[]> = {
  'vn-provinces': ['province'],
  'vn-communes': ['commune'],
  'vn-admin-units': ['province', 'district', 'commune'],
};
const LISTED = 100;

export interface CodeListReport {
  column: string;
  code_list: CodeList;
  rows_checked: number;
  rows_current: number;
  old: { code: string; rows: number; becomes: { code: string; name: string; coverage: string }[] }[];
  rows_old: number;
  unknown: { code: string; rows: number }[];
  rows_unknown: number;
}

export async function checkCodeLists(
  db: Kysely<any>,
  tableName: string,
  columns: LoadedColumn[],
  schema: { fields: { name: string; 'ndp:codeList'?: string }[] } | null | undefined,
): Promise<CodeListReport[]> {
  const reports: CodeListReport[] = [];
  for (const field of schema?.fields ?? []) {
    const list = field['ndp:codeList'] as CodeList | undefined;
    const column = columns.find((c) => c.title === field.name);
    if (!list || !(list in LEVELS) || !column) continue;
    const col = sql.ref(column.id);
    const numeric = column.type === 'integer' || column.type === 'number';
    const same = (code: RawBuilder<unknown>) =>
      numeric ? sql`${code} = lpad(c.code, length(${code}), '0')` : sql`${code} = c.code`;
    const r = await sql<{
      code: string;
      rows: number;
      current: boolean;
      becomes: { code: string; name: string; coverage: string }[] | null;
    }>`
      with codes as (
        select btrim(cast(${col} as text)) as code, count(*)::bigint as rows
        from ${sql.table(`datastore.${tableName}`)} where ${col} is not null group by 1
      )
      select c.code, c.rows,
        exists (select 1 from admin_units u where ${same(sql`u.code`)} and u.level = any(cast(${LEVELS[list]} as text[]))) as current,
        (select json_agg(json_build_object('code', x.new_code, 'name', u.full_name, 'coverage', x.coverage) order by x.new_code)
           from unit_crosswalk x join admin_units u on u.code = x.new_code
          where ${same(sql`x.old_code`)} and x.old_level = any(cast(${OLD_LEVELS[list]} as text[]))) as becomes
      from codes c order by c.rows desc, c.code`.execute(db);
    const report: CodeListReport = {
      column: column.title,
      code_list: list,
      rows_checked: 0,
      rows_current: 0,
      old: [],
      rows_old: 0,
      unknown: [],
      rows_unknown: 0,
    };
    for (const x of r.rows) {
      const rows = Number(x.rows);
      report.rows_checked += rows;
      if (x.current) report.rows_current += rows;
      else if (x.becomes?.length) {
        report.rows_old += rows;
        if (report.old.length < LISTED) report.old.push({ code: x.code, rows, becomes: x.becomes });
      } else {
        report.rows_unknown += rows;
        if (report.unknown.length < LISTED) report.unknown.push({ code: x.code, rows });
      }
    }
    reports.push(report);
  }
  return reports;
}
