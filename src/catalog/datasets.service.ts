import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError, invalid, notFound, type ErrorDetail } from '../platform/errors.js';
import { recordAudit } from '../platform/audit.js';
import { slugify } from '../platform/text.js';
import type { FileStore } from '../platform/storage.js';
import { actorOf, hasAgencyRole, requireAgencyRole, type Principal } from '../accounts/principal.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import { DatasetsRepository, type DatasetRow, type DistributionRow } from './datasets.repository.js';
import type { DatasetBody, DatasetPatch } from './catalog.schema.js';
import type { DatasetView } from './dataset-view.js';
import { DatasetFiles } from './dataset-files.js';
import { datasetSearchText } from './search-text.js';

/** The rows this service returns, for the parts that use it (its repository stays private). */
export type { DatasetRow, DistributionRow } from './datasets.repository.js';

const DATASET = { vi: 'bộ dữ liệu', en: 'Data set' };

/** Allowed lifecycle moves: a draft is published, a published set archived, an archived one republished. */
const TRANSITIONS: Record<DatasetRow['status'], DatasetRow['status'][]> = {
  draft: ['published'],
  published: ['archived', 'draft'],
  archived: ['published'],
};

export interface DatasetsDeps {
  db: Kysely<any>;
  files: FileStore;
  masterData: MasterDataService;
  maxUploadBytes: number;
  /** Called after every committed change to data sets or their files (search caches listen). */
  onChange?: () => void;
  /** Asked before a data set is published: problems that block it (the personal-data gate of open data). */
  beforePublish?: (dataset: { id: string; access_rights: string }) => Promise<ErrorDetail[]>;
  /** Called after a file is stored or its Table Schema changes: the DataStore (re)loads its table from the stored original. */
  onTableSourceChanged?: (distribution: DistributionRow) => void | Promise<void>;
  /** Told after a data set is published or a file added, once committed (followers are told); must not throw. */
  onChanged?: (event: CatalogEvent) => void | Promise<void>;
}

export type CatalogEvent =
  | { kind: 'dataset.published'; datasetId: string }
  | { kind: 'file.added'; datasetId: string; distribution: DistributionRow };

export class DatasetsService {
  private readonly repo: DatasetsRepository;
  private readonly files: DatasetFiles;
  constructor(private readonly deps: DatasetsDeps) {
    this.repo = new DatasetsRepository(deps.db);
    this.files = new DatasetFiles(
      deps,
      this.repo,
      (fn) => this.write(fn),
      (p, key) => this.editable(p, key),
      (p, d) => this.canSee(p, d),
    );
  }

  /** Runs a write in one transaction and tells listeners once it has committed. */
  private async write<T>(fn: (trx: Kysely<any>) => Promise<T>): Promise<T> {
    const result = await this.deps.db.transaction().execute(fn);
    this.deps.onChange?.();
    return result;
  }

  /** Anyone sees published data sets; drafts and archives only the agency's members. */
  canSee(p: Principal, d: DatasetRow): boolean {
    return d.status === 'published' || hasAgencyRole(p, d.agency_id, 'viewer');
  }

  async get(p: Principal, key: string): Promise<DatasetView> {
    const d = await this.repo.find(key);
    if (!d || !this.canSee(p, d)) throw notFound(DATASET, key);
    return (await this.views([d]))[0]!;
  }

  async views(rows: DatasetRow[]): Promise<DatasetView[]> {
    const md = this.deps.masterData;
    const [agencies, distributions, licences] = await Promise.all([
      md.agenciesByIds([...new Set(rows.map((r) => r.agency_id))]),
      this.repo.distributions(rows.map((r) => r.id)),
      md.licences(),
    ]);
    const agencyById = new Map(agencies.map((a) => [a.id, a]));
    return rows.map((dataset) => ({
      dataset,
      agency: agencyById.get(dataset.agency_id)!,
      distributions: distributions.filter((x) => x.dataset_id === dataset.id),
      licence: licences.find((l) => l.id === dataset.licence_id) ?? null,
    }));
  }

