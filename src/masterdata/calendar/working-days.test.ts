import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  addDays,
  addWorkingDays,
  isWorkingDay,
  NO_RULES,
  nthWorkingDayAfter,
  vnDay,
} from './working-days.js';

/** Plain arithmetic in Vietnam's time zone; the seeded calendar's Tết and 30/4 are in calendar.test.ts. */
describe('working days (no database)', () => {
  const rules = {
    daysOff: new Set(['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']),
    workingDays: new Set(['2026-02-28']),
  };

  it('names the day as a Vietnamese reader does, not as UTC does', () => {
    // 01:00 on Friday 13 February in Hà Nội is still Thursday 12 February in UTC
    expect(vnDay(new Date('2026-02-12T18:00:00Z'))).toBe('2026-02-13');
    expect(vnDay(new Date('2026-02-12T16:59:59Z'))).toBe('2026-02-12');
  });

  it('counts from the next day, skips weekends and days off, and counts a worked Saturday', () => {
    // filed on Friday 13 February 2026 at 01:00 in Hà Nội: Tết is Monday to Friday, so Monday 23 and Tuesday 24
    expect(nthWorkingDayAfter(new Date('2026-02-12T18:00:00Z'), 2, rules)).toBe('2026-02-24');
    // the same instant with no days off: Monday 16 and Tuesday 17
    expect(nthWorkingDayAfter(new Date('2026-02-12T18:00:00Z'), 2, NO_RULES)).toBe('2026-02-17');
    // filed on Friday 27 February: the worked Saturday 28 is the first working day
    expect(nthWorkingDayAfter(new Date('2026-02-27T03:00:00Z'), 1, rules)).toBe('2026-02-28');
    expect(isWorkingDay('2026-02-28', rules)).toBe(true);
    expect(isWorkingDay('2026-03-01', rules)).toBe(false);
    expect(isWorkingDay('2026-02-17', rules)).toBe(false);
  });

  it('ends a deadline at midnight in Hà Nội (17:00 UTC)', () => {
    expect(addWorkingDays(new Date('2026-02-12T18:00:00Z'), 2, rules).toISOString()).toBe('2026-02-24T16:59:59.999Z');
    expect(addCalendarDays(new Date('2026-02-12T18:00:00Z'), 15).toISOString()).toBe('2026-02-28T16:59:59.999Z');
    expect(addDays(new Date('2026-02-12T18:00:00Z'), 2).toISOString()).toBe('2026-02-14T18:00:00.000Z');
  });

  it('refuses a count that is not a whole number of days', () => {
    expect(() => nthWorkingDayAfter(new Date(), 0, rules)).toThrow(RangeError);
    expect(() => nthWorkingDayAfter(new Date(), 1.5, rules)).toThrow(RangeError);
  });
});
