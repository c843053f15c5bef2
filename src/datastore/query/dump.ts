import type { TableRow } from './datastore.repository.js';
import type { DatastoreRepository } from './datastore.repository.js';

const BATCH = 5000;

const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const s = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The whole table as CSV (UTF-8, header of column ids), batch by batch; `_id` as CKAN numbers rows. */
export async function* dumpCsv(repo: DatastoreRepository, table: TableRow): AsyncGenerator<string> {
  const offset = await repo.idOffset(table);
  yield `${['_id', ...table.columns.map((c) => c.id)].join(',')}\r\n`;
  for (let after = 0; ; ) {
    const rows = await repo.batch(table, after, BATCH);
    if (!rows.length) return;
    yield `${rows.map((r) => [Number(r._row) - offset, ...table.columns.map((c) => r[c.id])].map(csvCell).join(',')).join('\r\n')}\r\n`;
    after = Number(rows[rows.length - 1]!._row);
  }
}

/** The whole table as a JSON array of objects, batch by batch. */
export async function* dumpJson(repo: DatastoreRepository, table: TableRow): AsyncGenerator<string> {
  const offset = await repo.idOffset(table);
  yield '[';
  let first = true;
  for (let after = 0; ; ) {
    const rows = await repo.batch(table, after, BATCH);
    if (!rows.length) break;
    const body = rows
      .map((r) =>
        JSON.stringify({
          _id: Number(r._row) - offset,
          ...Object.fromEntries(table.columns.map((c) => [c.id, r[c.id]])),
        }),
      )
      .join(',');
    yield first ? body : `,${body}`;
    first = false;
    after = Number(rows[rows.length - 1]!._row);
  }
  yield ']';
}

/** The rejected rows of a version as CSV: where and why, then the row as it was in the file. */
export async function* rejectedCsv(repo: DatastoreRepository, table: TableRow): AsyncGenerator<string> {
  yield `\ufeff${['line', 'column', 'value', 'reason_vi', 'reason_en', ...table.columns.map((c) => c.title)].map(csvCell).join(',')}\r\n`;
  for (let after = 0; ; ) {
    const rows = await repo.rejections(table.id, after, BATCH);
    if (!rows.length) return;
    yield `${rows
      .map((r) =>
        [r.line, r.column_name, r.value, r.reason_vi, r.reason_en, ...table.columns.map((_, i) => r.cells[i] ?? '')]
          .map(csvCell)
          .join(','),
      )
      .join('\r\n')}\r\n`;
    after = Number(rows[rows.length - 1]!.line);
  }
}
