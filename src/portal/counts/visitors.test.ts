import { describe, expect, it } from 'vitest';
import { countable, vietnamDay, Visitors, type Visit } from './visitors.js';

const person: Visit = {
  method: 'GET',
  ip: '203.0.113.7',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
};

describe('who is counted', () => {
  it('a browser’s GET, not a robot, a request with no User-Agent, a HEAD or a prefetch', () => {
    expect(countable(person)).toBe(true);
    expect(
      countable({ ...person, userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' }),
    ).toBe(false);
    expect(countable({ ...person, userAgent: 'curl/8.5.0' })).toBe(false);
    expect(countable({ ...person, userAgent: undefined })).toBe(false);
    expect(countable({ ...person, method: 'HEAD' })).toBe(false);
    expect(countable({ ...person, purpose: 'prefetch' })).toBe(false);
  });

  it('a visitor once per item per Vietnam day; the next day counts again', () => {
    let now = new Date('2026-12-07T16:30:00Z'); // 23:30 in Hà Nội
    const visitors = new Visitors(() => now);
    expect(visitors.firstToday(person, 'd:1')).toEqual({ first: true, day: '2026-12-07' });
    expect(visitors.firstToday(person, 'd:1').first).toBe(false);
    expect(visitors.firstToday(person, 'd:2').first).toBe(true);
    expect(visitors.firstToday({ ...person, ip: '203.0.113.8' }, 'd:1').first).toBe(true);
    now = new Date('2026-12-07T17:05:00Z'); // 00:05 the next day in Hà Nội
    expect(visitors.firstToday(person, 'd:1')).toEqual({ first: true, day: '2026-12-08' });
    expect(vietnamDay(new Date('2026-12-31T17:00:00Z'))).toBe('2027-01-01');
  });
});