  async list(p: Principal, f: { agency?: string; status?: string; limit: number; offset: number }) {
    const agency = f.agency ? await this.deps.masterData.agency(f.agency) : undefined;
    if (f.status !== 'published') {
      if (!agency)
        throw invalid([
          {
            field: 'agency',
            vi: 'Cần chọn cơ quan để xem dữ liệu chưa công bố.',
            en: 'Choose an agency to list unpublished data sets.',
          },
        ]);
      requireAgencyRole(p, agency.id, 'viewer');
    }
    const { rows, total } = await this.repo.list({
      agencyId: agency?.id,
      status: f.status,
      limit: f.limit,
      offset: f.offset,
    });
    return { total, views: await this.views(rows) };
  }

  private async checkReferences(agencyId: string, b: Partial<DatasetBody>): Promise<void> {
    const md = this.deps.masterData;
    const problems: ErrorDetail[] = [];
    if (b.licence_id && !(await md.licences()).some((l) => l.id === b.licence_id)) {
      problems.push({
        field: 'licence_id',
        vi: `Giấy phép “${b.licence_id}” không có trong danh mục.`,
        en: `Licence “${b.licence_id}” is not in the register.`,
      });
    }
    const themes = new Set((await md.themes()).map((t) => t.id));
    for (const t of b.themes ?? []) {
      if (!themes.has(t))
        problems.push({ field: 'themes', vi: `Chủ đề “${t}” không tồn tại.`, en: `Theme “${t}” does not exist.` });
    }
    if (b.spatial?.length) {
      const found = new Set((await md.unitsByCodes(b.spatial)).map((u) => u.code));
      for (const c of b.spatial) {
        if (!found.has(c))
          problems.push({
            field: 'spatial',
            vi: `Mã đơn vị hành chính “${c}” không tồn tại (dùng mã sau 01/7/2025).`,
            en: `Administrative unit “${c}” does not exist (use post-1 July 2025 codes).`,
          });
      }
    }
    if (b.temporal_start && b.temporal_end && b.temporal_start > b.temporal_end) {
      problems.push({
        field: 'temporal_end',
        vi: 'Ngày kết thúc phải sau ngày bắt đầu.',
        en: 'The end date must not be before the start date.',
      });
    }
    if (b.database_id) {
      const db = await this.deps.db
        .selectFrom('database_registers')
        .select(['agency_id'])
        .where('id', '=', b.database_id)
        .executeTakeFirst();
      if (!db || db.agency_id !== agencyId) {
        problems.push({
          field: 'database_id',
          vi: 'Cơ sở dữ liệu không thuộc cơ quan này.',
          en: 'The database is not in this agency’s register.',
        });
      }
    }
    if (problems.length) throw invalid(problems);
  }

  private async provincesOf(spatial: string[]): Promise<string[]> {
    const units = await this.deps.masterData.unitsByCodes(spatial);
    return [...new Set(units.map((u) => u.province_code ?? u.code))].sort();
  }

  private async uniqueSlug(base: string): Promise<string> {
    const root = base || 'du-lieu';
    for (let i = 0; ; i++) {
      const candidate = i === 0 ? root : `${root}-${i + 1}`;
      if (!(await this.repo.slugTaken(candidate))) return candidate;
    }
  }

