import { DatasetBody, TableSchemaBody } from '../catalog/catalog.schema.js';
import type { DomainError } from '../platform/errors.js';
import { strictAjv } from '../platform/http.js';
import { translator, type Lang } from './i18n.js';
import type { DatasetFormValues } from './pages/dataset-form.js';
import { schemaMessage } from '../platform/schema-messages.js';

type FormBody = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);
const splitList = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

export function readDatasetForm(body: FormBody): DatasetFormValues {
  return {
    title_vi: one(body.title_vi),
    title_en: one(body.title_en),
    description_vi: one(body.description_vi),
    description_en: one(body.description_en),
    keywords: one(body.keywords),
    themes: many(body.themes),
    licence_id: one(body.licence_id),
    access_rights: one(body.access_rights) || 'public',
    update_frequency: one(body.update_frequency) || 'UNKNOWN',
    spatial: one(body.spatial),
    contact_email: one(body.contact_email),
  };
}

/** The API's own request schema checks the form too: one set of rules, at the edge. */
const datasetBody = strictAjv().compile(DatasetBody);

export function toDatasetBody(v: DatasetFormValues, agencyId: string): DatasetBody {
  const body: Record<string, unknown> = {
    agency_id: agencyId,
    title_vi: v.title_vi,
    description_vi: v.description_vi,
    keywords: [...new Set(splitList(v.keywords))],
    themes: v.themes,
    spatial: [...new Set(splitList(v.spatial))],
    access_rights: v.access_rights,
    update_frequency: v.update_frequency,
  };
  if (v.title_en) body.title_en = v.title_en;
  if (v.description_en) body.description_en = v.description_en;
  if (v.licence_id) body.licence_id = v.licence_id;
  if (v.contact_email) body.contact_email = v.contact_email;
  return body as DatasetBody;
}

const MESSAGES: Record<string, { vi: string; en: string }> = {
  title_vi: { vi: 'Hãy nhập tên bộ dữ liệu.', en: 'Enter a title.' },
  description_vi: { vi: 'Hãy nhập mô tả bộ dữ liệu.', en: 'Enter a description.' },
  contact_email: {
    vi: 'Email liên hệ không đúng dạng, ví dụ ten@coquan.gov.vn.',
    en: 'Enter an e-mail address like name@agency.gov.vn.',
  },
  spatial: { vi: 'Mã đơn vị hành chính gồm 2 hoặc 5 chữ số.', en: 'Unit codes have 2 or 5 digits.' },
  keywords: {
    vi: 'Mỗi từ khóa tối đa 80 ký tự, không trùng nhau.',
    en: 'Keywords are up to 80 characters, without repeats.',
  },
};

/** Field → message, from the schema first and then from the service's rules. */
export function formErrors(body: DatasetBody, lang: Lang): Record<string, string> {
  const errors: Record<string, string> = {};
  if (datasetBody(body)) return errors;
  for (const e of datasetBody.errors ?? []) {
    const field = e.instancePath.split('/')[1] || String(e.params.missingProperty ?? '');
    if (field && !errors[field]) errors[field] = (MESSAGES[field] ?? schemaMessage(e))[lang];
  }
  return errors;
}

export function domainFieldErrors(err: DomainError, lang: Lang): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const d of err.details) errors[d.field ?? 'title_vi'] ??= d[lang];
  if (!err.details.length) errors.title_vi = err.messages[lang];
  return errors;
}

const tableSchema = strictAjv().compile(TableSchemaBody);

/** Checks a Table Schema built from a form with the API's schema; returns it, or the problems in the page's language. */
export function checkTableSchema(candidate: unknown, lang: Lang): { schema: TableSchemaBody } | { problems: string[] } {
  if (tableSchema(candidate)) return { schema: candidate as TableSchemaBody };
  const problems = (tableSchema.errors ?? []).map((e) => {
    const where = e.instancePath.replace(
      /^\/fields\/(\d+)/,
      (_m, i: string) => `${translator(lang)('problem.row')} ${Number(i) + 1}`,
    );
    return `${where}: ${e.message ?? ''}`;
  });
  return { problems };
}
