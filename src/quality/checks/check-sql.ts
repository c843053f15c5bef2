import { sql, type RawBuilder } from 'kysely';
import type { TableRow } from '../../datastore/query/datastore.service.js';
import type { LoadedColumn } from '../../datastore/load/loader.js';
import type { Check } from './quality.schema.js';

/**
 * The compiler of row-level checks: each check becomes a predicate that names a failing row, for the repository to
 * count in its single pass over the table, to sample, or to read the failing rows by.
 */
const LEVELS: Record<string, string[]> = {
  'vn-provinces': ['province'],
  'vn-communes': ['commune'],
  'vn-admin-units': ['province', 'commune'],
};

const text = (c: LoadedColumn) => sql`btrim(cast(${sql.ref(c.id)} as text))`;
/**
 * Whether a unit's code (`code`, text) is this cell's. Codes are text: `00001` is a commune and `01` a province, so a
 * text cell must equal the code as written. Only a column loaded as numbers has lost its zeros; its value is read
 * at the code's own width (2 digits a province, 5 a commune).
 */
function sameCode(code: RawBuilder<unknown>, column: LoadedColumn, value: RawBuilder<unknown> = text(column)) {
  return column.type === 'integer' || column.type === 'number'
    ? sql`${code} = lpad(${value}, length(${code}), '0')`
    : sql`${code} = ${value}`;
}
/** Digits of a value without spaces, dots and hyphens, as people write codes and numbers. */
const compact = (c: LoadedColumn) => sql`regexp_replace(cast(${sql.ref(c.id)} as text), '[\\s.-]', '', 'g')`;

function mstDigitsOk(v: RawBuilder<unknown>): RawBuilder<unknown> {
  const weights = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  const sum = sql.join(
    weights.map((w, i) => sql`${sql.lit(w)} * cast(substr(${v}, ${sql.lit(i + 1)}, 1) as int)`),
    sql` + `,
  );
  // the tenth digit is 10 − (Σ wᵢdᵢ mod 11); a sum that would need “10” has no valid number
  return sql`(cast(substr(${v}, 10, 1) as int) = 10 - ((${sum}) % 11))`;
}

/** The predicate true for a failing row, or null for checks that are not row by row. */
export function failing(check: Check, column: LoadedColumn | undefined): RawBuilder<unknown> | null {
  if (!column) return null;
  const c = sql.ref(column.id);
  switch (check.type) {
    case 'missing':
      return sql`${c} is null`;
    case 'in_set':
      return sql`${c} is not null and ${text(column)} <> all(cast(${check.values} as text[]))`;
    case 'code_list':
      return sql`${c} is not null and not exists (select 1 from admin_units u where ${sameCode(sql`u.code`, column)} and u.level = any(cast(${LEVELS[check.list]} as text[])))`;
    case 'pattern':
      return sql`${c} is not null and not (cast(${c} as text) ~ ${`^(?:${check.regex})$`})`;
    case 'bounds': {
      const parts: RawBuilder<unknown>[] = [];
      if (check.min !== undefined) parts.push(sql`${c} < cast(${check.min} as numeric)`);
      if (check.max !== undefined) parts.push(sql`${c} > cast(${check.max} as numeric)`);
      return parts.length ? sql`(${sql.join(parts, sql` or `)})` : sql`false`;
    }
    case 'format': {
      const v = compact(column);
      switch (check.format) {
        case 'mst':
          return sql`${c} is not null and not (${v} ~ '^[0-9]{10}([0-9]{3})?$' and substr(${v}, 3, 7) <> '0000000' and ${mstDigitsOk(v)})`;
        case 'cccd':
          // 12 digits: the birth registration province (3 digits, a pre-2025 province code), century and sex, year, serial
          return sql`${c} is not null and not (${v} ~ '^[0-9]{12}$'
            and exists (select 1 from unit_crosswalk x where x.old_level = 'province' and '0' || x.old_code = substr(${v}, 1, 3))
            and 1900 + 100 * (cast(substr(${v}, 4, 1) as int) / 2) + cast(substr(${v}, 5, 2) as int) <= extract(year from now()))`;
        case 'phone_vn':
          return sql`${c} is not null and not (${v} ~ '^(\\+84|84|0)([35789][0-9]{8}|2[0-9]{9})$')`;
        case 'email':
          return sql`${c} is not null and not (${text(column)} ~ '^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$')`;
        case 'postal_code_vn':
          return sql`${c} is not null and not (${v} ~ '^[0-9]{5}$')`;
      }
      return null;
    }
    default:
      return null;
  }
}

/** Rows whose value is not found in a column of another loaded table (referential integrity). */
export function notIn(column: LoadedColumn, target: TableRow, targetColumn: LoadedColumn): RawBuilder<unknown> {
  const c = sql.ref(column.id);
  const tc = sql.ref(targetColumn.id);
  // The inner query shows one column, named as no column can be (ids never start with `_`): the
  // unqualified outer column then cannot be taken for a same-named column of the target.
  const match =
    column.type === targetColumn.type ? sql`r._ref_value = ${c}` : sql`cast(r._ref_value as text) = cast(${c} as text)`;
  return sql`${c} is not null and not exists (select 1 from (select ${tc} as _ref_value from ${sql.table(`datastore.${target.table_name}`)}) as r where ${match})`;
}

/** The predicate of rows in a duplicate group on these columns. */
export function duplicated(table: TableRow, columns: LoadedColumn[]): RawBuilder<unknown> {
  const cols = sql.join(columns.map((c) => sql.ref(c.id)));
  return sql`(${cols}) in (select ${cols} from ${sql.table(`datastore.${table.table_name}`)} group by ${cols} having count(*) > 1)`;
}
