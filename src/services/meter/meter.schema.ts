import { type Static, Type } from '@sinclair/typebox';
import { TYPED_MOST_LIMIT } from './meter.service.js';

const Day = (description: string) => Type.String({ format: 'date', description });
const period = {
  from: Type.Optional(Day('the first day counted (YYYY-MM-DD, Vietnam time), by the dossier’s submission')),
  to: Type.Optional(Day('the last day counted (YYYY-MM-DD, Vietnam time), included')),
  agency: Type.Optional(
    Type.String({ maxLength: 200, description: 'an agency’s id, slug or code: its dossiers and its communes’' }),
  ),
};

export const SharesQuery = Type.Object({
  by: Type.Optional(
    Type.Union([Type.Literal('procedure'), Type.Literal('agency'), Type.Literal('province')], { default: 'agency' }),
  ),
  ...period,
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' })),
});
export type SharesQuery = Static<typeof SharesQuery>;

export const TypedQuery = Type.Object({
  ...period,
  procedure: Type.Optional(Type.String({ maxLength: 200, description: 'a procedure’s id or code' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: TYPED_MOST_LIMIT, default: 20 })),
});
export type TypedQuery = Static<typeof TypedQuery>;
