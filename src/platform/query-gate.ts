import { DomainError } from './errors.js';

export interface QueryGateOptions {
  /** queries running at once, for every client together (the query pool's size) */
  slots: number;
  /** queries one client may have running or waiting at once */
  perClient: number;
  /** queries waiting for a slot, at most; past this the service is busy */
  queue?: number;
  /** how long a query waits for a slot before the service answers busy */
  waitMs?: number;
}

/**
 * Admission for strangers' queries (SQL and table APIs): a fixed number run at once, a short queue, and a per-client
 * share, so a few clients cannot take every connection nor every place in the queue. A client is a signed-in user
 * (all their tokens and sessions together) or, anonymous, an address.
 */
export class QueryGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly byClient = new Map<string, number>();
  private readonly queue: number;
  private readonly waitMs: number;

  constructor(private readonly o: QueryGateOptions) {
    this.queue = o.queue ?? o.slots * 8;
    this.waitMs = o.waitMs ?? 10_000;
  }

  /** Waits for a slot for this client; the returned function gives it back (call it exactly once). */
  async acquire(client: string): Promise<() => void> {
    const mine = this.byClient.get(client) ?? 0;
    if (mine >= this.o.perClient)
      throw new DomainError('TOO_MANY_REQUESTS', {
        vi: `Bạn đang có ${mine} truy vấn chưa xong (tối đa ${this.o.perClient} cùng lúc); hãy đợi một truy vấn xong rồi gửi tiếp.`,
        en: `You have ${mine} queries not yet answered (at most ${this.o.perClient} at once); wait for one to finish.`,
      });
    if (this.running >= this.o.slots && this.waiting.length >= this.queue) throw busy();
    this.byClient.set(client, mine + 1);
    const giveBack = () => {
      const n = (this.byClient.get(client) ?? 1) - 1;
      if (n > 0) this.byClient.set(client, n);
      else this.byClient.delete(client);
    };
    if (this.running < this.o.slots) this.running++;
    else {
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => {
            const i = this.waiting.indexOf(go);
            if (i >= 0) this.waiting.splice(i, 1);
            reject(busy());
          }, this.waitMs);
          const go = () => {
            clearTimeout(timer);
            resolve();
          };
          this.waiting.push(go);
        });
      } catch (err) {
        giveBack();
        throw err;
      }
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      giveBack();
      const next = this.waiting.shift();
      if (next)
        next(); // the slot passes straight to the next in line
      else this.running--;
    };
  }

  async run<T>(client: string, work: () => Promise<T>): Promise<T> {
    const release = await this.acquire(client);
    try {
      return await work();
    } finally {
      release();
    }
  }

  stats(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}

const busy = () =>
  new DomainError('SERVICE_UNAVAILABLE', {
    vi: 'Dịch vụ truy vấn đang bận; vui lòng thử lại sau ít giây.',
    en: 'The query service is busy; please try again in a few seconds.',
  });

/** The client a query is counted against: the signed-in user, else the address. */
export function clientKey(principal: { kind: string; userId?: string }, address: string): string {
  return principal.kind === 'user' && principal.userId ? `u:${principal.userId}` : `a:${address}`;
}
