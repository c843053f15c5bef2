import { addWorkingDays, daysPast, workingDaysLeft, type DayRules } from '../../masterdata/calendar/working-days.js';

/**
 * The clock of a request for information under the Law on Access to Information 104/2016/QH13, Art. 28: an answer
 * within 10 working days of the day the agency received it, extendable once by at most 10 working days. Working days
 * are the calendar's (`masterdata/calendar`: weekends, public holidays, Tết, shifted days). Plain functions.
 */
export const ANSWER_WORKING_DAYS = 10;
export const EXTENSION_WORKING_DAYS = 10;

/** The end (in Hà Nội) of the 10th working day after the day received, or the 20th once extended. */
export function answerDue(receivedAt: Date, extended: boolean, rules: DayRules): Date {
  return addWorkingDays(receivedAt, ANSWER_WORKING_DAYS + (extended ? EXTENSION_WORKING_DAYS : 0), rules);
}

export interface Clock {
  due: Date;
  /** working days left after today (0 on the last day and once past) */
  daysLeft: number;
  /** whole days past the deadline (0 if not late) */
  daysLate: number;
}

/** Where an open request's clock stands at `now`. */
export function clockAt(due: Date, now: Date, rules: DayRules): Clock {
  return { due, daysLeft: workingDaysLeft(now, due, rules), daysLate: daysPast(due, now) };
}
