import { invalid, type ErrorDetail } from '../../platform/errors.js';
import type { TableSchemaBody } from '../catalog.schema.js';
import type { DictionaryFieldRow } from './dictionary.repository.js';

export interface ResolvedField {
  name: string;
  type: string;
  format?: string;
  title?: string;
  description?: string;
  constraints?: Record<string, unknown>;
  /** Frictionless allows custom properties: the stable id of the dictionary entry. */
  'ndp:dictionary'?: string;
  /** the entry's version the field was resolved from: a later change of the entry does not change this schema */
  'ndp:dictionaryVersion'?: number;
  'ndp:codeList'?: string;
  'ndp:unit'?: string;
  /** the personal-data category of the entry (Decree 356), when it has one */
  'ndp:personalData'?: string;
}

export interface ResolvedSchema {
  fields: ResolvedField[];
  primaryKey?: string | string[];
  missingValues?: string[];
}

/**
 * A Table Schema resolved against the dictionary's approved entries: a field that names an entry takes its type,
 * format, constraints (an inline code list as `enum`) and labels unless it says otherwise, must not contradict the
 * entry's type, and records the entry's version.
 */
export function resolveAgainst(schema: TableSchemaBody, entries: Map<string, DictionaryFieldRow>): ResolvedSchema {
  const problems: ErrorDetail[] = [];
  const names = new Set<string>();
  const fields = schema.fields.map((f, i): ResolvedField => {
    if (names.has(f.name))
      problems.push({
        field: `fields.${i}.name`,
        vi: `Tên cột “${f.name}” bị trùng.`,
        en: `Duplicate column name “${f.name}”.`,
      });
    names.add(f.name);
    const entry = f.dictionary ? entries.get(f.dictionary) : undefined;
    if (f.dictionary && !entry) {
      problems.push({
        field: `fields.${i}.dictionary`,
        vi: `Từ điển không có trường “${f.dictionary}”.`,
        en: `The dictionary has no field “${f.dictionary}”.`,
      });
    }
    if (entry && f.type && f.type !== entry.type) {
      problems.push({
        field: `fields.${i}.type`,
        vi: `Kiểu “${f.type}” khác kiểu “${entry.type}” trong từ điển.`,
        en: `Type “${f.type}” contradicts the dictionary’s “${entry.type}”.`,
      });
    }
    const resolved: ResolvedField = { name: f.name, type: f.type ?? entry?.type ?? 'string' };
    const format = f.format ?? entry?.format ?? undefined;
    if (format) resolved.format = format;
    const title = f.title ?? entry?.label_vi;
    if (title) resolved.title = title;
    const description = f.description ?? entry?.description_vi ?? undefined;
    if (description) resolved.description = description;
    const codes = entry?.codes?.length ? { enum: entry.codes.map((c) => c.code) } : {};
    const constraints = { ...codes, ...(entry?.constraints ?? {}), ...(f.constraints ?? {}) };
    if (Object.keys(constraints).length) resolved.constraints = constraints;
    if (entry) {
      resolved['ndp:dictionary'] = entry.id;
      resolved['ndp:dictionaryVersion'] = entry.version;
    }
    if (entry?.code_list) resolved['ndp:codeList'] = entry.code_list;
    if (entry?.unit) resolved['ndp:unit'] = entry.unit;
    if (entry?.personal_data) resolved['ndp:personalData'] = entry.personal_data;
    return resolved;
  });
  const pk =
    schema.primaryKey === undefined ? [] : Array.isArray(schema.primaryKey) ? schema.primaryKey : [schema.primaryKey];
  for (const k of pk)
    if (!names.has(k))
      problems.push({
        field: 'primaryKey',
        vi: `Khóa chính “${k}” không phải là cột.`,
        en: `Primary key “${k}” is not a column.`,
      });
  if (problems.length) throw invalid(problems);
  return {
    fields,
    ...(schema.primaryKey !== undefined ? { primaryKey: schema.primaryKey } : {}),
    ...(schema.missingValues ? { missingValues: schema.missingValues } : {}),
  };
}
