/** One day's counts of a data set's page (no distribution) or of one of its files. */
export interface DayCount {
  day: string;
  datasetId: string;
  distributionId: string | null;
  views: number;
  downloads: number;
}

/** A file's count whose data set is known only when written (the download route knows the file alone). */
export interface FileCount {
  day: string;
  distributionId: string;
  views: number;
  downloads: number;
}

/**
 * Counts kept in memory until the next write: a page never waits on, nor fails for, counting. Bounded: past
 * `maxKeys` distinct (day, item) keys before a write, further ones are dropped (a write comes every few seconds).
 */
export class Tally {
  private datasets = new Map<string, DayCount>();
  private files = new Map<string, FileCount>();

  constructor(private readonly maxKeys = 100_000) {}

  get size(): number {
    return this.datasets.size + this.files.size;
  }

  datasetView(day: string, datasetId: string): void {
    const key = `${day}|${datasetId}`;
    const had = this.datasets.get(key);
    if (had) had.views++;
    else if (this.size < this.maxKeys)
      this.datasets.set(key, { day, datasetId, distributionId: null, views: 1, downloads: 0 });
  }

  file(day: string, distributionId: string, what: 'views' | 'downloads'): void {
    const key = `${day}|${distributionId}`;
    let had = this.files.get(key);
    if (!had) {
      if (this.size >= this.maxKeys) return;
      had = { day, distributionId, views: 0, downloads: 0 };
      this.files.set(key, had);
    }
    had[what]++;
  }

  /** Everything counted since the last take, and a clean tally. */
  take(): { datasets: DayCount[]; files: FileCount[] } {
    const out = { datasets: [...this.datasets.values()], files: [...this.files.values()] };
    this.datasets = new Map();
    this.files = new Map();
    return out;
  }
}
