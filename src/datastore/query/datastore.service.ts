import type { Kysely } from 'kysely';
import { DomainError, invalid, notFound, type ErrorDetail } from '../../platform/errors.js';
import { requireAgencyRole, type Principal } from '../../accounts/principal.js';
import type { DatasetsService } from '../../catalog/datasets.service.js';
import { DatastoreRepository, type TableRow } from './datastore.repository.js';
import { toCopyText } from '../load/convert.js';
import type { LoadedColumn } from '../load/loader.js';
import type { View } from './view.js';
import type { AdaptiveIndexes } from './adaptive-index.js';

export interface SearchRequest {
  filters?: Record<string, unknown>;
  q?: string;
  fields?: string[];
  sort?: string;
  limit: number;
  offset: number;
  distinct?: boolean;
}

const TABLE = { vi: 'bảng dữ liệu của tệp', en: 'DataStore table of resource' };
export const MAX_ROWS = 32_000;

/** Reading loaded tables: the same visibility as the data set, plus access rights for restricted data. */
export class DatastoreService {
  readonly repo: DatastoreRepository;
  constructor(
    db: Kysely<any>,
    private readonly datasets: DatasetsService,
    readonly indexes?: AdaptiveIndexes,
  ) {
    this.repo = new DatastoreRepository(db);
  }

  /** One keyset page of a view; a slow filter-and-sort asks for the composite index it lacks. */
  async page(table: TableRow, view: View, after: unknown[] | null, limit: number): Promise<Record<string, unknown>[]> {
    const t0 = performance.now();
    const rows = await this.repo.viewPage(table, view, after, limit);
    const first = view.order[0];
    this.indexes?.consider(
      table,
      view.filters.filter((f) => f.op === 'eq' || f.op === 'in').map((f) => f.column.id),
      first && first.key !== '_row' ? first.key.id : null,
      performance.now() - t0,
    );
    return rows;
  }

  async table(p: Principal, resourceId: string): Promise<TableRow> {
    const { dataset } = await this.datasets.distribution(p, resourceId);
    if (dataset.access_rights !== 'public') requireAgencyRole(p, dataset.agency_id, 'viewer');
    const table = await this.repo.latestReady(resourceId);
    if (!table) throw notFound(TABLE, resourceId);
    return table;
  }

  /**
   * A table by the id of one of its versions (immutable) or of its
   * distribution (the latest ready version), with the data set's rights.
   */
  async version(p: Principal, id: string, opts: { publishedOnly?: boolean } = {}): Promise<TableRow> {
    const row = await this.repo.byId(id);
    const { dataset } = await this.datasets.distribution(p, row?.distribution_id ?? id);
    if (opts.publishedOnly && dataset.status !== 'published') throw notFound(TABLE, id);
    if (dataset.access_rights !== 'public') requireAgencyRole(p, dataset.agency_id, 'viewer');
    const table = row ?? (await this.repo.latestReady(id));
    if (table?.status !== 'ready') throw notFound(TABLE, id);
    return table;
  }

  /** A view's rows in keyset batches from `after`, up to `limit` rows (null: all). */
  async *viewBatches(table: TableRow, view: View, batch = 5000): AsyncGenerator<Record<string, unknown>[]> {
    let after = view.after;
    for (let left = view.limit ?? Infinity; left > 0; ) {
      const rows = await this.repo.viewPage(table, view, after, Math.min(batch, left));
      if (!rows.length) return;
      yield rows;
      if (rows.length < Math.min(batch, left)) return;
      left -= rows.length;
      const last = rows[rows.length - 1]!;
      after = view.order.map((_, i) => last[`_k${i}`]);
    }
  }

  async search(p: Principal, resourceId: string, r: SearchRequest) {
    const table = await this.table(p, resourceId);
    const byId = new Map(table.columns.map((c) => [c.id, c]));
    const problems: ErrorDetail[] = [];
    const column = (id: string, field: string): LoadedColumn | undefined => {
      const c = byId.get(id);
      if (!c) problems.push({ field, vi: `Không có cột “${id}”.`, en: `No column “${id}”.` });
      return c;
    };
    const fields = r.fields?.length ? r.fields.flatMap((f) => column(f, 'fields') ?? []) : table.columns;
    const filters = Object.entries(r.filters ?? {}).flatMap(([id, raw]) => {
      const c = column(id, 'filters');
      if (!c) return [];
      const values = (Array.isArray(raw) ? raw : [raw]).map(String);
      const converted = values.map((v) => toCopyText(v, c.type, c.numberStyle));
      const bad = converted.find((x) => typeof x !== 'string');
      if (bad && typeof bad !== 'string') problems.push({ field: `filters.${id}`, vi: bad.vi, en: bad.en });
      return [{ column: c, values: converted.filter((x): x is string => typeof x === 'string' && x !== '\\N') }];
    });
    type SortKey = { column: LoadedColumn | '_row'; desc: boolean };
    const sort = (r.sort ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .flatMap((s): SortKey[] => {
        const [id, dir = 'asc', ...rest] = s.split(/\s+/);
        if (rest.length || !['asc', 'desc'].includes(dir.toLowerCase())) {
          problems.push({ field: 'sort', vi: `Cách sắp xếp không hợp lệ: “${s}”.`, en: `Bad sort: “${s}”.` });
          return [];
        }
        if (id === '_id') return [{ column: '_row', desc: dir.toLowerCase() === 'desc' }];
        const c = column(id!, 'sort');
        return c ? [{ column: c, desc: dir.toLowerCase() === 'desc' }] : [];
      });
    if (problems.length) throw invalid(problems);
    if (r.limit > MAX_ROWS)
      throw new DomainError('VALIDATION_FAILED', {
        vi: `Tối đa ${MAX_ROWS} dòng mỗi lần.`,
        en: `At most ${MAX_ROWS} rows at a time.`,
      });
    const t0 = performance.now();
    const { total, records } = await this.repo.rows(table, {
      fields,
      filters,
      q: r.q,
      sort: [...sort, { column: '_row', desc: false } as SortKey],
      limit: r.limit,
      offset: r.offset,
      distinct: r.distinct,
    });
    const first = sort[0]?.column;
    this.indexes?.consider(
      table,
      filters.map((f) => f.column.id),
      first && first !== '_row' ? first.id : null,
      performance.now() - t0,
    );
    return { table, fields, total, records };
  }
}
