import { sql, type Kysely } from 'kysely';

export type CalendarDayKind = 'holiday' | 'compensatory' | 'shifted_day_off' | 'shifted_working_day';

export interface CalendarDayRow {
  day: string;
  kind: CalendarDayKind;
  name_vi: string;
  name_en: string;
  source: string;
  updated_at: Date;
}

// dates leave as the civil date text, never as a Date shifted by the server's time zone
const columns = [
  sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day'),
  'kind',
  'name_vi',
  'name_en',
  'source',
  'updated_at',
] as const;

/** The calendar's days; the only SQL of the calendar service. */
export class CalendarRepository {
  constructor(private readonly db: Kysely<any>) {}

  all(): Promise<CalendarDayRow[]> {
    return this.db.selectFrom('calendar_days').select(columns).orderBy('day').execute() as Promise<CalendarDayRow[]>;
  }

  ofYear(year: number): Promise<CalendarDayRow[]> {
    return this.db
      .selectFrom('calendar_days')
      .select(columns)
      .where('day', '>=', sql<string>`make_date(${year}::int, 1, 1)`)
      .where('day', '<', sql<string>`make_date(${year + 1}::int, 1, 1)`)
      .orderBy('day')
      .execute() as Promise<CalendarDayRow[]>;
  }

  get(trx: Kysely<any>, day: string): Promise<CalendarDayRow | undefined> {
    return trx
      .selectFrom('calendar_days')
      .select(columns)
      .where('day', '=', sql<string>`${day}::date`)
      .executeTakeFirst() as Promise<CalendarDayRow | undefined>;
  }

  async put(trx: Kysely<any>, row: Omit<CalendarDayRow, 'updated_at'>, by: string): Promise<void> {
    await trx
      .insertInto('calendar_days')
      .values({ ...row, day: sql`${row.day}::date`, updated_by: by })
      .onConflict((oc) =>
        oc.column('day').doUpdateSet({
          kind: row.kind,
          name_vi: row.name_vi,
          name_en: row.name_en,
          source: row.source,
          updated_by: by,
          updated_at: sql`now()`,
        }),
      )
      .execute();
  }

  async remove(trx: Kysely<any>, day: string): Promise<void> {
    await trx.deleteFrom('calendar_days').where('day', '=', sql<string>`${day}::date`).execute();
  }
}
