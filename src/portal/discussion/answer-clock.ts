import { addWorkingDays, type DayRules } from '../../masterdata/calendar/working-days.js';

/**
 * A question is due an answer by the end (in Hà Nội) of the 10th working day after the day it was asked: the time the
 * Law on Access to Information (104/2016/QH13) gives an agency to provide information asked of it. A question about
 * published data is a lighter thing than a formal request, so the law's time is a ceiling the portal holds
 * publishers to, not a legal duty (README).
 */
export const ANSWER_WORKING_DAYS = 10;

export function answerDue(askedAt: Date, rules: DayRules): Date {
  return addWorkingDays(askedAt, ANSWER_WORKING_DAYS, rules);
}

export type Timeliness = 'open' | 'overdue' | 'answered_in_time' | 'answered_late';

/** Where a question stands against its deadline at `now`. */
export function timeliness(q: { answer_due: Date; answered_at: Date | null }, now: Date): Timeliness {
  if (q.answered_at) return q.answered_at <= q.answer_due ? 'answered_in_time' : 'answered_late';
  return now > q.answer_due ? 'overdue' : 'open';
}
