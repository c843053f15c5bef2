import { describe, expect, it } from 'vitest';
import { SignInThrottle } from './sign-in-throttle.js';

describe('sign-in throttle', () => {
  it('locks an address after the allowed failures, until the window passes', () => {
    let now = 1_000_000;
    const t = new SignInThrottle({ perAddress: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(t.retryAfter(`user${i}@x.vn`, '1.1.1.1')).toBe(0);
      t.fail(`user${i}@x.vn`, '1.1.1.1');
    }
    expect(t.retryAfter('a@x.vn', '1.1.1.1')).toBe(60);
    now += 30_000;
    expect(t.retryAfter('a@x.vn', '1.1.1.1')).toBe(30);
    now += 30_001;
    expect(t.retryAfter('a@x.vn', '1.1.1.1')).toBe(0);
  });

  it('does not let a stranger lock the owner out from another address', () => {
    const t = new SignInThrottle({ perAddress: 3, perAccount: 5, windowMs: 60_000, now: () => 0 });
    for (let i = 0; i < 3; i++) t.fail('owner@x.vn', '6.6.6.6');
    expect(t.retryAfter('owner@x.vn', '6.6.6.6')).toBeGreaterThan(0);
    expect(t.retryAfter('owner@x.vn', '1.2.3.4')).toBe(0);
  });

  it('guessing one account from many addresses stops new addresses, never the owner’s known one', () => {
    const t = new SignInThrottle({ perAddress: 3, perAccount: 5, windowMs: 60_000, now: () => 0 });
    t.succeed('owner@x.vn', '1.2.3.4');
    for (let i = 0; i < 5; i++) t.fail('owner@x.vn', `10.0.0.${i}`);
    expect(t.retryAfter('owner@x.vn', '10.0.0.99')).toBeGreaterThan(0);
    expect(t.retryAfter('owner@x.vn', '1.2.3.4')).toBe(0);
    // the owner's own typos from a known address do not feed the account's count
    const u = new SignInThrottle({ perAddress: 30, perAccount: 5, windowMs: 60_000, now: () => 0 });
    u.succeed('owner@x.vn', '1.2.3.4');
    for (let i = 0; i < 6; i++) u.fail('owner@x.vn', '1.2.3.4');
    expect(u.retryAfter('owner@x.vn', '5.5.5.5')).toBe(0);
  });

  it('a success does not reset its address’s count (one valid account cannot launder a spray)', () => {
    const t = new SignInThrottle({ perAddress: 2, windowMs: 60_000, now: () => 0 });
    t.fail('a@x.vn', '1.1.1.1');
    t.succeed('mine@x.vn', '1.1.1.1');
    t.fail('b@x.vn', '1.1.1.1');
    expect(t.retryAfter('c@x.vn', '1.1.1.1')).toBeGreaterThan(0);
    expect(t.retryAfter('c@x.vn', '2.2.2.2')).toBe(0);
  });
});
