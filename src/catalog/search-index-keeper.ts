import { randomUUID } from 'node:crypto';
import { SearchIndex } from './search-index.js';
import type { SearchIndexRepository } from './search-index.repository.js';

/** The channel of the database's notices of written data sets (migration 0033). */
export const SEARCH_CHANNEL = 'ndp_search';
const BATCH = 5000;
const BARRIER = 'barrier:';

/**
 * Keeps this process's search index current. At start it reads every published data set; then each notice on
 * `ndp_search` (a data set's id, sent at commit by any process) is read again, in order, one batch at a time: other
 * processes' changes show within the notice's delay (milliseconds). After this process wrote, its next search first
 * sends a notice of its own (a barrier) and waits for it to come back: notices arrive in commit order, so by then its
 * own writes are in the index. A barrier not back within `waitMs` (no listener, a lost connection) sends the search
 * to PostgreSQL.
 */
export class SearchIndexKeeper {
  index = new SearchIndex();
  ready = false;
  private chain: Promise<void> = Promise.resolve();
  private readonly pending = new Set<string>();
  private reloadAll = false;
  private scheduled = false;
  private readonly waiting = new Map<string, () => void>();

  constructor(
    private readonly repo: SearchIndexRepository,
    private readonly onError: (err: unknown) => void = () => undefined,
    /** called once changes are in the index: pages kept from before must go (a search may have run in between) */
    private readonly onApplied: () => void = () => undefined,
    private readonly waitMs = 2000,
  ) {}

  /** Reads the whole published catalog (in the background: search uses PostgreSQL until it is done). */
  start(): Promise<void> {
    if (!this.started) {
      this.started = this.chain.then(() => this.load());
      this.chain = this.started.catch(this.onError);
    }
    return this.started;
  }
  private started?: Promise<void>;

  /** A notice from the database: a data set's id, a barrier, or (null) "anything may have changed". */
  notice(payload: string | null): void {
    if (payload?.startsWith(BARRIER)) {
      const resolve = this.waiting.get(payload);
      if (!resolve) return; // another process's barrier
      this.waiting.delete(payload);
      this.chain = this.chain
        .then(() => this.apply())
        .then(resolve, (err) => {
          this.onError(err);
          resolve();
        });
      return;
    }
    if (payload === null) this.reloadAll = true;
    else this.pending.add(payload);
    if (this.scheduled) return;
    this.scheduled = true;
    this.chain = this.chain.then(() => this.apply()).catch(this.onError);
  }

  /** This process wrote: the next search waits for the index to hold it (a barrier). */
  wrote(): void {
    this.dirty = true;
  }
  private dirty = false;

  /**
   * Ready to answer. After this process wrote, waits until every change committed before now is in the index (false
   * when the index cannot say so in time); otherwise answers at once, other processes' changes arriving by notice.
   */
  async fresh(): Promise<boolean> {
    if (!this.ready) return false;
    if (!this.dirty) return true;
    this.dirty = false;
    const nonce = `${BARRIER}${randomUUID()}`;
    let timer: NodeJS.Timeout | undefined;
    const back = new Promise<boolean>((resolve) => {
      this.waiting.set(nonce, () => resolve(true));
      timer = setTimeout(() => resolve(false), this.waitMs);
    });
    try {
      await this.repo.barrier(SEARCH_CHANNEL, nonce);
      return (await back) && this.ready;
    } finally {
      clearTimeout(timer);
      this.waiting.delete(nonce);
    }
  }

  private async load(): Promise<void> {
    const index = new SearchIndex();
    index.addFacetValues(await this.repo.facetValues(0));
    let after: string | null = null;
    for (;;) {
      const rows = await this.repo.published(after, BATCH);
      if (!rows.length) break;
      await this.facetsOf(index, rows);
      for (const r of rows) index.put(r);
      after = rows[rows.length - 1]!.id;
      if (rows.length < BATCH) break;
    }
    index.compact();
    this.index = index;
    this.ready = true;
    this.onApplied();
  }

  private async apply(): Promise<void> {
    this.scheduled = false;
    if (this.reloadAll) {
      this.reloadAll = false;
      this.pending.clear();
      return this.load();
    }
    const ids = [...this.pending];
    this.pending.clear();
    for (let i = 0; i < ids.length; i += BATCH) {
      const chunk = ids.slice(i, i + BATCH);
      const rows = await this.repo.byIds(chunk);
      await this.facetsOf(this.index, rows);
      const found = new Set(rows.map((r) => r.id));
      for (const r of rows) this.index.put(r);
      for (const id of chunk) if (!found.has(id)) this.index.remove(id);
    }
    if (this.index.wasteful) await this.load();
    if (ids.length) this.onApplied();
  }

  /** Facet values the index has not seen yet (a new keyword, a new agency) are read before the rows that use them. */
  private async facetsOf(index: SearchIndex, rows: { facet_ids: number[] }[]) {
    const max = index.maxFacetId;
    if (rows.some((r) => r.facet_ids.some((f) => f > max))) index.addFacetValues(await this.repo.facetValues(max));
  }
}
