import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { DomainError, invalid, notFound, type ErrorDetail } from '../platform/errors.js';
import { recordAudit } from '../platform/audit.js';
import { slugify } from '../platform/text.js';
import type { FileStore } from '../platform/storage.js';
import { actorOf, hasAgencyRole, requireAgencyRole, type Principal } from '../accounts/principal.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import { DatasetsRepository, type DatasetRow, type DistributionRow } from './datasets.repository.js';
import type { DatasetBody, DatasetPatch, LinkBody } from './catalog.schema.js';
import type { DatasetView } from './dataset-view.js';
import { mediaTypeFor } from './media-types.js';
import { datasetSearchText } from './search-text.js';

const DATASET = { vi: 'bộ dữ liệu', en: 'Data set' };
const DISTRIBUTION = { vi: 'tệp phân phối', en: 'Distribution' };

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
}

export class DatasetsService {
  readonly repo: DatasetsRepository;
  constructor(private readonly deps: DatasetsDeps) {
    this.repo = new DatasetsRepository(deps.db);
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
    return (await this.views([updated]))[0]!;
  }

  /** Streams an upload to the file store; the row is written only once the file is whole. */
  async addFile(
    p: Principal,
    key: string,
    file: {
      stream: Readable;
      fileName: string;
      mimeType: string | undefined;
      title_vi?: string;
      title_en?: string;
      description?: string;
    },
  ): Promise<DistributionRow> {
    const d = await this.editable(p, key);
    const stored = await this.deps.files.put(file.stream, { maxBytes: this.deps.maxUploadBytes });
    const ext = path.extname(file.fileName).slice(1).toLowerCase();
    try {
      return await this.write(async (trx) => {
        const repo = this.repo.with(trx);
        const row = await repo.insertDistribution({
          id: randomUUID(),
          dataset_id: d.id,
          title_vi: file.title_vi || file.fileName,
          title_en: file.title_en ?? null,
          description: file.description ?? null,
          kind: 'file',
          url: null,
          storage_key: stored.key,
          file_name: file.fileName,
          media_type: mediaTypeFor(ext, file.mimeType),
          format: ext ? ext.toUpperCase() : null,
          byte_size: stored.size,
          sha256: stored.sha256,
          table_schema: null,
        });
        await repo.refreshFormats(d.id);
        await recordAudit(trx, actorOf(p), {
          action: 'distribution.upload',
          entityType: 'distribution',
          entityId: row.id,
          agencyId: d.agency_id,
          after: { datasetId: d.id, fileName: file.fileName, size: stored.size, sha256: stored.sha256 },
        });
        return row;
      }).then(async (row) => {
        await this.deps.onTableSourceChanged?.(row);
        return row;
      });
    } catch (err) {
      await this.deps.files.remove(stored.key);
      throw err;
    }
  }

  async addLink(p: Principal, key: string, b: LinkBody): Promise<DistributionRow> {
    const d = await this.editable(p, key);
    const ext = path.extname(new URL(b.url).pathname).slice(1).toLowerCase();
    const format = b.format?.toUpperCase() ?? (ext ? ext.toUpperCase() : null);
    return this.write(async (trx) => {
      const repo = this.repo.with(trx);
      const row = await repo.insertDistribution({
        id: randomUUID(),
        dataset_id: d.id,
        title_vi: b.title_vi,
        title_en: b.title_en ?? null,
        description: b.description ?? null,
        kind: 'link',
        url: b.url,
        storage_key: null,
        file_name: null,
        media_type: b.media_type ?? mediaTypeFor(format?.toLowerCase() ?? '', undefined),
        format,
        byte_size: null,
        sha256: null,
        table_schema: null,
      });
      await repo.refreshFormats(d.id);
      await recordAudit(trx, actorOf(p), {
        action: 'distribution.link',
        entityType: 'distribution',
        entityId: row.id,
        agencyId: d.agency_id,
        after: row,
      });
      return row;
    });
  }

  async distribution(p: Principal, id: string): Promise<{ distribution: DistributionRow; dataset: DatasetRow }> {
    const x = /^[0-9a-f-]{36}$/i.test(id) ? await this.repo.findDistribution(id) : undefined;
    const d = x ? await this.repo.find(x.dataset_id) : undefined;
    if (!x || !d || !this.canSee(p, d)) throw notFound(DISTRIBUTION, id);
    return { distribution: x, dataset: d };
  }

  /** Files of restricted or non-public data sets are served to the agency's members only. */
  async openFile(p: Principal, id: string): Promise<{ distribution: DistributionRow; stream: Readable }> {
    const { distribution, dataset } = await this.distribution(p, id);
    if (dataset.access_rights !== 'public') requireAgencyRole(p, dataset.agency_id, 'viewer');
    if (distribution.kind !== 'file' || !distribution.storage_key) throw notFound(DISTRIBUTION, id);
    const stream = this.deps.files.open(distribution.storage_key);
    if (dataset.status === 'published') await this.repo.countDownload(dataset.id);
    return { distribution, stream };
  }

  /**
   * The column names on the first line of an uploaded CSV or TSV file, to
   * offer them when a Table Schema is attached. Reads at most 64 KiB.
   */
  async columnNames(p: Principal, id: string): Promise<string[]> {
    const { distribution } = await this.distribution(p, id);
    if (
      distribution.kind !== 'file' ||
      !distribution.storage_key ||
      !['CSV', 'TSV', 'TXT'].includes(distribution.format ?? '')
    )
      return [];
    const stream = this.deps.files.open(distribution.storage_key);
    let head = '';
    for await (const chunk of stream) {
      head += (chunk as Buffer).toString('utf8');
      if (head.includes('\n') || head.length > 65_536) break;
    }
    stream.destroy();
    const line = (head.split(/\r?\n/)[0] ?? '').replace(/^\uFEFF/, '');
    const delimiter = [',', ';', '\t', '|']
      .map((d) => [d, line.split(d).length] as const)
      .sort((a, b) => b[1] - a[1])[0]![0];
    return line
      .split(delimiter)
      .map((c) => c.trim().replace(/^"|"$/g, ''))
      .filter(Boolean)
      .slice(0, 200);
  }

  async removeDistribution(p: Principal, id: string): Promise<void> {
    const { distribution, dataset } = await this.distribution(p, id);
    requireAgencyRole(p, dataset.agency_id, 'agency_editor');
    await this.write(async (trx) => {
      const repo = this.repo.with(trx);
      await repo.deleteDistribution(id);
      await repo.refreshFormats(dataset.id);
      await recordAudit(trx, actorOf(p), {
        action: 'distribution.delete',
        entityType: 'distribution',
        entityId: id,
        agencyId: dataset.agency_id,
        before: distribution,
      });
    });
    if (distribution.storage_key) await this.deps.files.remove(distribution.storage_key);
  }

  async setTableSchema(p: Principal, id: string, schema: unknown): Promise<DistributionRow> {
    const { distribution, dataset } = await this.distribution(p, id);
    requireAgencyRole(p, dataset.agency_id, 'agency_editor');
    const row = await this.write(async (trx) => {
      const updated = await this.repo.with(trx).setTableSchema(id, schema);
      await recordAudit(trx, actorOf(p), {
        action: 'distribution.schema',
        entityType: 'distribution',
        entityId: id,
        agencyId: dataset.agency_id,
        before: distribution.table_schema,
        after: schema,
      });
      return updated;
    });
    // a changed schema re-types the table from the stored original, with no new upload
    await this.deps.onTableSourceChanged?.(row);
    return row;
  }
}
