import { bodyChecker } from '../../../platform/schema-messages.js';
import type { DomainError } from '../../../platform/errors.js';
import type { Lang } from '../../../web/i18n.js';
import type { FormBody } from '../../../web/session.js';
import type { ProcedureRow } from '../procedure.js';
import { ProcedureBody } from '../procedures.schema.js';

/** A row of the form as typed, kept as text so a wrong value is shown back as it was. */
export interface FieldRow {
  key: string;
  label_vi: string;
  label_en: string;
  element: string;
  type: string;
  required: boolean;
}
export interface ResultRow {
  key: string;
  label_vi: string;
  label_en: string;
  element: string;
  from: string;
}

/** What the procedure form holds: text as typed, the rows, and the mistakes by input name (`fields.2.key`). */
export interface ProcedureForm {
  code: string;
  name_vi: string;
  name_en: string;
  description_vi: string;
  description_en: string;
  legal_basis: string;
  processing_days: string;
  fields: FieldRow[];
  result: {
    kind: string;
    title_vi: string;
    title_en: string;
    validity_days: string;
    fields: ResultRow[];
  };
  errors: Record<string, string>;
}

const BLANK_FIELDS = 3;
const BLANK_RESULT_FIELDS = 2;
const MAX_ROWS = 60;
const blankField = (): FieldRow => ({
  key: '',
  label_vi: '',
  label_en: '',
  element: '',
  type: 'string',
  required: true,
});
const blankResult = (): ResultRow => ({ key: '', label_vi: '', label_en: '', element: '', from: '' });

/** Blank rows under the typed ones, so a form needs no script to grow. */
export function withBlankRows(f: ProcedureForm, extra = 0): ProcedureForm {
  const fields = [...f.fields, ...Array.from({ length: BLANK_FIELDS + extra }, blankField)].slice(0, MAX_ROWS);
  const results = [...f.result.fields, ...Array.from({ length: BLANK_RESULT_FIELDS + extra }, blankResult)].slice(
    0,
    40,
  );
  return { ...f, fields, result: { ...f.result, fields: results } };
}

export const emptyForm = (): ProcedureForm =>
  withBlankRows({
    code: '',
    name_vi: '',
    name_en: '',
    description_vi: '',
    description_en: '',
    legal_basis: '',
    processing_days: '',
    fields: [],
    result: { kind: 'certificate', title_vi: '', title_en: '', validity_days: '', fields: [] },
    errors: {},
  });

export function formOf(r: ProcedureRow): ProcedureForm {
  return withBlankRows({
    code: r.code,
    name_vi: r.name_vi,
    name_en: r.name_en ?? '',
    description_vi: r.description_vi,
    description_en: r.description_en ?? '',
    legal_basis: r.legal_basis,
    processing_days: String(r.processing_days),
    fields: r.fields.map((f) => ({ ...f, label_en: f.label_en ?? '', element: f.element ?? '' })),
    result: {
      kind: r.result.kind,
      title_vi: r.result.title_vi,
      title_en: r.result.title_en ?? '',
      validity_days: r.result.validity_days === null ? '' : String(r.result.validity_days),
      fields: r.result.fields.map((f) => ({
        ...f,
        label_en: f.label_en ?? '',
        element: f.element ?? '',
        from: f.from ?? '',
      })),
    },
    errors: {},
  });
}

const text = (b: FormBody, k: string, max = 4000) => {
  const v = b[k];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim().slice(0, max);
};

