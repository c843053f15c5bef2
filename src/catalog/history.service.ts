import type { Kysely } from 'kysely';
import type { DatasetView } from './dataset-view.js';
import { HistoryRepository, type HistoryAuditRow } from './history.repository.js';

/** A loaded version of a file as a table, as the datastore keeps it (passed in: the catalog does not import it). */
export interface TableVersion {
  version: number;
  status: string;
  columns: { id: string; title: string }[];
  row_count: number;
  created_at: Date;
  finished_at: Date | null;
}

/** One public change of a data set: what changed and when, never who (only the agency publishes). */
export type HistoryEntry = { at: Date } & (
  | { kind: 'created' }
  | { kind: 'published' | 'withdrawn' | 'archived' }
  | { kind: 'metadata'; fields: string[] }
  | { kind: 'file_added'; file: string; size: number | null; sha256: string | null; hashChanged: boolean | null }
  | { kind: 'link_added' | 'file_removed' | 'schema_changed'; file: string }
  | { kind: 'code_column'; file: string; column: string }
  | {
      kind: 'version';
      file: string;
      version: number;
      rows: number;
      rowsBefore: number | null;
      columnsAdded: string[];
      columnsRemoved: string[];
    }
);

/** The metadata fields a change is told by (their names only); internal ones (modified, vectors) are left out. */
export const PUBLIC_FIELDS = [
  'title_vi',
  'title_en',
  'description_vi',
  'description_en',
  'keywords',
  'themes',
  'spatial',
  'temporal_start',
  'temporal_end',
  'licence_id',
  'access_rights',
  'update_frequency',
  'contact_name',
  'contact_email',
  'database_id',
] as const;
const EVENTS_READ = 500;
const VERSIONS_PER_FILE = 50;
export const HISTORY_MAX = 200;

const obj = (x: unknown): Record<string, unknown> => (x && typeof x === 'object' ? (x as Record<string, unknown>) : {});
const str = (x: unknown) => (typeof x === 'string' ? x : null);

/**
 * A data set's public change history (CKAN's activity stream) from what the platform already records: the audit
 * trail of the data set and its files, and each file's table versions. Newest first, bounded.
 */
export class HistoryService {
  private readonly repo: HistoryRepository;
  constructor(db: Kysely<any>) {
    this.repo = new HistoryRepository(db);
  }

  /** The caller has checked the reader may see the data set (`DatasetsService.get`). */
  async of(
    view: DatasetView,
    versionsOf: (distributionId: string) => Promise<TableVersion[]>,
  ): Promise<HistoryEntry[]> {
    const files = new Map(view.distributions.map((f) => [f.id, f.title_vi]));
    const events = await this.repo.events(view.dataset.id, [...files.keys()], EVENTS_READ);
    const entries: HistoryEntry[] = [];
    // oldest first, so an upload is compared with the previous upload of the same file name
    const lastHash = new Map<string, string | null>();
    for (const e of [...events].reverse()) {
      const entry = this.entry(e, files, lastHash);
      if (entry) entries.push(entry);
    }
    for (const [id, file] of files) {
      const ready = (await versionsOf(id))
        .filter((v) => v.status === 'ready')
        .sort((a, b) => a.version - b.version)
        .slice(-VERSIONS_PER_FILE);
      ready.forEach((v, i) => {
        const before = i > 0 ? ready[i - 1]! : null;
        const titles = (x: TableVersion) => x.columns.map((c) => c.title || c.id);
        entries.push({
          at: v.finished_at ?? v.created_at,
          kind: 'version',
          file,
          version: v.version,
          rows: Number(v.row_count),
          rowsBefore: before ? Number(before.row_count) : null,
          columnsAdded: before ? titles(v).filter((c) => !titles(before).includes(c)) : [],
          columnsRemoved: before ? titles(before).filter((c) => !titles(v).includes(c)) : [],
        });
      });
    }
    return entries.sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, HISTORY_MAX);
  }

  private entry(
    e: HistoryAuditRow,
    files: Map<string, string>,
    lastHash: Map<string, string | null>,
  ): HistoryEntry | null {
    const at = e.at;
    const before = obj(e.before);
    const after = obj(e.after);
    const file = files.get(e.entity_id) ?? str(after.fileName) ?? str(after.title_vi) ?? str(before.title_vi) ?? '';
    switch (e.action) {
      case 'dataset.create':
        return { at, kind: 'created' };
      case 'dataset.publish':
        return { at, kind: 'published' };
      case 'dataset.unpublish':
        return { at, kind: 'withdrawn' };
      case 'dataset.archive':
        return { at, kind: 'archived' };
      case 'dataset.update': {
        const same = (k: string) => JSON.stringify(before[k] ?? null) === JSON.stringify(after[k] ?? null);
        const fields = PUBLIC_FIELDS.filter((k) => !same(k));
        return fields.length ? { at, kind: 'metadata', fields } : null;
      }
      case 'distribution.upload': {
        const name = str(after.fileName) ?? file;
        const sha256 = str(after.sha256);
        const previous = lastHash.get(name);
        lastHash.set(name, sha256);
        return {
          at,
          kind: 'file_added',
          file,
          size: typeof after.size === 'number' ? after.size : null,
          sha256,
          hashChanged: previous === undefined ? null : previous !== sha256,
        };
      }
      case 'distribution.link':
        return { at, kind: 'link_added', file };
      case 'distribution.delete':
        return { at, kind: 'file_removed', file };
      case 'distribution.schema':
        return { at, kind: 'schema_changed', file };
      case 'datastore.add_code_column':
        return { at, kind: 'code_column', file, column: str(obj(after).column) ?? str(obj(after).id) ?? '' };
      default:
        return null;
    }
  }
}
