import { createHmac, randomBytes } from 'node:crypto';
import { isbot } from 'isbot';

/** What counting needs to know of a request: never stored, only looked at. */
export interface Visit {
  method: string;
  ip: string;
  userAgent: string | undefined;
  /** `Sec-Purpose` / `Purpose`: a browser's prefetch is not a visit */
  purpose?: string;
}

/** A person's visit, not a robot's, a HEAD request's or a prefetch's. */
export function countable(v: Visit): boolean {
  if (v.method !== 'GET') return false;
  if (!v.userAgent || isbot(v.userAgent)) return false;
  return !/prefetch|prerender/i.test(v.purpose ?? '');
}

const VIETNAM_OFFSET_MS = 7 * 3600_000;

/** The day in Vietnam (UTC+7, no summer time) as `YYYY-MM-DD`: a day's counts are Vietnam's day. */
export const vietnamDay = (at: Date): string => new Date(at.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);

/**
 * Tells whether a visitor already counted an item today. A visitor is a keyed hash of IP and User-Agent; the key is
 * random, held only here, and replaced with the day (so is every hash remembered), so no one, the operator included,
 * can tell from a hash who visited or link days together. Nothing of it is ever written anywhere.
 */
export class Visitors {
  private key = randomBytes(32);
  private day = '';
  private seen = new Set<string>();

  constructor(
    private readonly now: () => Date = () => new Date(),
    /** past this many (visitor, item) pairs in a day, further ones are counted without being remembered */
    private readonly maxRemembered = 500_000,
  ) {}

  /** True the first time today this visitor (IP + User-Agent) reaches `item`; the day's key is made on the way. */
  firstToday(v: Visit, item: string): { first: boolean; day: string } {
    const day = vietnamDay(this.now());
    if (day !== this.day) {
      this.day = day;
      this.key = randomBytes(32);
      this.seen = new Set();
    }
    const mark = createHmac('sha256', this.key)
      .update(`${v.ip}\n${v.userAgent ?? ''}\n${item}`)
      .digest('base64')
      .slice(0, 12); // 72 bits: no two of a day's marks alike in practice, and half a million fit in ~40 MB
    if (this.seen.has(mark)) return { first: false, day };
    if (this.seen.size < this.maxRemembered) this.seen.add(mark);
    return { first: true, day };
  }
}
