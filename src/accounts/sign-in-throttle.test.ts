import { describe, expect, it } from 'vitest';
import { SignInThrottle } from './sign-in-throttle.js';

describe('sign-in throttle', () => {
  it('locks an address after the allowed failures, until the window passes', () => {
    let now = 1_000_000;
    const t = new SignInThrottle(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(t.retryAfter('A@x.vn', '1.1.1.1')).toBe(0);
      t.fail('a@x.vn', `10.0.0.${i}`);
    }
    expect(t.retryAfter('a@x.vn', '9.9.9.9')).toBe(60);
    now += 30_000;
    expect(t.retryAfter('a@x.vn', '9.9.9.9')).toBe(30);
    now += 30_001;
    expect(t.retryAfter('a@x.vn', '9.9.9.9')).toBe(0);
  });

  it('also locks one client guessing many addresses, and a success clears the address', () => {
    const t = new SignInThrottle(2, 60_000, () => 0);
    t.fail('a@x.vn', '1.1.1.1');
    t.fail('b@x.vn', '1.1.1.1');
    expect(t.retryAfter('c@x.vn', '1.1.1.1')).toBeGreaterThan(0);
    expect(t.retryAfter('c@x.vn', '2.2.2.2')).toBe(0);
    t.fail('d@x.vn', '3.3.3.3');
    t.succeed('d@x.vn');
    t.fail('d@x.vn', '4.4.4.4');
    expect(t.retryAfter('d@x.vn', '5.5.5.5')).toBe(0);
  });
});
