import { Value } from '@sinclair/typebox/value';
import type { T } from '../../../web/i18n.js';
import { formValue, type FormBody } from '../../../web/session.js';
import type { ShownField } from '../dictionary.presenter.js';
import { ProposalBody, type Code } from '../dictionary.schema.js';
import { FORM_KEYS, type ProposeValues } from './propose.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const emptyValues = (): ProposeValues =>
  Object.fromEntries(FORM_KEYS.map((k) => [k, k === 'type' ? 'string' : ''])) as ProposeValues;

/** A field's values in the form, to propose a change of it. */
export function valuesOf(f: ShownField): ProposeValues {
  const c = f.constraints as Record<string, unknown>;
  const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  return {
    id: f.id,
    label_vi: f.label_vi,
    label_en: f.label_en,
    description_vi: s(f.description_vi),
    description_en: s(f.description_en),
    type: f.type,
    format: s(f.format),
    unit: s(f.unit),
    code_list: s(f.code_list),
    codes: f.codes.map((x) => [x.code, x.label_vi, x.label_en ?? ''].join(' | ').replace(/ \| $/, '')).join('\n'),
    required: c.required ? 'on' : '',
    pattern: s(c.pattern),
    minimum: s(c.minimum),
    maximum: s(c.maximum),
    personal_data: s(f.personal_data),
    agency_id: f.agency_id ?? 'shared',
  };
}

/** The form read: a proposal to file, or the problems (in the page's language) with what was typed. */
export function readProposal(
  body: FormBody,
  t: T,
): { values: ProposeValues; change: boolean; proposal: ProposalBody | null; problems: string[] } {
  const values = Object.fromEntries(
    FORM_KEYS.map((k) => [k, formValue(body, k, k === 'codes' ? 40_000 : 2000).trim()]),
  ) as ProposeValues;
  const change = formValue(body, 'change', 2) === '1';
  const problems: string[] = [];
  const codes: Code[] = [];
  for (const [i, line] of values.codes.split('\n').entries()) {
    if (!line.trim()) continue;
    const [code, labelVi, labelEn] = line.split(/\s*[|\t]\s*/).map((x) => x.trim());
    if (!code || !labelVi) problems.push(t('dict.propose.errCode', { line: i + 1 }));
    else codes.push({ code, label_vi: labelVi, ...(labelEn ? { label_en: labelEn } : {}) });
  }
  const num = (v: string) => (v === '' ? undefined : /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);
  const constraints = Object.fromEntries(
    Object.entries({
      required: values.required === 'on' ? true : undefined,
      pattern: values.pattern || undefined,
      minimum: num(values.minimum),
      maximum: num(values.maximum),
    }).filter(([, v]) => v !== undefined),
  );
  const proposal: Record<string, unknown> = {
    id: values.id,
    label_vi: values.label_vi,
    label_en: values.label_en,
    description_vi: values.description_vi || null,
    description_en: values.description_en || null,
    type: values.type,
    format: values.format || null,
    unit: values.unit || null,
    code_list: values.code_list || null,
    codes: codes.length ? codes : null,
    constraints,
    personal_data: values.personal_data || null,
  };
  if (!Value.Check(ProposalBody, proposal)) {
    const props = new Set([...Value.Errors(ProposalBody, proposal)].map((e) => e.path.split('/')[1] ?? 'id'));
    for (const p of props) problems.push(t('dict.propose.errProp', { prop: t(`dict.prop.${p}`) }));
  }
  // the form says which it is: a new field under an existing id is refused, not turned into a change
  proposal.kind = change ? 'change' : 'new';
  if (!change) {
    const owner = values.agency_id;
    if (owner !== 'shared' && !UUID.test(owner)) problems.push(t('dict.propose.errOwner'));
    proposal.agency_id = owner === 'shared' ? null : owner;
  }
  return { values, change, proposal: problems.length ? null : (proposal as ProposalBody), problems };
}
