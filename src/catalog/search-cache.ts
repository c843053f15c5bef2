/**
 * A small LRU of search pages. Popular searches repeat (search logs follow a
 * Zipf curve), and counting facets over thousands of matches is the costly
 * part of a search. An entry is dropped when this process changes the catalog
 * (the generation moves on) and after `ttlMs` at the latest, which bounds how
 * stale a page can be when another process made the change.
 */
export class SearchCache<T> {
  private readonly entries = new Map<string, { at: number; generation: number; value: T }>();
  // Concurrent misses on one key share one computation instead of stampeding the database.
  private readonly inFlight = new Map<string, { generation: number; promise: Promise<T> }>();
  private generation = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly max = 1000,
  ) {}

  invalidate(): void {
    this.generation++;
    this.entries.clear();
  }

  async get(key: string, compute: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return compute();
    const e = this.entries.get(key);
    if (e && e.generation === this.generation && Date.now() - e.at < this.ttlMs) {
      this.hits++;
      this.entries.delete(key);
      this.entries.set(key, e); // most recently used last
      return e.value;
    }
    const pending = this.inFlight.get(key);
    if (pending && pending.generation === this.generation) {
      this.hits++;
      return pending.promise;
    }
    this.misses++;
    const generation = this.generation;
    const promise = compute();
    this.inFlight.set(key, { generation, promise });
    try {
      const value = await promise;
      if (generation === this.generation) {
        this.entries.set(key, { at: Date.now(), generation, value });
        if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
      }
      return value;
    } finally {
      if (this.inFlight.get(key)?.promise === promise) this.inFlight.delete(key);
    }
  }
}
