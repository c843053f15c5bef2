/**
 * Slows password guessing: after `max` failed sign-ins for one e-mail address
 * (from anywhere) or from one client address (for any e-mail) within the
 * window, further attempts are refused until the window has passed. Kept in
 * memory: a restart forgets, which errs on the side of letting people in.
 */
export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly max = 10,
    private readonly windowMs = 15 * 60_000,
    private readonly now = () => Date.now(),
  ) {}

  private recent(key: string): number[] {
    const cutoff = this.now() - this.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Seconds to wait before another attempt, or 0 when one is allowed. */
  retryAfter(email: string, ip: string): number {
    let wait = 0;
    for (const key of [`e:${email.toLowerCase()}`, `i:${ip}`]) {
      const list = this.recent(key);
      if (list.length >= this.max) wait = Math.max(wait, Math.ceil((list[0]! + this.windowMs - this.now()) / 1000));
    }
    return wait;
  }

  fail(email: string, ip: string): void {
    for (const key of [`e:${email.toLowerCase()}`, `i:${ip}`])
      this.failures.set(key, [...this.recent(key), this.now()]);
  }

  succeed(email: string): void {
    this.failures.delete(`e:${email.toLowerCase()}`);
  }
}
