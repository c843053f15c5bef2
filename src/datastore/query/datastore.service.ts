import type { Kysely } from 'kysely';
import { DomainError, invalid, notFound, type ErrorDetail } from '../../platform/errors.js';
import { actorOf, requireAgencyRole, type Principal } from '../../accounts/principal.js';
import { recordAudit } from '../../platform/audit.js';
import type { DatasetsService } from '../../catalog/datasets.service.js';
import type { DatasetView } from '../../catalog/dataset-view.js';
import type { DatasetRow, DistributionRow } from '../../catalog/datasets.service.js';
import { DatastoreRepository, type Rejection, type TableRow } from './datastore.repository.js';
import { dumpCsv, dumpJson, rejectedCsv } from './dump.js';
import { toCopyText } from '../load/convert.js';
import type { LoadedColumn } from '../load/loader.js';
import type { View } from './view.js';
import type { AdaptiveIndexes } from './adaptive-index.js';

/** The rows this service returns, for the parts that use it (its repository stays private). */
export type { TableRow, Rejection } from './datastore.repository.js';

export interface SearchRequest {
  filters?: Record<string, unknown>;
  q?: string;
  fields?: string[];
  sort?: string;
  limit: number;
  offset: number;
  distinct?: boolean;
}

/** What the privacy gate needs of the datastore: a file's current table (it checks access itself). */
export interface LatestTables {
  latestReady(distributionId: string): Promise<TableRow | undefined>;
}

/** What a publisher decides about one version: publish a pending one, discard it, or make a ready one current. */
export type VersionDecision = 'publish' | 'discard' | 'current';

/** A file's loads for its publisher: every version, and the first rejected rows of the latest. */
export interface LoadReport {
  distribution: DistributionRow;
  dataset: DatasetRow;
  versions: TableRow[];
  rejections: Rejection[];
}

const TABLE = { vi: 'bảng dữ liệu của tệp', en: 'DataStore table of resource' };
const STATUS = {
  loading: { vi: 'đang nạp', en: 'loading' },
  ready: { vi: 'sẵn sàng', en: 'ready' },
  pending: { vi: 'chờ duyệt', en: 'pending' },
  discarded: { vi: 'đã huỷ', en: 'discarded' },
  failed: { vi: 'nạp lỗi', en: 'failed' },
} as Record<string, { vi: string; en: string }>;

function wrongState(version: number, status: string, decision: VersionDecision): DomainError {
  const is = STATUS[status] ?? { vi: status, en: status };
  return new DomainError(
    'INVALID_STATE',
    decision === 'current'
      ? {
          vi: `Phiên bản ${version} đang ở trạng thái “${is.vi}”: chỉ phiên bản sẵn sàng mới đặt làm hiện hành được${status === 'pending' ? ' (phiên bản chờ duyệt: hãy công bố)' : ''}.`,
          en: `Version ${version} is ${is.en}: only a ready version can be made current${status === 'pending' ? ' (a pending version: publish it)' : ''}.`,
        }
      : {
          vi: `Phiên bản ${version} đang ở trạng thái “${is.vi}”: chỉ phiên bản chờ duyệt mới ${decision === 'publish' ? 'công bố' : 'huỷ'} được.`,
          en: `Version ${version} is ${is.en}: only a pending version can be ${decision === 'publish' ? 'published' : 'discarded'}.`,
        },
  );
}
export const MAX_ROWS = 32_000;

/** Reading loaded tables: the same visibility as the data set, plus access rights for restricted data. */
export class DatastoreService implements LatestTables {
  private readonly repo: DatastoreRepository;
  /**
   * Told when a file's current version changes by a publisher's decision (a load that becomes current has its own
   * hook, the load job's `afterLoad`): the app runs the kept quality suite over it and refreshes the card.
   */
  onCurrentChanged?: (distributionId: string) => Promise<void>;
  /** reads of rows (pages, batches, aggregates) go through the query pool when there is one (`Database.queryDb`) */
  private readonly reads: DatastoreRepository;
  constructor(
    private readonly db: Kysely<any>,
    private readonly datasets: DatasetsService,
    readonly indexes?: AdaptiveIndexes,
    queryDb?: Kysely<any>,
  ) {
    this.repo = new DatastoreRepository(db);
    this.reads = queryDb ? new DatastoreRepository(queryDb) : this.repo;
  }

