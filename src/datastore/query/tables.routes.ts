import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { Server } from '../../platform/http.js';
import { DomainError } from '../../platform/errors.js';
import { clientKey, type QueryGate } from '../../platform/query-gate.js';
import type { DatastoreService } from './datastore.service.js';
import type { TableRow } from './datastore.repository.js';
import { encodeCursor, parseView, type View } from './view.js';
import { jsonValue, MEDIA_TYPES, writeView, type Format, type OutColumn } from './formats.js';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Names = (description: string) => Type.Optional(Type.String({ maxLength: 2000, description }));
const RowsQuery = Type.Object(
  {
    select: Names('Columns to return, comma-separated (default: all)'),
    order: Names(
      'Sort keys, e.g. `dan_so.desc,ten`; missing values sort as the largest (last ascending, first descending); `_id` is the line in the source file',
    ),
    limit: Type.Optional(
      Type.String({
        pattern: '^([0-9]{1,5}|all)$',
        description: 'Rows per page, up to 10000, or `all` (default 100 for JSON, all for downloads)',
      }),
    ),
    after: Type.Optional(Type.String({ maxLength: 4000, description: 'Keyset cursor: take it from `links.next`' })),
    format: Type.Optional(
      Type.Union(
        ['json', 'ndjson', 'csv', 'xlsx', 'parquet'].map((f) => Type.Literal(f)),
        { description: 'Overrides the Accept header' },
      ),
    ),
    group_by: Names('Group rows by these columns'),
    count: Type.Optional(Type.String({ maxLength: 0, description: 'Count rows (per group)' })),
    sum: Names('Sum these numeric columns'),
    avg: Names('Average of these numeric columns'),
    min: Names('Smallest value of these columns'),
    max: Names('Largest value of these columns'),
  },
  {
    additionalProperties: Type.Union(
      [Type.String({ maxLength: 20000 }), Type.Array(Type.String({ maxLength: 20000 }), { maxItems: 20 })],
      {
        description:
          'Filters: `column=op.value` with op one of eq, neq, gt, gte, lt, lte, in (`in.(a,b)`), like / ilike (`*` as wildcard; ilike ignores case and diacritics: `ilike.*ha noi*` finds Hà Nội; `ilike(any).(ha noi,da nang)` matches any of a list), is (`is.null`, `is.notnull`); `not.` before any op negates it (`not.ilike.ha noi`)',
      },
    ),
  },
);

const ACCEPT: [string, Format][] = [
  ['application/json', 'json'],
  ['application/x-ndjson', 'ndjson'],
  ['application/ndjson', 'ndjson'],
  ['text/csv', 'csv'],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
  ['application/vnd.apache.parquet', 'parquet'],
];

function negotiate(req: FastifyRequest, asked: Format | undefined): Format {
  if (asked) return asked;
  const accept = req.headers.accept;
  if (!accept) return 'json';
  const wanted = accept.split(',').map((p) => p.split(';')[0]!.trim().toLowerCase());
  for (const w of wanted) {
    const hit = ACCEPT.find(([media]) => media === w);
    if (hit) return hit[1];
    if (w === '*/*' || w === 'application/*') return 'json';
  }
  throw new DomainError('NOT_ACCEPTABLE', {
    vi: 'Chỉ có JSON, NDJSON, CSV, XLSX và Parquet.',
    en: 'Available as JSON, NDJSON, CSV, XLSX and Parquet.',
  });
}

function presentTable(t: TableRow) {
  return {
    id: t.id,
    distribution_id: t.distribution_id,
    version: t.version,
    rows: Number(t.row_count),
    rejected: Number(t.rejected_count),
    loaded_at: (t.finished_at ?? t.created_at).toISOString(),
    columns: t.columns.map((c) => ({ id: c.id, title: c.title, type: c.type, inferred: c.inferred })),
    links: {
      self: `/api/v1/tables/${t.id}`,
      rows: `/api/v1/tables/${t.id}/rows`,
      distribution: `/api/v1/distributions/${t.distribution_id}/datastore`,
    },
  };
}

