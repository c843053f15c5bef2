import { DomainError } from '../platform/errors.js';
import type { TableRow } from '../datastore/query/datastore.service.js';
import { FORMAT_FIELDS, type NumberFormatField, type NumberReading } from '../datastore/load/number-format.js';

/*
 * A column's number format is part of its type, kept in its Table Schema field (`decimalChar`, `groupChar`): the
 * types form sets it with the type, and the load report's switch sets the other reading of an ambiguous column.
 */

type Field = Partial<NumberFormatField> & { name: string; type: string };

/** A field with the number format the types form chose (`vietnamese`, `international`); any other value leaves it. */
export function numberFormatField(field: Field, chosen: unknown): Field {
  if ((chosen !== 'vietnamese' && chosen !== 'international') || (field.type !== 'integer' && field.type !== 'number'))
    return field;
  return { ...field, ...FORMAT_FIELDS[chosen] };
}

const NO_SUCH = {
  vi: 'Không có cột số nào như vậy trong lần nạp mới nhất.',
  en: 'The latest load has no such number column.',
};

/**
 * The Table Schema's fields with one number column read the other way: its format declared, and its type whole
 * numbers when the separator before three digits now groups thousands (`7.512` → 7512), decimals otherwise.
 * The other fields are kept as they are.
 */
export function switchedNumberField(
  latest: TableRow | undefined,
  fields: Field[],
  column: unknown,
  style: unknown,
): Field[] {
  if (style !== 'vietnamese' && style !== 'international')
    throw new DomainError('VALIDATION_FAILED', {
      vi: 'Cách đọc số phải là kiểu Việt Nam hoặc kiểu quốc tế.',
      en: 'The number format must be Vietnamese or international.',
    });
  const c = latest?.columns.find((x) => x.id === column && (x.type === 'integer' || x.type === 'number'));
  if (!c) throw new DomainError('VALIDATION_FAILED', NO_SUCH);
  const readings = ((latest!.report ?? {}) as { number_readings?: NumberReading[] }).number_readings ?? [];
  const dot = readings.find((r) => r.column === c.id)?.examples.some((e) => e.includes('.')) ?? true;
  const thousands = (style === 'vietnamese') === dot;
  const existing = fields.find((f) => f.name === c.title);
  const field: Field = { ...existing, name: c.title, type: thousands ? 'integer' : 'number', ...FORMAT_FIELDS[style] };
  return existing ? fields.map((f) => (f === existing ? field : f)) : [...fields, field];
}
