import type { Kysely } from 'kysely';
import type { FileStore } from '../platform/storage.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import { DatasetsService, type DatasetsDeps } from './datasets.service.js';
import { DatabasesService } from './databases.service.js';
import { DictionaryService } from './dictionary.service.js';
import { SearchService } from './search.service.js';
import { SearchCache } from './search-cache.js';
import type { SearchPage } from './search.repository.js';

export interface CatalogDeps {
  db: Kysely<any>;
  files: FileStore;
  masterData: MasterDataService;
  baseUrl: string;
  maxUploadBytes: number;
  searchCacheSeconds: number;
  onTableSourceChanged?: DatasetsDeps['onTableSourceChanged'];
  beforePublish?: DatasetsDeps['beforePublish'];
}

export interface CatalogStats {
  datasets: number;
  agencies: number;
  files: number;
  downloads: number;
}

/** The catalog's public face for other parts: its four services, each with one concern. */
export class CatalogService {
  readonly datasets: DatasetsService;
  readonly databases: DatabasesService;
  readonly dictionary: DictionaryService;
  readonly search: SearchService;
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
    this.datasets = new DatasetsService({ ...deps, onChange: this.invalidateSearch });
    this.databases = new DatabasesService(deps.db, deps.masterData);
    this.dictionary = new DictionaryService(deps.db);
    this.search = new SearchService(deps.db, deps.masterData, this.datasets, cache);
  }

  /** Counts for the home page; they scan every published data set, so they are kept as long as search pages. */
  stats(): Promise<CatalogStats> {
    return this.statsCache.get('stats', () => this.datasets.stats());
  }
}
