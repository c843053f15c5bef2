/**
 * A grant's rate (a token bucket holding one second's worth) and daily quota (counted per calendar
 * day in Vietnam's time, UTC+7), enforced by the provider's gateway. Counts live in the gateway's
 * memory; a restarted gateway takes them back from the snapshot its evidence log saved at the last
 * checkpoint (`snapshot`, `restoreSnapshot`) and counts the entries after it (`restore`).
 */
export type LimitVerdict = { ok: true } | { ok: false; kind: 'rate' | 'quota'; retryAfterSeconds: number };

const DAY = 86_400_000;
const VN_OFFSET = 7 * 3_600_000;

export class GrantLimits {
  private buckets = new Map<string, { tokens: number; at: number }>();
  private days = new Map<string, { day: number; used: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  take(grantId: string, ratePerSecond: number | null, dailyQuota: number | null): LimitVerdict {
    const t = this.now();
    if (dailyQuota !== null) {
      const day = Math.floor((t + VN_OFFSET) / DAY);
      const d = this.days.get(grantId);
      const used = d && d.day === day ? d.used : 0;
      if (used >= dailyQuota)
        return { ok: false, kind: 'quota', retryAfterSeconds: ((day + 1) * DAY - VN_OFFSET - t) / 1000 };
    }
    if (ratePerSecond !== null) {
      const b = this.buckets.get(grantId) ?? { tokens: ratePerSecond, at: t };
      b.tokens = Math.min(ratePerSecond, b.tokens + ((t - b.at) / 1000) * ratePerSecond);
      b.at = t;
      if (b.tokens < 1) {
        this.buckets.set(grantId, b);
        return { ok: false, kind: 'rate', retryAfterSeconds: (1 - b.tokens) / ratePerSecond };
      }
      b.tokens -= 1;
      this.buckets.set(grantId, b);
    }
    if (dailyQuota !== null) {
      const day = Math.floor((t + VN_OFFSET) / DAY);
      const d = this.days.get(grantId);
      this.days.set(grantId, { day, used: d && d.day === day ? d.used + 1 : 1 });
    }
    return { ok: true };
  }

  /** Whether `at` falls on today (Vietnam's calendar day), the only day whose calls count against quotas. */
  isToday(at: number): boolean {
    return Math.floor((at + VN_OFFSET) / DAY) === Math.floor((this.now() + VN_OFFSET) / DAY);
  }

  /** Counts a call already made at `at` (from the log) against the day it was made in. */
  restore(grantId: string, at: number): void {
    const day = Math.floor((at + VN_OFFSET) / DAY);
    if (day !== Math.floor((this.now() + VN_OFFSET) / DAY)) return;
    const d = this.days.get(grantId);
    this.days.set(grantId, { day, used: d && d.day === day ? d.used + 1 : 1 });
  }

  /** Today's counts, to be saved with the evidence log's state. */
  snapshot(): [grant: string, day: number, used: number][] {
    const today = Math.floor((this.now() + VN_OFFSET) / DAY);
    return [...this.days].filter(([, d]) => d.day === today).map(([g, d]) => [g, d.day, d.used]);
  }

  /** Takes back a saved snapshot's counts for today; anything else in it (another day, a damaged value) is passed over. */
  restoreSnapshot(value: unknown): void {
    if (!Array.isArray(value)) return;
    const today = Math.floor((this.now() + VN_OFFSET) / DAY);
    for (const item of value) {
      if (!Array.isArray(item) || item.length !== 3) continue;
      const [grant, day, used] = item as unknown[];
      if (typeof grant !== 'string' || day !== today || !Number.isSafeInteger(used) || (used as number) < 0) continue;
      const d = this.days.get(grant);
      this.days.set(grant, { day: today, used: (d && d.day === today ? d.used : 0) + (used as number) });
    }
  }

  used(grantId: string): number {
    const d = this.days.get(grantId);
    return d && d.day === Math.floor((this.now() + VN_OFFSET) / DAY) ? d.used : 0;
  }
}
