import { type Kysely, sql } from 'kysely';
import { fold } from '../../platform/text.js';
import type { LoadedColumn } from './loader.js';

/*
 * Search inside the data: the distinct values of a current table's short text columns (place names, categories)
 * are kept in `dataset_values`, whose trigger folds them into the data set's `data_vector`. Only the current version
 * of a file is there: a version made current replaces its predecessor's values, so a pending, discarded or rolled
 * back version is never found by its values.
 */

/** A column is short text when no value is longer than this: names and categories, not notes or addresses. */
export const SHORT_TEXT = 64;
/** At most this many values per column (the most frequent), columns per table and values per table. */
export const VALUES_PER_COLUMN = 1000;
export const COLUMNS_PER_TABLE = 20;
export const VALUES_PER_TABLE = 4000;

/**
 * Puts the values of `tableId` in place of the file's previous current version's (`beforeId`), within the caller's
 * transaction. Reads only the table being made current, through the same transaction (one connection on PGlite).
 */
export async function replaceSearchValues(trx: Kysely<any>, tableId: string, beforeId: string | null): Promise<void> {
  if (beforeId) await trx.deleteFrom('dataset_values').where('table_id', '=', beforeId).execute();
  const t = (await trx
    .selectFrom('datastore_tables as t')
    .innerJoin('distributions as d', 'd.id', 't.distribution_id')
    .select(['t.table_name', 't.columns', 'd.dataset_id', 'd.table_schema'])
    .where('t.id', '=', tableId)
    .executeTakeFirst()) as
    | { table_name: string; columns: LoadedColumn[]; dataset_id: string; table_schema: unknown }
    | undefined;
  if (!t) return;
  // a column is named by its title in the file's Table Schema when it has one ("Tỉnh/thành"), else by its header
  const fields = (t.table_schema as { fields?: { name?: unknown; title?: unknown }[] } | null)?.fields ?? [];
  const titles = new Map(
    fields.flatMap((f) => (typeof f.name === 'string' && typeof f.title === 'string' ? [[f.name, f.title]] : [])),
  );
  await trx.deleteFrom('dataset_values').where('table_id', '=', tableId).execute();
  const table = sql.table(`datastore.${t.table_name}`);
  // De-identified columns held personal data: their values are never made searchable.
  const columns = (t.columns ?? []).filter((c) => c.type === 'text' && !c.deidentified).slice(0, COLUMNS_PER_TABLE);
  let room = VALUES_PER_TABLE;
  for (const c of columns) {
    if (room <= 0) break;
    const col = sql.ref(c.id);
    const r = await sql<{ v: string; longest: number }>`
      select ${col} as v, max(max(length(${col}))) over () as longest
      from ${table} where ${col} is not null and ${col} <> ''
      group by ${col} order by count(*) desc, ${col} limit ${Math.min(VALUES_PER_COLUMN, room)}`.execute(trx);
    if (!r.rows.length || Number(r.rows[0]!.longest) > SHORT_TEXT) continue;
    const vals = r.rows.map((x) => x.v.trim()).filter((v) => /\p{L}/u.test(v));
    if (!vals.length) continue;
    room -= vals.length;
    await trx
      .insertInto('dataset_values')
      .values({
        table_id: tableId,
        dataset_id: t.dataset_id,
        column_id: c.id,
        column_title: titles.get(c.title) ?? (c.title || c.id),
        vals,
        folded: fold(vals.join(' ')),
      })
      .execute();
  }
}