  async create(p: Principal, b: DatasetBody): Promise<DatasetView> {
    requireAgencyRole(p, b.agency_id, 'agency_editor');
    const agency = await this.deps.masterData.agency(b.agency_id);
    await this.checkReferences(agency.id, b);
    if (b.slug && (await this.repo.slugTaken(b.slug))) {
      throw new DomainError(
        'CONFLICT',
        { vi: `Tên rút gọn “${b.slug}” đã được dùng.`, en: `The name “${b.slug}” is taken.` },
        [{ field: 'slug', vi: 'Đã được dùng.', en: 'Already taken.' }],
      );
    }
    const slug = b.slug ?? (await this.uniqueSlug(slugify(b.title_vi)));
    const row: Omit<DatasetRow, 'created_at' | 'modified'> = {
      id: randomUUID(),
      slug,
      agency_id: agency.id,
      database_id: b.database_id ?? null,
      title_vi: b.title_vi,
      title_en: b.title_en ?? null,
      description_vi: b.description_vi,
      description_en: b.description_en ?? null,
      keywords: b.keywords ?? [],
      themes: b.themes ?? [],
      spatial: b.spatial ?? [],
      provinces: await this.provincesOf(b.spatial ?? []),
      formats: [],
      temporal_start: b.temporal_start ?? null,
      temporal_end: b.temporal_end ?? null,
      licence_id: b.licence_id ?? null,
      access_rights: b.access_rights ?? 'public',
      update_frequency: b.update_frequency ?? 'UNKNOWN',
      contact_name: b.contact_name ?? null,
      contact_email: b.contact_email ?? null,
      status: 'draft',
      issued: null,
    };
    const created = await this.write(async (trx) => {
      const d = await this.repo.with(trx).insert(row, datasetSearchText(row, agency));
      await recordAudit(trx, actorOf(p), {
        action: 'dataset.create',
        entityType: 'dataset',
        entityId: d.id,
        agencyId: d.agency_id,
        after: d,
      });
      return d;
    });
    return (await this.views([created]))[0]!;
  }

  private async editable(p: Principal, key: string): Promise<DatasetRow> {
    const d = await this.repo.find(key);
    if (!d || !this.canSee(p, d)) throw notFound(DATASET, key);
    requireAgencyRole(p, d.agency_id, 'agency_editor');
    return d;
  }

  async update(p: Principal, key: string, patch: DatasetPatch): Promise<DatasetView> {
    const before = await this.editable(p, key);
    await this.checkReferences(before.agency_id, patch);
    const merged = { ...before, ...patch } as DatasetRow;
    if (merged.temporal_start && merged.temporal_end && merged.temporal_start > merged.temporal_end) {
      throw invalid([
        {
          field: 'temporal_end',
          vi: 'Ngày kết thúc phải sau ngày bắt đầu.',
          en: 'The end date must not be before the start date.',
        },
      ]);
    }
    if (patch.slug && patch.slug !== before.slug && (await this.repo.slugTaken(patch.slug))) {
      throw new DomainError('CONFLICT', {
        vi: `Tên rút gọn “${patch.slug}” đã được dùng.`,
        en: `The name “${patch.slug}” is taken.`,
      });
    }
    const changes: Partial<DatasetRow> = { ...(patch as Partial<DatasetRow>) };
    if (patch.spatial) changes.provinces = await this.provincesOf(patch.spatial);
    const agency = await this.deps.masterData.agency(before.agency_id);
    const updated = await this.write(async (trx) => {
      const d = await this.repo.with(trx).update(before.id, changes, datasetSearchText(merged, agency));
      await recordAudit(trx, actorOf(p), {
        action: 'dataset.update',
        entityType: 'dataset',
        entityId: d.id,
        agencyId: d.agency_id,
        before,
        after: d,
      });
      return d;
    });
    return (await this.views([updated]))[0]!;
  }

