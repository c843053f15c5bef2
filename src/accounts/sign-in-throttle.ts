export interface ThrottleOptions {
  /** failed sign-ins one client address may make, for any e-mail, in the window */
  perAddress?: number;
  /** failed sign-ins to one account, from addresses it has never signed in from, before such addresses are refused */
  perAccount?: number;
  windowMs?: number;
  /** how long an address that signed in to an account stays known to that account */
  knownMs?: number;
  now?: () => number;
}

/** Entries kept in each map at most: a flood of random e-mails or addresses must not grow memory without bound. */
const MAX_KEYS = 100_000;

/**
 * Slows password guessing without letting a stranger lock the owner out.
 *
 * - Per address: `perAddress` failures (for any e-mail) within the window stop that address, for every account.
 *   This is what stops spraying from one address, and it is the only limit one address can trigger.
 * - Per account: failures from addresses that never signed in to the account are counted together; past
 *   `perAccount` (more than one address can make, so a guess spread over many addresses), new addresses are
 *   refused for that account, while addresses it signed in from before (within `knownMs`) still get in.
 *
 * A success never resets its address's count, so one valid account cannot launder a spray. Kept in memory: a
 * restart forgets (including known addresses), which errs on the side of letting people in.
 */
export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly known = new Map<string, number>();
  private readonly perAddress: number;
  private readonly perAccount: number;
  private readonly windowMs: number;
  private readonly knownMs: number;
  private readonly now: () => number;

  constructor(o: ThrottleOptions = {}) {
    this.perAddress = o.perAddress ?? 10;
    this.perAccount = o.perAccount ?? 20;
    this.windowMs = o.windowMs ?? 15 * 60_000;
    this.knownMs = o.knownMs ?? 30 * 86_400_000;
    this.now = o.now ?? (() => Date.now());
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  private isKnown(email: string, ip: string): boolean {
    const at = this.known.get(`${email.toLowerCase()}|${ip}`);
    return at !== undefined && at > this.now() - this.knownMs;
  }

  private waitFor(list: number[], max: number): number {
    return list.length >= max ? Math.ceil((list[list.length - max]! + this.windowMs - this.now()) / 1000) : 0;
  }

  /** Seconds to wait before another attempt, or 0 when one is allowed. */
  retryAfter(email: string, ip: string): number {
    let wait = this.waitFor(this.recent(`i:${ip}`), this.perAddress);
    if (!this.isKnown(email, ip))
      wait = Math.max(wait, this.waitFor(this.recent(`e:${email.toLowerCase()}`), this.perAccount));
    return wait;
  }

  fail(email: string, ip: string): void {
    if (this.failures.size > MAX_KEYS) this.prune();
    const keys = [`i:${ip}`];
    if (!this.isKnown(email, ip)) keys.push(`e:${email.toLowerCase()}`);
    for (const key of keys) this.failures.set(key, [...this.recent(key), this.now()]);
  }

  succeed(email: string, ip: string): void {
    const key = `${email.toLowerCase()}|${ip}`;
    this.known.delete(key);
    this.known.set(key, this.now());
    // Map order is insertion order: the first entries are the least recently used
    while (this.known.size > MAX_KEYS) this.known.delete(this.known.keys().next().value!);
  }

  private prune(): void {
    for (const key of [...this.failures.keys()]) this.recent(key);
    // still full of live entries (a flood from very many addresses): forget the oldest keys rather than grow
    for (const key of this.failures.keys()) {
      if (this.failures.size <= MAX_KEYS / 2) break;
      this.failures.delete(key);
    }
  }
}