function outColumns(view: View): OutColumn[] {
  if (!view.groupBy.length && !view.aggregates.length) return [{ id: '_id', type: 'integer' }, ...view.select];
  const aggs = view.aggregates.length ? view.aggregates : [{ fn: 'count' as const, column: null, name: 'count' }];
  return [
    ...view.groupBy,
    ...aggs.map((a) => ({
      id: a.name,
      type:
        a.fn === 'count'
          ? ('integer' as const)
          : a.fn === 'sum' || a.fn === 'avg'
            ? ('number' as const)
            : a.column!.type,
    })),
  ];
}

/** The native table API: typed filters, keyset pages with `next` links, aggregates, five formats. */
export function tablesRoutes(app: Server, datastore: DatastoreService, gate?: QueryGate): void {
  const tags = ['Tables'];
  app.get(
    '/api/v1/tables/:id',
    {
      schema: {
        tags,
        summary: 'A loaded table: by version id (immutable) or by distribution id (latest version)',
        params: Id,
      },
    },
    async (req) => presentTable(await datastore.version(req.principal, req.params.id)),
  );

  app.get(
    '/api/v1/tables/:id/rows',
    {
      schema: {
        tags,
        summary: 'Rows of a table: filter, sort, page by keyset, aggregate; JSON, NDJSON, CSV, XLSX or Parquet',
        params: Id,
        querystring: RowsQuery,
      },
    },
    async (req, reply) => {
      const table = await datastore.version(req.principal, req.params.id);
      // admitted like the SQL API: a few at once, a share per client; a download holds its place until it is sent
      const release = gate ? await gate.acquire(clientKey(req.principal, req.ip)) : () => undefined;
      let streaming = false;
      const willStream = () => {
        streaming = true;
        reply.raw.once('close', release);
        reply.raw.once('finish', release);
      };
      try {
        const query = req.query as Record<string, string | string[] | undefined>;
        const format = negotiate(req, req.query.format as Format | undefined);
        const view = parseView(table.columns, query, format === 'json' ? 100 : null);
        const columns = outColumns(view);
        const grouped = view.groupBy.length > 0 || view.aggregates.length > 0;
        reply.header('vary', 'accept');
        if (format === 'json' && view.limit !== null) {
          const rows = grouped
            ? await datastore.aggregate(table, view, view.limit)
            : await datastore.page(table, view, view.after, view.limit);
          const base = new URL(req.url, 'http://x');
          base.searchParams.delete('after');
          const last = rows[rows.length - 1];
          let next: string | null = null;
          if (!grouped && last && rows.length === view.limit) {
            base.searchParams.set('after', encodeCursor(view.order.map((_, i) => last[`_k${i}`])));
            next = `${base.pathname}${base.search}`;
          }
          return {
            table: { id: table.id, distribution_id: table.distribution_id, version: table.version },
            // the rows the filters keep (the table's size without filters); groups are not counted
            ...(grouped ? {} : { total: await datastore.count(table, view) }),
            columns: columns.map((c) => ({ id: c.id, type: c.type })),
            rows: rows.map((r) => Object.fromEntries(columns.map((c) => [c.id, jsonValue(r[c.id], c.type)]))),
            links: { self: req.url, next },
          };
        }
        const batches = grouped
          ? (async function* () {
              yield await datastore.aggregate(table, view, view.limit);
            })()
          : datastore.viewBatches(table, view, format === 'parquet' ? 20_000 : 5000);
        reply.header('content-type', MEDIA_TYPES[format]);
        if (format !== 'json' && format !== 'ndjson')
          reply.header('content-disposition', `attachment; filename="table-${table.id}-v${table.version}.${format}"`);
        const body = writeView(format, columns, batches);
        willStream();
        return reply.send(body instanceof Readable ? body : Readable.from(body));
      } finally {
        if (!streaming) release();
      }
    },
  );
}
