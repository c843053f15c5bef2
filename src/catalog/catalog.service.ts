import type { Kysely } from 'kysely';
import type { FileStore } from '../platform/storage.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import { DatasetsService, type DatasetsDeps } from './datasets.service.js';
import { DatabasesService } from './databases.service.js';
import { DictionaryService } from './dictionary/dictionary.service.js';
import { SearchService, type UsageRanking } from './search.service.js';
import { RelatedService } from './related.service.js';
import { HistoryService } from './history.service.js';
import { SearchIndexKeeper } from './search-index-keeper.js';
import { SearchIndexRepository } from './search-index.repository.js';
import { SearchCache } from './search-cache.js';
import type { SearchPage } from './search.repository.js';

export interface CatalogDeps {
  db: Kysely<any>;
  files: FileStore;
  masterData: MasterDataService;
  baseUrl: string;
  maxUploadBytes: number;
  searchCacheSeconds: number;
  /** keep the search index in memory (started by `startSearchIndex`) */
  searchIndex?: boolean;
  onTableSourceChanged?: DatasetsDeps['onTableSourceChanged'];
  onSearchIndexError?: (err: unknown) => void;
  beforePublish?: DatasetsDeps['beforePublish'];
  /** data set ids, most viewed or downloaded first, for those sorts (the portal's counts, passed by `app.ts`) */
  usageRanking?: UsageRanking;
  onChanged?: DatasetsDeps['onChanged'];
}

export interface CatalogStats {
  datasets: number;
  agencies: number;
  files: number;
  downloads: number;
}

/** The catalog's public face for other parts: its services, each with one concern. */
export class CatalogService {
  readonly datasets: DatasetsService;
  readonly databases: DatabasesService;
  readonly dictionary: DictionaryService;
  readonly search: SearchService;
  /** related data sets on each data set's page */
  readonly related: RelatedService;
  /** a data set's public change history */
  readonly history: HistoryService;
  private readonly statsCache: SearchCache<CatalogStats>;
  /**
   * Drops what search has kept: called on this process's changes, and on the database's notice (`ndp_search`, sent
   * by migration 0033's triggers) of any process's change to data sets or to the values of their tables.
   */
  readonly invalidateSearch: () => void;
  constructor(deps: CatalogDeps) {
    const cache = new SearchCache<SearchPage>(deps.searchCacheSeconds * 1000);
    this.statsCache = new SearchCache<CatalogStats>(deps.searchCacheSeconds * 1000, 1);
    this.invalidateSearch = () => {
      cache.invalidate();
      this.statsCache.invalidate();
    };
    this.datasets = new DatasetsService({ ...deps, onChange: () => this.searchWritten() });
    this.databases = new DatabasesService(deps.db, deps.masterData);
    this.dictionary = new DictionaryService(deps.db);
    this.related = new RelatedService(deps.db, this.datasets);
    this.history = new HistoryService(deps.db);
    this.keeper = deps.searchIndex
      ? new SearchIndexKeeper(new SearchIndexRepository(deps.db), deps.onSearchIndexError, () =>
          this.invalidateSearch(),
        )
      : undefined;
    this.search = new SearchService(deps.db, deps.masterData, this.datasets, cache, this.keeper, deps.usageRanking);
  }

  private readonly keeper?: SearchIndexKeeper;

  /** This process changed data sets or their tables' values: pages dropped, the next search sees the change. */
  searchWritten(): void {
    this.invalidateSearch();
    this.keeper?.wrote();
  }

  /** Reads the published catalog into the search index, in the background; resolves once it is ready. */
  startSearchIndex(): Promise<void> {
    return this.keeper?.start() ?? Promise.resolve();
  }

  /** The database's notice on `ndp_search`: a written data set's id (pages dropped, the index reads it), or a barrier. */
  searchNotice(payload: string | null): void {
    if (!payload?.startsWith('barrier:')) this.invalidateSearch();
    this.keeper?.notice(payload);
  }

  /** What the search index keeps in memory, in bytes, and how many data sets (0 without an index). */
  searchIndexSize(): { bytes: number; datasets: number } {
    return this.keeper
      ? { bytes: this.keeper.index.bytes(), datasets: this.keeper.index.size }
      : { bytes: 0, datasets: 0 };
  }

  /** Counts for the home page; they scan every published data set, so they are kept as long as search pages. */
  stats(): Promise<CatalogStats> {
    return this.statsCache.get('stats', () => this.datasets.stats());
  }
}
