import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { notFound } from '../platform/errors.js';
import { recordAudit } from '../platform/audit.js';
import { actorOf, requireAgencyRole, type Principal } from '../accounts/principal.js';
import type { DatasetRow, DatasetsRepository, DistributionRow } from './datasets.repository.js';
import type { LinkBody } from './catalog.schema.js';
import type { DatasetsDeps } from './datasets.service.js';
import { mediaTypeFor } from './media-types.js';

const DISTRIBUTION = { vi: 'tệp phân phối', en: 'Distribution' };

/**
 * A data set's files and links (distributions): upload, link, read, remove, Table Schema. Part of `DatasetsService`,
 * which offers these methods and gives this class its repository, its transactions and its access rules.
 */
export class DatasetFiles {
  constructor(
    private readonly deps: DatasetsDeps,
    private readonly repo: DatasetsRepository,
    private readonly write: <T>(fn: (trx: Kysely<any>) => Promise<T>) => Promise<T>,
    private readonly editable: (p: Principal, key: string) => Promise<DatasetRow>,
    private readonly canSee: (p: Principal, d: DatasetRow) => boolean,
  ) {}

  /** A file's record, without a visibility check (see `DatasetsService.findDistribution`). */
  find(id: string): Promise<DistributionRow | undefined> {
    return this.repo.findDistribution(id);
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
        await this.deps.onChanged?.({ kind: 'file.added', datasetId: d.id, distribution: row });
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
