import { DomainError, type ErrorDetail } from '../../platform/errors.js';
import { PERSON_PLACEHOLDER, type ProcedureRow, type SourceRow } from './procedure.js';
import type { ProcedureBody, SourceBody } from './procedures.schema.js';

export type ProcedureInput = ProcedureBody;
export type SourceInput = SourceBody;
type Checked = Pick<
  ProcedureRow,
  | 'code'
  | 'name_vi'
  | 'name_en'
  | 'description_vi'
  | 'description_en'
  | 'legal_basis'
  | 'processing_days'
  | 'fields'
  | 'result'
>;

/** The rules of a procedure's form beyond its schema: keys unique, elements known, result fields copying real fields. */
export function checkProcedure(b: ProcedureInput, knownElements: Set<string>): Checked {
  const problems: ErrorDetail[] = [];
  const keys = new Set<string>();
  b.fields.forEach((f, i) => {
    if (keys.has(f.key))
      problems.push({
        field: `fields[${i}].key`,
        vi: `Trường “${f.key}” bị trùng.`,
        en: `Field “${f.key}” is repeated.`,
      });
    keys.add(f.key);
    if (f.element && !knownElements.has(f.element))
      problems.push({
        field: `fields[${i}].element`,
        vi: `Từ điển dữ liệu không có trường “${f.element}”.`,
        en: `The data dictionary has no element “${f.element}”.`,
      });
  });
  const resultKeys = new Set<string>();
  b.result.fields.forEach((f, i) => {
    if (resultKeys.has(f.key))
      problems.push({
        field: `result.fields[${i}].key`,
        vi: `Trường “${f.key}” bị trùng.`,
        en: `Field “${f.key}” is repeated.`,
      });
    resultKeys.add(f.key);
    if (f.from && !keys.has(f.from))
      problems.push({
        field: `result.fields[${i}].from`,
        vi: `Biểu mẫu không có trường “${f.from}”.`,
        en: `The form has no field “${f.from}”.`,
      });
    if (f.element && !knownElements.has(f.element))
      problems.push({
        field: `result.fields[${i}].element`,
        vi: `Từ điển dữ liệu không có trường “${f.element}”.`,
        en: `The data dictionary has no element “${f.element}”.`,
      });
  });
  if (problems.length) throw new DomainError('VALIDATION_FAILED', undefined, problems);
  return {
    code: b.code,
    name_vi: b.name_vi.trim(),
    name_en: b.name_en?.trim() || null,
    description_vi: b.description_vi?.trim() ?? '',
    description_en: b.description_en?.trim() || null,
    legal_basis: b.legal_basis.trim(),
    processing_days: b.processing_days,
    fields: b.fields.map((f) => ({
      ...f,
      label_en: f.label_en ?? null,
      help_vi: f.help_vi ?? null,
      help_en: f.help_en ?? null,
    })),
    result: {
      ...b.result,
      title_en: b.result.title_en ?? null,
      fields: b.result.fields.map((f) => ({ ...f, label_en: f.label_en ?? null })),
    },
  };
}

type CheckedSource = Omit<SourceRow, 'agency_id' | 'updated_at'>;

/** A source's own rules: a known element; a register's path names the person exactly once. */
export function checkSource(b: SourceInput, knownElements: Set<string>): CheckedSource {
  if (!knownElements.has(b.element))
    throw new DomainError('VALIDATION_FAILED', undefined, [
      {
        field: 'element',
        vi: `Từ điển dữ liệu không có trường “${b.element}”.`,
        en: `The data dictionary has no element “${b.element}”.`,
      },
    ]);
  if (b.kind === 'result')
    return {
      element_id: b.element,
      kind: 'result',
      database_id: null,
      service: null,
      path_template: null,
      response_field: null,
      procedure_id: b.procedure,
      result_field: b.field,
    };
  if (b.path.split(PERSON_PLACEHOLDER).length !== 2)
    throw new DomainError('VALIDATION_FAILED', undefined, [
      {
        field: 'path',
        vi: 'Đường dẫn phải chứa đúng một lần {person} (số định danh của người nộp).',
        en: 'The path must hold {person} (the applicant’s id number) exactly once.',
      },
    ]);
  return {
    element_id: b.element,
    kind: 'register',
    database_id: b.database,
    service: b.service,
    path_template: b.path,
    response_field: b.field,
    procedure_id: null,
    result_field: null,
  };
}
