/**
 * A small LRU of search pages. Popular searches repeat (search logs follow a
 * Zipf curve), and counting facets over thousands of matches is the costly
 * part of a search. An entry is dropped when this process changes the catalog
 * (the generation moves on) and after `ttlMs` at the latest, which bounds how
 * stale a page can be when another process made the change.
 */
export class SearchCache<T> {
  private readonly entries = new Map<string, { at: number; generation: number; value: T }>();
  private generation = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly ttlMs: number, private readonly max = 1000) {}

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
    this.misses++;
    const generation = this.generation;
    const value = await compute();
    if (generation === this.generation) {
      this.entries.set(key, { at: Date.now(), generation, value });
      if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    }
    return value;
  }
}
