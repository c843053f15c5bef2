import type { Kysely } from 'kysely';
import type { Logger } from '../../platform/logger.js';
import { CountsRepository, type Figures, type RankedBy } from './counts.repository.js';
import { Tally, type DayCount } from './tally.js';
import { countable, vietnamDay, Visitors, type Visit } from './visitors.js';

export type { Figures, RankedBy };

/** The data set a file belongs to, and whether it is published (only published data is counted). */
export type FileOwner = (distributionId: string) => Promise<{ datasetId: string; published: boolean } | undefined>;

export interface CountsOptions {
  db: Kysely<any>;
  logger: Logger;
  fileOwner: FileOwner;
  now?: () => Date;
  /** how often counts are written (ms); also at close */
  flushMs?: number;
  /** how long a ranking (for sorts) is kept before it is read again (ms) */
  rankingMs?: number;
}

/** "Last 30 days" on the page; CKAN's `tracking_summary.recent` is 14 days. */
export const PAGE_RECENT_DAYS = 30;
export const CKAN_RECENT_DAYS = 14;
/** a sort orders by at most this many of the most viewed or downloaded; the rest follow by date */
export const RANKED_LIMIT = 10_000;

export interface DatasetFigures {
  total: Figures;
  recent: Figures;
  /** per file: its table page's views and its downloads */
  files: Map<string, Figures & { recent: Figures }>;
}

/**
 * Views of data set pages and table pages and downloads of files, people's only, once a visitor a day per item
 * (`Visitors`), kept in memory (`Tally`) and written every few seconds and at close. A crash loses what was counted
 * since the last write: a few seconds of counts.
 */
export class CountsService {
  private readonly repo: CountsRepository;
  private readonly visitors: Visitors;
  private readonly tally = new Tally();
  private readonly now: () => Date;
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();
  private readonly rankings = new Map<RankedBy, { at: number; ids: Promise<string[]> }>();

  constructor(private readonly o: CountsOptions) {
    this.repo = new CountsRepository(o.db);
    this.now = o.now ?? (() => new Date());
    this.visitors = new Visitors(this.now);
  }

  /** A data set's page was shown (published data sets only: the caller knows its status). */
  datasetViewed(v: Visit, datasetId: string): void {
    if (!countable(v)) return;
    const { first, day } = this.visitors.firstToday(v, `d:${datasetId}`);
    if (first) this.tally.datasetView(day, datasetId);
  }

  /** A file was downloaded in full or its table page shown. */
  fileUsed(v: Visit, distributionId: string, what: 'views' | 'downloads'): void {
    if (!countable(v)) return;
    const { first, day } = this.visitors.firstToday(v, `${what === 'views' ? 't' : 'f'}:${distributionId}`);
    if (first) this.tally.file(day, distributionId, what);
  }

  /** Writes every few seconds until `stop`. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.o.flushMs ?? 5000);
    this.timer.unref();
  }

  /** Stops the timer and writes what is left. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Writes what was counted. Never throws: a failed write is logged and its counts are dropped. */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  private async write(): Promise<void> {
    const { datasets, files } = this.tally.take();
    if (!datasets.length && !files.length) return;
    try {
      // files' data sets first (PGlite has one connection: no other read inside the transaction)
      const owners = new Map<string, Awaited<ReturnType<FileOwner>>>();
      for (const id of new Set(files.map((f) => f.distributionId))) owners.set(id, await this.o.fileOwner(id));
      const rows: DayCount[] = [...datasets];
      for (const f of files) {
        const owner = owners.get(f.distributionId);
        if (owner?.published) rows.push({ ...f, datasetId: owner.datasetId });
      }
      await this.repo.add(rows);
      this.rankings.clear();
    } catch (err) {
      this.o.logger.warn({ err, items: datasets.length + files.length }, 'counts not written');
    }
  }

  /** The day `days` days back from today (Vietnam's day), today counting as one. */
  private fromDay(days: number): string {
    return vietnamDay(new Date(this.now().getTime() - (days - 1) * 86_400_000));
  }

  /** A data set's page section: its totals, the last 30 days, and each file's. */
  async datasetFigures(datasetId: string): Promise<DatasetFigures> {
    const from = this.fromDay(PAGE_RECENT_DAYS);
    const zero = { views: 0, downloads: 0 };
    const [total, recent, files] = await Promise.all([
      this.repo.totals([datasetId]),
      this.repo.since([datasetId], from),
      this.repo.files([datasetId], from),
    ]);
    return { total: total.get(datasetId) ?? zero, recent: recent.get(datasetId) ?? zero, files };
  }

  /** Totals of many data sets (search results): a data set with none is left out. */
  totals(datasetIds: string[]): Promise<Map<string, Figures>> {
    return this.repo.totals(datasetIds.slice(0, 1000));
  }

  /** CKAN's `tracking_summary` (recent: 14 days): a package's page views, each resource's downloads. */
  async tracking(datasetIds: string[]): Promise<{
    datasets: Map<string, { total: number; recent: number }>;
    files: Map<string, { total: number; recent: number }>;
  }> {
    const ids = datasetIds.slice(0, 1000);
    const from = this.fromDay(CKAN_RECENT_DAYS);
    const [total, recent, files] = await Promise.all([
      this.repo.totals(ids),
      this.repo.since(ids, from),
      this.repo.files(ids, from),
    ]);
    return {
      datasets: new Map(
        ids.map((id) => [id, { total: total.get(id)?.views ?? 0, recent: recent.get(id)?.views ?? 0 }]),
      ),
      files: new Map([...files].map(([id, f]) => [id, { total: f.downloads, recent: f.recent.downloads }])),
    };
  }

  /**
   * Data sets most viewed or downloaded first (the sorts of search): kept for a minute in each process, and read
   * again after this process writes.
   */
  ranking(by: RankedBy): Promise<string[]> {
    const had = this.rankings.get(by);
    const t = Date.now();
    if (had && t - had.at < (this.o.rankingMs ?? 60_000)) return had.ids;
    const ids = this.repo.ranking(by, RANKED_LIMIT, this.fromDay(CKAN_RECENT_DAYS));
    this.rankings.set(by, { at: t, ids });
    ids.catch(() => this.rankings.delete(by));
    return ids;
  }

  /** Every download counted (the home page's figure). */
  downloads(): Promise<number> {
    return this.repo.downloads();
  }
}
