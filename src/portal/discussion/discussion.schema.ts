import { type Static, Type } from '@sinclair/typebox';

/** Loose bounds at the edge; the service says precisely what is wrong, in both languages. */
export const QuestionBody = Type.Object(
  {
    /** the data set, by slug or id */
    dataset: Type.String({ maxLength: 200 }),
    title: Type.String({ maxLength: 400 }),
    body: Type.String({ maxLength: 8000 }),
  },
  { additionalProperties: false },
);
export type QuestionBody = Static<typeof QuestionBody>;

export const AnswerBody = Type.Object({ body: Type.String({ maxLength: 8000 }) }, { additionalProperties: false });

export const QuestionListQuery = Type.Object({
  dataset: Type.String({ maxLength: 200 }),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});

export const CountsQuery = Type.Object({
  agency: Type.Optional(Type.String({ maxLength: 200 })),
  from: Type.Optional(Type.String({ format: 'date' })),
  to: Type.Optional(Type.String({ format: 'date' })),
});
