import type { Prefill } from './prefill.types.js';
import type { PrefillService, SourceNames } from './prefill.service.js';

/**
 * A prefill as its person reads it through the API: every form field in the form's order, with the value and its
 * source (agency, database, when it was read) or why there is none; fields asked of the applicant are `asked`.
 */
export function presentPrefill(p: Prefill, fields: ReturnType<PrefillService['preview']>, names: SourceNames) {
  const named = (m: Map<string, { vi: string; en: string }>, id: string | null) =>
    id ? { id, name_vi: m.get(id)?.vi ?? null, name_en: m.get(id)?.en ?? null } : null;
  return {
    id: p.id,
    procedure: { code: p.procedure.code, name_vi: p.procedure.name_vi, name_en: p.procedure.name_en },
    created_at: p.createdAt.toISOString(),
    expires_at: p.expiresAt.toISOString(),
    fields: fields.map(({ field, prefilled }) => {
      const value = prefilled && 'value' in prefilled ? prefilled : null;
      const problem = prefilled && 'problem' in prefilled ? prefilled.problem : null;
      return {
        key: field.key,
        label_vi: field.label_vi,
        label_en: field.label_en,
        type: field.type,
        required: field.required,
        element: field.element,
        asked: !field.element,
        value: value?.value ?? null,
        origin: value?.origin ?? null,
        source: value
          ? {
              kind: value.source.kind,
              agency: named(names.agencies, value.source.agency_id),
              database: named(names.databases, value.source.database_id),
              service: value.source.service,
              result_id: value.source.result_id,
              read_at: value.source.at,
              event: value.source.event ?? null,
            }
          : null,
        problem: problem ? { code: problem.code, message_vi: problem.vi, message_en: problem.en } : null,
      };
    }),
  };
}
