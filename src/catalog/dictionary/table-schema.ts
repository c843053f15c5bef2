import { Value } from '@sinclair/typebox/value';
import type { ErrorDetail } from '../../platform/errors.js';
import { levelOf } from '../personal-data.js';
import type { DictionaryFieldRow } from './dictionary.repository.js';
import { DictionaryFieldBody } from './dictionary.schema.js';

/** The Table Schema profile the export names; an import accepts any Table Schema. */
export const TABLE_SCHEMA_PROFILE = 'https://specs.frictionlessdata.io/schemas/table-schema.json';

/**
 * Dictionary fields as a Frictionless Table Schema: each field's name is its id, its title and description the
 * Vietnamese ones (`title:en`, `description:en` the English), and what Table Schema has no word for is an `ndp:`
 * property (custom properties are allowed), so an import of the export gives the same fields back.
 */
export function toTableSchema(fields: DictionaryFieldRow[]) {
  return {
    $schema: TABLE_SCHEMA_PROFILE,
    profile: 'ndp-data-dictionary',
    version: 1,
    exported_at: new Date().toISOString(),
    fields: fields.map((f) => {
      const constraints = { ...f.constraints };
      if (f.codes?.length && !constraints.enum) constraints.enum = f.codes.map((c) => c.code);
      return {
        name: f.id,
        type: f.type,
        ...(f.format ? { format: f.format } : {}),
        title: f.label_vi,
        'title:en': f.label_en,
        ...(f.description_vi ? { description: f.description_vi } : {}),
        ...(f.description_en ? { 'description:en': f.description_en } : {}),
        ...(Object.keys(constraints).length ? { constraints } : {}),
        ...(f.unit ? { 'ndp:unit': f.unit } : {}),
        ...(f.code_list ? { 'ndp:codeList': f.code_list } : {}),
        ...(f.codes?.length ? { 'ndp:codes': f.codes } : {}),
        ...(f.personal_data
          ? { 'ndp:personalData': f.personal_data, 'ndp:personalDataLevel': levelOf(f.personal_data) }
          : {}),
        'ndp:version': f.version,
      };
    }),
  };
}

/** One Table Schema field read as a dictionary field, or what is wrong with it (paths `fields.N.…`). */
export function fromTableSchemaField(
  raw: unknown,
  i: number,
  agencyId: string | null,
): { body: DictionaryFieldBody } | { problems: ErrorDetail[] } {
  const at = `fields.${i}`;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return {
      problems: [
        { field: at, vi: `Trường thứ ${i + 1} không phải là một đối tượng.`, en: `Field ${i + 1} is not an object.` },
      ],
    };
  const f = raw as Record<string, unknown>;
  const name = typeof f.name === 'string' ? f.name : '';
  const constraints = f.constraints && typeof f.constraints === 'object' ? { ...(f.constraints as object) } : undefined;
  const codes = f['ndp:codes'];
  // an enum the export drew from the inline codes is not a constraint of its own
  if (constraints && Array.isArray(codes) && 'enum' in constraints) delete (constraints as { enum?: unknown }).enum;
  const body: Record<string, unknown> = {
    id: name,
    label_vi: f.title,
    label_en: f['title:en'] ?? f.title,
    description_vi: f.description,
    description_en: f['description:en'],
    type: f.type ?? 'string', // Table Schema's default type
    format: f.format === 'default' ? undefined : f.format,
    unit: f['ndp:unit'],
    constraints: constraints && Object.keys(constraints).length ? constraints : undefined,
    code_list: f['ndp:codeList'],
    codes,
    personal_data: f['ndp:personalData'],
  };
  for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
  // the owner is checked by the service, not here (TypeBox's checker knows no uuid format)
  if (Value.Check(DictionaryFieldBody, body))
    return { body: { ...(body as DictionaryFieldBody), agency_id: agencyId } };
  const props = new Set<string>();
  for (const e of Value.Errors(DictionaryFieldBody, body)) props.add(e.path.split('/')[1] || 'name');
  const who = name ? `“${name}”` : `${i + 1}`;
  return {
    problems: [...props].map((p) => {
      const prop = SOURCE[p] ?? p;
      return {
        field: `${at}.${prop}`,
        vi: `Trường ${who}: “${prop}” thiếu hoặc không hợp lệ.`,
        en: `Field ${who}: “${prop}” is missing or not valid.`,
      };
    }),
  };
}

/** The Table Schema property each dictionary property comes from, to name it in an error. */
const SOURCE: Record<string, string> = {
  id: 'name',
  label_vi: 'title',
  label_en: 'title:en',
  description_vi: 'description',
  description_en: 'description:en',
  unit: 'ndp:unit',
  code_list: 'ndp:codeList',
  codes: 'ndp:codes',
  personal_data: 'ndp:personalData',
};
