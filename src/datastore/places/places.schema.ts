import { Type, type Static } from '@sinclair/typebox';

export const FileParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const ColumnId = (description: string) => Type.String({ minLength: 1, maxLength: 63, description });

/** The publisher's word: which column of names becomes which code column. */
export const AddCodeColumnBody = Type.Object(
  {
    column: ColumnId('The column of place names (its id in the table API)'),
    level: Type.Optional(
      Type.Union([Type.Literal('province'), Type.Literal('commune')], {
        description: 'Province or commune names; by default what the column was recognised as',
      }),
    ),
    vintage: Type.Optional(
      Type.Union([Type.Literal('2025'), Type.Literal('pre-2025')], {
        description:
          'The codes wanted: 2025 (default; pre-2025 names mapped through the crosswalk) or pre-2025 (the 63 provinces)',
      }),
    ),
    province_column: Type.Optional(
      Type.Union([ColumnId('For commune names: the column of province names that tells them apart'), Type.Null()]),
    ),
    name: Type.Optional(
      Type.String({
        pattern: '^[a-z_][a-z0-9_]{0,49}$',
        description: 'The new column’s name (default `ma_tinh` / `ma_xa`)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type AddCodeColumnBody = Static<typeof AddCodeColumnBody>;
