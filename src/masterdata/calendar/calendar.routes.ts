import type { Server } from '../../platform/http.js';
import { platformAdmin, userOf } from '../../accounts/guards.js';
import type { CalendarDayRow, CalendarService } from './calendar.service.js';
import { CalendarDayBody, DayParam, YearQuery } from './calendar.schema.js';
import { vnDay } from './working-days.js';

const present = (d: CalendarDayRow) => ({
  day: d.day,
  kind: d.kind,
  name_vi: d.name_vi,
  name_en: d.name_en,
  source: d.source,
  updated_at: d.updated_at.toISOString(),
});

/** The working calendar: anyone reads a year of it; a platform administrator adds, corrects or removes a day. */
export function calendarRoutes(app: Server, calendar: CalendarService): void {
  const tags = ['master data'];
  app.get(
    '/api/v1/calendar/days',
    {
      schema: {
        tags,
        summary: 'Days off and shifted working days of a year in Vietnam, with their sources (default: this year)',
        querystring: YearQuery,
      },
    },
    async (req) => {
      const year = req.query.year ?? Number(vnDay(new Date()).slice(0, 4));
      return { year, days: (await calendar.ofYear(year)).map(present) };
    },
  );
  app.put(
    '/api/v1/calendar/days/:day',
    {
      schema: {
        tags,
        summary: 'Add or correct a day of the calendar (platform admin)',
        params: DayParam,
        body: CalendarDayBody,
      },
      preHandler: platformAdmin,
    },
    async (req) => ({ day: present(await calendar.put(userOf(req), req.params.day, req.body)) }),
  );
  app.delete(
    '/api/v1/calendar/days/:day',
    {
      schema: { tags, summary: 'Remove a day from the calendar (platform admin)', params: DayParam },
      preHandler: platformAdmin,
    },
    async (req, reply) => {
      await calendar.remove(userOf(req), req.params.day);
      return reply.status(204).send();
    },
  );
}