  /*
   * Methods that take a `TableRow` read a table the caller got from `table` or `version`, which checked the
   * principal's access: the row is the proof of that check.
   */

  /** One keyset page of a view; a slow filter-and-sort asks for the composite index it lacks. */
  async page(table: TableRow, view: View, after: unknown[] | null, limit: number): Promise<Record<string, unknown>[]> {
    const t0 = performance.now();
    const rows = await this.reads.viewPage(table, view, after, limit);
    const first = view.order[0];
    this.indexes?.consider(
      table,
      view.filters.filter((f) => f.op === 'eq' || f.op === 'in').map((f) => f.column.id),
      first && first.key !== '_row' ? first.key.id : null,
      performance.now() - t0,
    );
    return rows;
  }

  /** How many rows a view's filters keep (the table's size without filters). */
  count(table: TableRow, view: View): Promise<number> {
    return this.reads.viewCount(table, view);
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
      const rows = await this.reads.viewPage(table, view, after, Math.min(batch, left));
      if (!rows.length) return;
      yield rows;
      if (rows.length < Math.min(batch, left)) return;
      left -= rows.length;
      const last = rows[rows.length - 1]!;
      after = view.order.map((_, i) => last[`_k${i}`]);
    }
  }

  /** `group_by` with aggregates, one row per group, up to `limit` groups (null: all). */
  aggregate(table: TableRow, view: View, limit: number | null): Promise<Record<string, unknown>[]> {
    return this.reads.aggregate(table, view, limit);
  }

  /**
   * The first `limit` rows of a view, read once for a picture (a map's points): not a page anyone pages
   * through, so it asks for no index.
   */
  sample(table: TableRow, view: View, limit: number): Promise<Record<string, unknown>[]> {
    return this.reads.viewPage(table, view, null, limit);
  }

  /** The whole latest table of a file as CSV or JSON text, batch by batch (`/datastore/dump`). */
  async dump(p: Principal, resourceId: string, format: 'csv' | 'json'): Promise<AsyncGenerator<string>> {
    const table = await this.table(p, resourceId);
    return format === 'csv' ? dumpCsv(this.repo, table) : dumpJson(this.repo, table);
  }

  /** Every loaded version of a file, newest first: to whoever may see its data (the data set's rights). */
  async versions(p: Principal, distributionId: string): Promise<TableRow[]> {
    const { distribution, dataset } = await this.datasets.distribution(p, distributionId);
    if (dataset.access_rights !== 'public') requireAgencyRole(p, dataset.agency_id, 'viewer');
    return this.repo.versions(distribution.id);
  }

  /** The load report of a file (versions, the first rejected rows of the latest): to the publishing agency's editors. */
  async loadReport(p: Principal, distributionId: string, rejectionsShown = 50): Promise<LoadReport> {
    const { distribution, dataset } = await this.datasets.distribution(p, distributionId);
    requireAgencyRole(p, dataset.agency_id, 'agency_editor');
    const versions = await this.repo.versions(distribution.id);
    const latest = versions[0];
    const rejections = latest ? await this.repo.rejections(latest.id, 0, rejectionsShown) : [];
    return { distribution, dataset, versions, rejections };
  }

  /**
   * The rows one load of a file rejected, as CSV (where and why, then the row as in the file): to the
   * publishing agency's editors, since rejected rows are the raw file, before any check.
   */
  async rejectedRows(
    p: Principal,
    distributionId: string,
    version: number,
  ): Promise<{ table: TableRow; csv: AsyncGenerator<string> }> {
    const { distribution, dataset } = await this.datasets.distribution(p, distributionId);
    requireAgencyRole(p, dataset.agency_id, 'agency_editor');
    const table = (await this.repo.versions(distribution.id)).find((v) => v.version === version);
    if (!table)
      throw new DomainError('NOT_FOUND', {
        vi: `Không có phiên bản ${version}.`,
        en: `There is no version ${version}.`,
      });
    return { table, csv: rejectedCsv(this.repo, table) };
  }

  /**
   * A publisher's decision about one version of a file, by the publishing agency's editors, audited:
   * `publish` makes a pending version (one whose load rejected rows) current; `discard` drops a pending version's
   * table (its row stays, numbers are never reused); `current` makes an earlier (or later) ready version current
   * again: a roll back. Version ids never change; only which one readers get.
   */
  async decide(p: Principal, distributionId: string, version: number, decision: VersionDecision): Promise<TableRow> {
    const { distribution, dataset } = await this.datasets.distribution(p, distributionId);
    requireAgencyRole(p, dataset.agency_id, 'agency_editor');
    const changed = await this.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      const table = await repo.lockedVersion(distribution.id, version);
      if (!table)
        throw new DomainError('NOT_FOUND', {
          vi: `Không có phiên bản ${version}.`,
          en: `There is no version ${version}.`,
        });
      const wanted = decision === 'current' ? 'ready' : 'pending';
      if (table.status !== wanted) throw wrongState(version, table.status, decision);
      if (table.current) return null;
      const audit = { entityType: 'distribution', entityId: distribution.id, agencyId: dataset.agency_id };
      if (decision === 'discard') {
        await repo.discard(table);
        await recordAudit(trx, actorOf(p), {
          action: 'datastore.discard',
          ...audit,
          before: {
            version,
            status: table.status,
            rows: Number(table.row_count),
            rejected: Number(table.rejected_count),
          },
          after: { version, status: 'discarded', table_id: table.id },
        });
        return null;
      }
      const before = await repo.makeCurrent(table);
      await recordAudit(trx, actorOf(p), {
        action: decision === 'publish' ? 'datastore.publish' : 'datastore.make_current',
        ...audit,
        before: { current: before },
        after: {
          current: version,
          table_id: table.id,
          rows: Number(table.row_count),
          rejected: Number(table.rejected_count),
        },
      });
      return table;
    });
    if (changed)
      await this.onCurrentChanged?.(distribution.id).catch(() => {
        // the decision stands; a failed quality run shows on the quality pages, not here
      });
    const after = (await this.repo.versions(distribution.id)).find((v) => v.version === version);
    return after!;
  }

  /**
   * Which files of a data set have a table ready to read (the data set's page, `ndp quality run`): whoever may see
   * the data set may see which of its files are tables. Only the view's own files are looked up.
   */
  async readyDistributions(p: Principal, view: Pick<DatasetView, 'dataset' | 'distributions'>): Promise<Set<string>> {
    if (!this.datasets.canSee(p, view.dataset)) throw notFound(TABLE, view.dataset.id);
    const ids = view.distributions.filter((x) => x.dataset_id === view.dataset.id).map((x) => x.id);
    return this.repo.readyDistributions(ids);
  }

  /**
   * The same for a page of data sets at once (CKAN's `datastore_active` on every resource of a search): one query,
   * and only the files of data sets the caller may see are looked up.
   */
  async readyAmong(p: Principal, views: Pick<DatasetView, 'dataset' | 'distributions'>[]): Promise<Set<string>> {
    const ids = views
      .filter((v) => this.datasets.canSee(p, v.dataset))
      .flatMap((v) => v.distributions.filter((x) => x.dataset_id === v.dataset.id).map((x) => x.id));
    return this.repo.readyDistributions(ids);
  }

  /**
   * Internal, no principal: a file's current version (the one readers get), for trusted callers (quality checks after a load,
   * the privacy gate, services that have already checked the caller's access to the file).
   */
  latestReady(distributionId: string): Promise<TableRow | undefined> {
    return this.repo.latestReady(distributionId);
  }

  /**
   * Internal, no principal: every version of a file, newest first, for trusted callers (quality's drift and
   * history over earlier versions, reports it has already shown the caller may read).
   */
  versionsOf(distributionId: string): Promise<TableRow[]> {
    return this.repo.versions(distributionId);
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
    let ids: number[] | undefined;
    const filters = Object.entries(r.filters ?? {}).flatMap(([id, raw]) => {
      if (id === '_id') {
        ids = (Array.isArray(raw) ? raw : [raw]).map(Number);
        if (!ids.every((n) => Number.isSafeInteger(n)))
          problems.push({ field: 'filters._id', vi: '_id là số nguyên.', en: '_id is a whole number.' });
        return [];
      }
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
    const { total, records } = await this.reads.rows(table, {
      fields,
      filters,
      q: r.q,
      sort: [...sort, { column: '_row', desc: false } as SortKey],
      limit: r.limit,
      offset: r.offset,
      distinct: r.distinct,
      ids,
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
