/**
 * Calendar arithmetic in Vietnam's time zone (Asia/Ho_Chi_Minh, UTC+7 all year: Vietnam keeps no summer time).
 * Plain functions over plain data: a day is its civil date `YYYY-MM-DD` as a Vietnamese reader names it.
 *
 * A working day is Monday to Friday and not a day off (a public holiday, a compensatory or a shifted day off), or a
 * Saturday or Sunday the Government made a working day in exchange for a shifted day off.
 */
const OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

/** What the calendar says of particular days: days off on weekdays, working days on weekends. */
export interface DayRules {
  /** days off: public holidays (Labour Code 2019 Art. 112), compensatory and shifted days off */
  daysOff: ReadonlySet<string>;
  /** Saturdays or Sundays worked in exchange for a shifted day off */
  workingDays: ReadonlySet<string>;
}

export const NO_RULES: DayRules = { daysOff: new Set(), workingDays: new Set() };

/** The civil date in Vietnam of an instant: `2026-02-13`. */
export function vnDay(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a Vietnamese civil day ends (23:59:59.999 in Hà Nội): a deadline “within N days” runs to it. */
export function endOfVnDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - OFFSET_MS + DAY_MS - 1);
}

/** The civil day `n` days after `day` (n may be negative). */
export function shiftDay(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The same time of day, `n` days later in Vietnam (no summer time, so always n × 24 hours). */
export function addDays(at: Date, n: number): Date {
  return new Date(at.getTime() + n * DAY_MS);
}

export function isWorkingDay(day: string, rules: DayRules): boolean {
  if (rules.workingDays.has(day)) return true;
  if (rules.daysOff.has(day)) return false;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The `n`-th working day after the day of `at` in Vietnam (the day itself not counted: what arrives on a Friday
 * evening or on the first day of Tết starts its clock the next working day), as its civil date. n ≥ 1.
 */
export function nthWorkingDayAfter(at: Date, n: number, rules: DayRules): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('n must be a whole number of working days, at least 1');
  let day = vnDay(at);
  // a year has fewer than 40 days off: 4n + 60 days always holds n working days
  for (let seen = 0, steps = 0; steps < 4 * n + 60; steps++) {
    day = shiftDay(day, 1);
    if (isWorkingDay(day, rules) && ++seen === n) return day;
  }
  throw new RangeError('the calendar has no working day in reach');
}

/** The end (in Vietnam) of the `n`-th working day after `at`: a deadline of “n working days”. */
export function addWorkingDays(at: Date, n: number, rules: DayRules): Date {
  return endOfVnDay(nthWorkingDayAfter(at, n, rules));
}

/** The end (in Vietnam) of the day `n` calendar days after the day of `at`: a deadline of “n days”. */
export function addCalendarDays(at: Date, n: number): Date {
  return endOfVnDay(shiftDay(vnDay(at), n));
}

/** Whole days past a deadline at `now`, a started day counting as one (0 before the deadline). */
export function daysPast(due: Date, now: Date): number {
  return now > due ? Math.ceil((now.getTime() - due.getTime()) / DAY_MS) : 0;
}

/**
 * The working days after today up to a deadline's day (0 on its last day and after): on the day a request arrives
 * with a 10-working-day clock, 10.
 */
export function workingDaysLeft(now: Date, due: Date, rules: DayRules): number {
  if (now > due) return 0;
  const last = vnDay(due);
  let n = 0;
  // a deadline is never more than a few months off: bounded like nthWorkingDayAfter
  for (let day = shiftDay(vnDay(now), 1), steps = 0; day <= last && steps < 400; day = shiftDay(day, 1), steps++)
    if (isWorkingDay(day, rules)) n++;
  return n;
}
