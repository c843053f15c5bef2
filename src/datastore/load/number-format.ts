import type { ColumnProfile, NumberStyle } from './infer.js';

/**
 * A column's number format, as its Frictionless Table Schema field may declare
 * it (`decimalChar`, `groupChar`): a declared format wins over the file's.
 */
export interface NumberFormatField {
  name: string;
  type: string;
  decimalChar?: string;
  groupChar?: string;
  bareNumber?: boolean;
}

/** The style a field declares: a decimal comma or a dot between groups is Vietnamese; the reverse, international. */
export function declaredNumberStyle(field: Partial<NumberFormatField> | undefined): NumberStyle | undefined {
  if (!field) return undefined;
  if (field.decimalChar === ',' || field.groupChar === '.') return 'vietnamese';
  if (field.decimalChar === '.' || field.groupChar === ',') return 'international';
  return undefined;
}

/** The Table Schema properties of a style, for the field a publisher's choice writes. */
export const FORMAT_FIELDS: Record<NumberStyle, { decimalChar: string; groupChar: string }> = {
  vietnamese: { decimalChar: ',', groupChar: '.' },
  international: { decimalChar: '.', groupChar: ',' },
};

/**
 * A number column whose own values read both ways (`7.512`): the reading taken,
 * and whether the rest of the file decided it (`file`) or nothing did and a
 * lone separator before three digits was read as thousands (`default`).
 */
export interface NumberReading {
  column: string;
  title: string;
  style: NumberStyle;
  by: 'file' | 'default';
  examples: string[];
}

/** The readings to report: number columns the file left ambiguous and no Table Schema field declared. */
export function numberReadings(
  columns: { id: string; title: string; type: string; numberStyle: NumberStyle }[],
  profiles: Pick<ColumnProfile, 'reading'>[],
  fields: Partial<NumberFormatField>[] = [],
): NumberReading[] {
  return columns.flatMap((c, i) => {
    const reading = profiles[i]?.reading;
    if (!reading || (c.type !== 'integer' && c.type !== 'number')) return [];
    if (declaredNumberStyle(fields.find((f) => f.name === c.title))) return [];
    return [{ column: c.id, title: c.title, style: c.numberStyle, by: reading.by, examples: reading.examples }];
  });
}