/** Reads the posted form: every row, blank ones kept (they are dropped when the body is built). */
export function readForm(b: FormBody): ProcedureForm {
  const rows = <T>(prefix: string, read: (p: string) => T, max: number) =>
    Array.from({ length: max }, (_, i) => i)
      .filter((i) => Object.keys(b).some((k) => k.startsWith(`${prefix}.${i}.`)))
      .map((i) => read(`${prefix}.${i}.`));
  return {
    code: text(b, 'code', 60),
    name_vi: text(b, 'name_vi', 300),
    name_en: text(b, 'name_en', 300),
    description_vi: text(b, 'description_vi'),
    description_en: text(b, 'description_en'),
    legal_basis: text(b, 'legal_basis', 1000),
    processing_days: text(b, 'processing_days', 10),
    fields: rows(
      'fields',
      (p) => ({
        key: text(b, `${p}key`, 40),
        label_vi: text(b, `${p}label_vi`, 200),
        label_en: text(b, `${p}label_en`, 200),
        element: text(b, `${p}element`, 100),
        type: text(b, `${p}type`, 20),
        required: text(b, `${p}required`) === 'on',
      }),
      MAX_ROWS,
    ),
    result: {
      kind: text(b, 'result.kind', 20),
      title_vi: text(b, 'result.title_vi', 200),
      title_en: text(b, 'result.title_en', 200),
      validity_days: text(b, 'result.validity_days', 10),
      fields: rows(
        'result.fields',
        (p) => ({
          key: text(b, `${p}key`, 40),
          label_vi: text(b, `${p}label_vi`, 200),
          label_en: text(b, `${p}label_en`, 200),
          element: text(b, `${p}element`, 100),
          from: text(b, `${p}from`, 40),
        }),
        40,
      ),
    },
    errors: {},
  };
}

const filled = (r: { key: string; label_vi: string }) => r.key !== '' || r.label_vi !== '';
const num = (s: string) => (/^-?\d+$/.test(s) ? Number(s) : s);
const check = bodyChecker(ProcedureBody);

/**
 * The body the API would take, from the form; the schema's complaints, if any, keyed by the form's input names. Row
 * numbers in complaints count filled rows only: `rowOf` maps them back to the rows on the page.
 */
export function toBody(
  f: ProcedureForm,
  lang: Lang,
): { body: ProcedureBody; errors: Record<string, string>; rowOf: (field: string) => string } {
  const fieldRows = f.fields.map((r, i) => ({ r, i })).filter(({ r }) => filled(r));
  const resultRows = f.result.fields.map((r, i) => ({ r, i })).filter(({ r }) => filled(r));
  const body = {
    code: f.code,
    name_vi: f.name_vi,
    name_en: f.name_en || null,
    description_vi: f.description_vi,
    description_en: f.description_en || null,
    legal_basis: f.legal_basis,
    processing_days: num(f.processing_days),
    fields: fieldRows.map(({ r }) => ({ ...r, label_en: r.label_en || null, element: r.element || null })),
    result: {
      kind: f.result.kind,
      title_vi: f.result.title_vi,
      title_en: f.result.title_en || null,
      validity_days: f.result.validity_days === '' ? null : num(f.result.validity_days),
      fields: resultRows.map(({ r }) => ({
        ...r,
        label_en: r.label_en || null,
        element: r.element || null,
        from: r.from || null,
      })),
    },
  } as unknown as ProcedureBody;
  const rowOf = (field: string) =>
    field
      .replace(/^body\./, '')
      .replace(/\[(\d+)\]/g, '.$1')
      .replace(/^result\.fields\.(\d+)/, (_, n) => `result.fields.${resultRows[Number(n)]?.i ?? n}`)
      .replace(/^fields\.(\d+)/, (_, n) => `fields.${fieldRows[Number(n)]?.i ?? n}`);
  const errors: Record<string, string> = {};
  for (const d of check(body) ?? []) errors[rowOf(d.field)] ??= d[lang];
  return { body, errors, rowOf };
}

/** A domain error's details by input name, through the same row mapping as the schema's complaints. */
export function domainErrors(err: DomainError, lang: Lang, rowOf: (field: string) => string): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const d of err.details) errors[rowOf(d.field ?? 'form')] ??= d[lang];
  if (!err.details.length) errors.form = err.messages[lang];
  return errors;
}
