import type { Kysely } from 'kysely';
import { invalid, notFound } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { actorOf, requirePlatformAdmin, type Principal } from '../../accounts/principal.js';
import { CalendarRepository, type CalendarDayRow } from './calendar.repository.js';
import type { CalendarDayBody } from './calendar.schema.js';
import { addCalendarDays, addWorkingDays, isWorkingDay, type DayRules } from './working-days.js';

export type { CalendarDayRow, CalendarDayKind } from './calendar.repository.js';

/** Kept this long before read again: an edit here is seen at once, one in another process within a minute. */
const CACHE_MS = 60_000;
const DAY = { vi: 'ngày', en: 'Day' };

/**
 * Vietnam's working calendar as master data: public holidays, compensatory and shifted days off, shifted working
 * Saturdays, each with its source. Other parts ask it for deadlines (`addWorkingDays`, `addDays`); a platform
 * administrator edits it (audited).
 */
export class CalendarService {
  private readonly repo: CalendarRepository;
  private cached: { rules: DayRules; at: number } | null = null;

  constructor(private readonly db: Kysely<any>) {
    this.repo = new CalendarRepository(db);
  }

  /** The rules of the calendar as they stand (read before any transaction: the embedded database has one connection). */
  async rules(): Promise<DayRules> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.rules;
    const rows = await this.repo.all();
    const rules: DayRules = {
      daysOff: new Set(rows.filter((r) => r.kind !== 'shifted_working_day').map((r) => r.day)),
      workingDays: new Set(rows.filter((r) => r.kind === 'shifted_working_day').map((r) => r.day)),
    };
    this.cached = { rules, at: Date.now() };
    return rules;
  }

  /** The end (in Vietnam) of the n-th working day after `at`. */
  async addWorkingDays(at: Date, n: number): Promise<Date> {
    return addWorkingDays(at, n, await this.rules());
  }

  /** The end (in Vietnam) of the day n calendar days after the day of `at`. */
  addDays(at: Date, n: number): Date {
    return addCalendarDays(at, n);
  }

  async isWorkingDay(day: string): Promise<boolean> {
    return isWorkingDay(day, await this.rules());
  }

  /** The days of a year the calendar names, with their sources. Public. */
  ofYear(year: number): Promise<CalendarDayRow[]> {
    return this.repo.ofYear(year);
  }

  /** Adds or corrects a day (platform administrator), with the before and after in the audit trail. */
  async put(p: Principal, day: string, body: CalendarDayBody): Promise<CalendarDayRow> {
    const user = requirePlatformAdmin(p);
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    if (body.kind === 'shifted_working_day' && !weekend)
      throw invalid([
        {
          field: 'kind',
          vi: 'Ngày làm bù phải là thứ Bảy hoặc Chủ nhật.',
          en: 'A shifted working day must be a Saturday or a Sunday.',
        },
      ]);
    if ((body.kind === 'compensatory' || body.kind === 'shifted_day_off') && weekend)
      throw invalid([
        {
          field: 'kind',
          vi: 'Ngày nghỉ bù hoặc nghỉ hoán đổi phải là ngày trong tuần.',
          en: 'A compensatory or shifted day off must be a weekday.',
        },
      ]);
    const row = await this.db.transaction().execute(async (trx) => {
      const before = await this.repo.get(trx, day);
      await this.repo.put(trx, { day, ...body }, user.userId);
      await recordAudit(trx, actorOf(p), {
        action: before ? 'calendar.day.update' : 'calendar.day.create',
        entityType: 'calendar_day',
        entityId: day,
        before: before ?? undefined,
        after: body,
      });
      return (await this.repo.get(trx, day))!;
    });
    this.cached = null;
    return row;
  }

  async remove(p: Principal, day: string): Promise<void> {
    requirePlatformAdmin(p);
    await this.db.transaction().execute(async (trx) => {
      const before = await this.repo.get(trx, day);
      if (!before) throw notFound(DAY, day);
      await this.repo.remove(trx, day);
      await recordAudit(trx, actorOf(p), {
        action: 'calendar.day.delete',
        entityType: 'calendar_day',
        entityId: day,
        before,
      });
    });
    this.cached = null;
  }
}
