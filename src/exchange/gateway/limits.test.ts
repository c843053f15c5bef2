import { describe, expect, it } from 'vitest';
import { GrantLimits } from './limits.js';

describe('a grant’s rate and daily quota', () => {
  it('lets a second’s worth through, then refuses with the time to wait', () => {
    let t = Date.parse('2026-11-24T03:00:00Z');
    const limits = new GrantLimits(() => t);
    for (let i = 0; i < 5; i++) expect(limits.take('g', 5, null).ok).toBe(true);
    const refused = limits.take('g', 5, null);
    expect(refused).toMatchObject({ ok: false, kind: 'rate' });
    expect(refused.ok ? 0 : refused.retryAfterSeconds).toBeCloseTo(0.2, 5);
    t += 200;
    expect(limits.take('g', 5, null).ok).toBe(true);
  });
  it('counts the day in Vietnam’s time and says when it starts again', () => {
    let t = Date.parse('2026-11-24T16:59:00Z'); // 23:59 in Hà Nội
    const limits = new GrantLimits(() => t);
    expect(limits.take('q', null, 2).ok).toBe(true);
    expect(limits.take('q', null, 2).ok).toBe(true);
    const refused = limits.take('q', null, 2);
    expect(refused).toMatchObject({ ok: false, kind: 'quota', retryAfterSeconds: 60 });
    expect(limits.used('q')).toBe(2);
    t += 61_000; // 00:00:01 the next day
    expect(limits.take('q', null, 2).ok).toBe(true);
    expect(limits.used('q')).toBe(1);
  });
  it('does not spend the quota on a call the rate refused', () => {
    const limits = new GrantLimits(() => 0);
    expect(limits.take('b', 1, 10).ok).toBe(true);
    expect(limits.take('b', 1, 10).ok).toBe(false);
    expect(limits.used('b')).toBe(1);
  });
});

describe('quota use after a restart', () => {
  it('counts today’s calls from the log, not yesterday’s', () => {
    const now = Date.parse('2026-11-24T10:00:00Z');
    const limits = new GrantLimits(() => now);
    limits.restore('g', Date.parse('2026-11-24T01:00:00Z'));
    limits.restore('g', Date.parse('2026-11-24T09:59:00Z'));
    limits.restore('g', Date.parse('2026-11-23T16:59:00Z')); // 23:59 the day before in Hà Nội
    expect(limits.used('g')).toBe(2);
    expect(limits.take('g', null, 3).ok).toBe(true);
    expect(limits.take('g', null, 3)).toMatchObject({ ok: false, kind: 'quota' });
    // what the gateway asks before it reads an entry of its log
    expect(limits.isToday(Date.parse('2026-11-23T17:00:00Z'))).toBe(true); // 00:00 in Hà Nội
    expect(limits.isToday(Date.parse('2026-11-23T16:59:59Z'))).toBe(false);
    expect(limits.isToday(Number.NaN)).toBe(false);
  });
  it('gives today’s counts back from a saved snapshot, and nothing of another day or of a damaged one', () => {
    let t = Date.parse('2026-11-24T10:00:00Z');
    const limits = new GrantLimits(() => t);
    for (let i = 0; i < 3; i++) limits.take('q', null, 5);
    limits.take('r', null, 5);
    const saved = limits.snapshot();
    const again = new GrantLimits(() => t);
    again.restoreSnapshot(JSON.parse(JSON.stringify(saved)));
    expect([again.used('q'), again.used('r')]).toEqual([3, 1]);
    again.restore('q', t); // an entry after the snapshot
    expect(again.used('q')).toBe(4);
    expect(again.take('q', null, 5).ok).toBe(true);
    expect(again.take('q', null, 5).ok).toBe(false);
    const damaged = new GrantLimits(() => t);
    damaged.restoreSnapshot([['q', 'x', 3], ['r'], null, ['s', Math.floor((t + 7 * 3_600_000) / 86_400_000), -1]]);
    damaged.restoreSnapshot({ q: 3 });
    expect([damaged.used('q'), damaged.used('r'), damaged.used('s')]).toEqual([0, 0, 0]);
    t += 86_400_000; // the next day: yesterday's snapshot counts for nothing
    const tomorrow = new GrantLimits(() => t);
    tomorrow.restoreSnapshot(saved);
    expect(tomorrow.used('q')).toBe(0);
  });
});
