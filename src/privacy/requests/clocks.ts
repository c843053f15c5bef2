import { addCalendarDays, addWorkingDays, daysPast, type DayRules } from '../../masterdata/calendar/working-days.js';

/**
 * The statutory clocks of a data subject's request (Law 91/2025/QH15 and Decree 356/2025/NĐ-CP; the README names the
 * provisions followed): acknowledged within 2 working days; completed within 15 days, 20 where a processor or a third
 * party must act; one extension of at most 15 days, with a reason. Plain functions over plain data.
 */
export const ACKNOWLEDGE_WORKING_DAYS = 2;
export const COMPLETE_DAYS = 15;
export const COMPLETE_DAYS_WITH_THIRD_PARTY = 20;
export const MAX_EXTENSION_DAYS = 15;

export function acknowledgeDue(receivedAt: Date, rules: DayRules): Date {
  return addWorkingDays(receivedAt, ACKNOWLEDGE_WORKING_DAYS, rules);
}

export function completeDue(receivedAt: Date, thirdParty: boolean, extensionDays: number | null): Date {
  return addCalendarDays(
    receivedAt,
    (thirdParty ? COMPLETE_DAYS_WITH_THIRD_PARTY : COMPLETE_DAYS) + (extensionDays ?? 0),
  );
}

export interface Clocked {
  status: 'received' | 'acknowledged' | 'extended' | 'completed' | 'refused';
  acknowledge_due: Date;
  complete_due: Date;
  acknowledged_at: Date | null;
  closed_at: Date | null;
}

export interface Lateness {
  /** which clock ran out: the acknowledgement's or the answer's */
  clock: 'acknowledge' | 'complete';
  due: Date;
  /** whole days past the deadline, a part of a day counting as one */
  daysLate: number;
}

/** The clocks of an open request that have run out by `now` (none once it is completed or refused). */
export function lateness(r: Clocked, now: Date): Lateness[] {
  if (r.closed_at) return [];
  const late: Lateness[] = [];
  const days = (due: Date) => daysPast(due, now);
  if (!r.acknowledged_at && now > r.acknowledge_due)
    late.push({ clock: 'acknowledge', due: r.acknowledge_due, daysLate: days(r.acknowledge_due) });
  if (now > r.complete_due) late.push({ clock: 'complete', due: r.complete_due, daysLate: days(r.complete_due) });
  return late;
}
