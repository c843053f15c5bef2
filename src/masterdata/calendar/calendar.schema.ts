import { Type, type Static } from '@sinclair/typebox';

export const DayParam = Type.Object({
  day: Type.String({ format: 'date', description: 'the civil date in Vietnam, YYYY-MM-DD' }),
});
export type DayParam = Static<typeof DayParam>;

export const YearQuery = Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })) });

/** A day off or a shifted working day, with the document that decided it. */
export const CalendarDayBody = Type.Object(
  {
    kind: Type.Union([
      Type.Literal('holiday'),
      Type.Literal('compensatory'),
      Type.Literal('shifted_day_off'),
      Type.Literal('shifted_working_day'),
    ]),
    name_vi: Type.String({ minLength: 1, maxLength: 200 }),
    name_en: Type.String({ minLength: 1, maxLength: 200 }),
    source: Type.String({
      minLength: 3,
      maxLength: 500,
      description: 'the law or the Government notice that makes this day what it is',
    }),
  },
  { additionalProperties: false },
);
export type CalendarDayBody = Static<typeof CalendarDayBody>;