  async setStatus(p: Principal, key: string, status: DatasetRow['status']): Promise<DatasetView> {
    const before = await this.editable(p, key);
    if (before.status === status) return (await this.views([before]))[0]!;
    if (!TRANSITIONS[before.status].includes(status)) {
      throw new DomainError('INVALID_STATE', {
        vi: `Không thể chuyển từ “${before.status}” sang “${status}”.`,
        en: `Cannot move from “${before.status}” to “${status}”.`,
      });
    }
    if (status === 'published') {
      const problems: ErrorDetail[] = [];
      const files = await this.repo.distributions([before.id]);
      if (!files.length)
        problems.push({
          field: 'distributions',
          vi: 'Cần ít nhất một tệp hoặc liên kết dữ liệu.',
          en: 'Add at least one file or link.',
        });
      if (before.access_rights === 'public' && !before.licence_id)
        problems.push({ field: 'licence_id', vi: 'Dữ liệu mở cần có giấy phép.', en: 'Open data needs a licence.' });
      if (this.deps.beforePublish)
        problems.push(...(await this.deps.beforePublish({ id: before.id, access_rights: before.access_rights })));
      if (problems.length)
        throw new DomainError(
          'INVALID_STATE',
          { vi: 'Bộ dữ liệu chưa đủ điều kiện công bố.', en: 'The data set is not ready to publish.' },
          problems,
        );
    }
    const agency = await this.deps.masterData.agency(before.agency_id);
    const updated = await this.write(async (trx) => {
      const change: Partial<DatasetRow> = { status };
      if (status === 'published' && !before.issued) change.issued = new Date();
      const d = await this.repo.with(trx).update(before.id, change, datasetSearchText(before, agency));
      await recordAudit(trx, actorOf(p), {
        action: `dataset.${status === 'published' ? 'publish' : status === 'archived' ? 'archive' : 'unpublish'}`,
        entityType: 'dataset',
        entityId: d.id,
        agencyId: d.agency_id,
        before: { status: before.status },
        after: { status },
      });
      return d;
    });
    if (status === 'published') await this.deps.onChanged?.({ kind: 'dataset.published', datasetId: updated.id });
    return (await this.views([updated]))[0]!;
  }

  addFile(...args: Parameters<DatasetFiles['addFile']>) {
    return this.files.addFile(...args);
  }

  addLink(...args: Parameters<DatasetFiles['addLink']>) {
    return this.files.addLink(...args);
  }

  distribution(...args: Parameters<DatasetFiles['distribution']>) {
    return this.files.distribution(...args);
  }

  openFile(...args: Parameters<DatasetFiles['openFile']>) {
    return this.files.openFile(...args);
  }

  columnNames(...args: Parameters<DatasetFiles['columnNames']>) {
    return this.files.columnNames(...args);
  }

  removeDistribution(...args: Parameters<DatasetFiles['removeDistribution']>) {
    return this.files.removeDistribution(...args);
  }

  setTableSchema(...args: Parameters<DatasetFiles['setTableSchema']>) {
    return this.files.setTableSchema(...args);
  }

  /** Home page: the published data sets downloaded most (public: published only, by the query). */
  mostDownloaded(limit: number): Promise<DatasetRow[]> {
    return this.repo.mostDownloaded(limit);
  }

  /** Counts over published data sets and their files (public: published only, by the query). */
  stats() {
    return this.repo.stats();
  }

  /** CKAN `package_list`: slugs of published data sets (public: published only, by the query). */
  publishedSlugs(limit: number, offset: number): Promise<string[]> {
    return this.repo.publishedSlugs(limit, offset);
  }

  /**
   * CKAN `organization_list`'s `package_count` and the agency list's counts: published data sets of each of these
   * agencies (or of every agency that has one: `'all'`, at most one row per agency), in one query.
   */
  publishedCounts(agencyIds: string[] | 'all'): Promise<Map<string, number>> {
    return this.repo.publishedCounts(agencyIds);
  }

  /** CKAN `tag_list`: keywords of published data sets with their counts (public: published only, by the query). */
  keywordCounts(limit: number, q?: string) {
    return this.repo.keywordCounts(limit, q);
  }

  /**
   * Data set records by id, in any status. Trusted callers only: a search whose filter has already limited the ids
   * to what its caller may see.
   */
  byIds(ids: string[]): Promise<DatasetRow[]> {
    return this.repo.byIds(ids);
  }

  /**
   * A data set's record by id or slug, in any status, without a visibility check. Trusted callers only: jobs and
   * services acting for the platform (quality after a load or on schedule, the card's snapshots), or a service that
   * has already checked its caller.
   */
  findRecord(key: string): Promise<DatasetRow | undefined> {
    return this.repo.find(key);
  }

  /** A file's record, without a visibility check. Trusted callers only, as `findRecord`. */
  findDistribution(id: string): Promise<DistributionRow | undefined> {
    return this.files.find(id);
  }

  /** The files of these data sets, without a visibility check. Trusted callers only, as `findRecord`. */
  distributionsOf(datasetIds: string[]): Promise<DistributionRow[]> {
    return this.repo.distributions(datasetIds);
  }
}
