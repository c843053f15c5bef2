import { Type, type Static } from '@sinclair/typebox';

/**
 * A check suite is data, not code: a list of built-in check types with their
 * parameters, kept per distribution and sent as JSON. The names of failures
 * follow Frictionless's error types where they overlap.
 */
const Column = Type.String({ minLength: 1, maxLength: 120, description: 'a column id of the loaded table' });

export const CheckBody = Type.Union([
  Type.Object(
    {
      type: Type.Literal('row_count'),
      min: Type.Optional(Type.Integer({ minimum: 0 })),
      max: Type.Optional(Type.Integer({ minimum: 0 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('missing'),
      column: Column,
      max_count: Type.Optional(Type.Integer({ minimum: 0 })),
      max_percent: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal('duplicates'), columns: Type.Array(Column, { minItems: 1, maxItems: 10 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('in_set'),
      column: Column,
      values: Type.Array(Type.String({ maxLength: 500 }), { minItems: 1, maxItems: 1000 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('code_list'),
      column: Column,
      list: Type.Union([Type.Literal('vn-provinces'), Type.Literal('vn-communes'), Type.Literal('vn-admin-units')]),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('pattern'),
      column: Column,
      regex: Type.String({
        minLength: 1,
        maxLength: 500,
        description: 'a PostgreSQL regular expression the whole value must match',
      }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('format'),
      column: Column,
      format: Type.Union([
        Type.Literal('cccd'),
        Type.Literal('mst'),
        Type.Literal('phone_vn'),
        Type.Literal('email'),
        Type.Literal('postal_code_vn'),
      ]),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('bounds'),
      column: Column,
      min: Type.Optional(Type.Number()),
      max: Type.Optional(Type.Number()),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    { type: Type.Literal('structure') },
    {
      additionalProperties: false,
      description:
        'the file as written: blank or duplicate labels, missing and extra cells, blank rows (delimited files)',
    },
  ),
  Type.Object(
    { type: Type.Literal('freshness'), column: Column, max_age_days: Type.Integer({ minimum: 0, maximum: 36500 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('reference'),
      column: Column,
      table: Type.String({
        format: 'uuid',
        description:
          'the file (distribution) whose loaded table holds the allowed values; it must be published or yours',
      }),
      target_column: Column,
    },
    {
      additionalProperties: false,
      description: 'referential integrity: every value is found in a column of another table',
    },
  ),
  Type.Object(
    {
      type: Type.Literal('schema'),
      columns: Type.Optional(
        Type.Array(
          Type.Object(
            { id: Column, type: Type.String({ minLength: 1, maxLength: 20 }) },
            { additionalProperties: false },
          ),
          { minItems: 1, maxItems: 500 },
        ),
      ),
    },
    {
      additionalProperties: false,
      description: 'schema drift: the columns and their types, against the list given or else the previous version',
    },
  ),
  Type.Object(
    {
      type: Type.Literal('anomaly'),
      metric: Type.Union([
        Type.Literal('row_count'),
        Type.Literal('missing_percent'),
        Type.Literal('mean'),
        Type.Literal('distinct'),
      ]),
      column: Type.Optional(Column),
      threshold: Type.Optional(
        Type.Number({
          minimum: 1,
          maximum: 20,
          description: 'robust z-score beyond which the value is unusual (default 3.5)',
        }),
      ),
      min_history: Type.Optional(
        Type.Integer({ minimum: 3, maximum: 100, description: 'earlier versions needed before judging (default 5)' }),
      ),
    },
    {
      additionalProperties: false,
      description:
        'distribution anomaly: the metric against its values in earlier versions, by robust z-score (median and MAD)',
    },
  ),
]);
export type Check = Static<typeof CheckBody>;

/**
 * The most checks a suite may hold. The suggestion for a wide table has about two per column (a missing-cell guard
 * and bounds or a format), so a 90-column file suggests 183: the cap must take what the product suggests. It still
 * bounds the work of a run: every row-level check is one aggregate of the single pass over the table (PostgreSQL
 * takes at most 1,664 in one select list), duplicates one grouped query each, samples only for failed checks.
 */
export const MAX_CHECKS = 1000;

export const SuiteBody = Type.Object(
  { checks: Type.Array(CheckBody, { minItems: 1, maxItems: MAX_CHECKS }) },
  { additionalProperties: false },
);
export type Suite = Static<typeof SuiteBody>;

/** One check's outcome; `error` when it could not be evaluated (never a silent pass). */
export interface CheckResult {
  check: Check;
  status: 'passed' | 'failed' | 'error';
  /** Frictionless-style name of the failure */
  error_type?: string;
  rows_checked?: number;
  failures?: number;
  observed?: unknown;
  samples?: { row: number; value: unknown }[];
  message: { vi: string; en: string };
}
