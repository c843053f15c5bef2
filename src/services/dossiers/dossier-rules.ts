import type { ErrorDetail } from '../../platform/errors.js';
import type { ProcedureField } from '../procedures/procedure.js';
import type { PreviewField } from '../prefill/prefill.types.js';
import type { DossierField } from './dossier.types.js';

/**
 * What the applicant answered for one field. A prefilled field is accepted unless `dispute` is set; then `value` is
 * what the applicant says is right. Any other field is typed: `value` is what they typed.
 */
export interface FieldAnswer {
  dispute?: boolean;
  value?: string;
}
export type Answers = Record<string, FieldAnswer>;

/** A field the applicant disputed: what the register gave and what they say is right. */
export interface Dispute {
  field: ProcedureField;
  registerValue: string;
  value: string;
  agencyId: string;
}

export interface Built {
  fields: DossierField[];
  disputes: Dispute[];
  reused: number;
  typed: number;
}

const MAX_STRING = 500;
const MAX_TEXT = 4000;

/**
 * Builds a dossier's fields from the stored prefill and the applicant's answers. An accepted value is the prefill's,
 * never the form's (so the reuse count cannot be forged); a disputed one is typed and kept with the source it
 * contradicts; the rest are typed and read by their type. Throws nothing: returns the field errors instead.
 */
export function buildFields(preview: PreviewField[], answers: Answers): Built | { errors: ErrorDetail[] } {
  const fields: DossierField[] = [];
  const disputes: Dispute[] = [];
  const errors: ErrorDetail[] = [];
  for (const { field, prefilled } of preview) {
    const answer = answers[field.key] ?? {};
    if (prefilled && 'value' in prefilled) {
      if (!answer.dispute) {
        fields.push({
          key: field.key,
          element: field.element,
          value: prefilled.value,
          origin: prefilled.origin,
          disputed: false,
          source: prefilled.source,
        });
        continue;
      }
      const read = readTyped(field, answer.value ?? '', true);
      if ('error' in read) {
        errors.push({ field: field.key, ...read.error });
        continue;
      }
      if (read.value === prefilled.value) {
        errors.push({
          field: field.key,
          vi: `${field.label_vi}: giá trị bạn nhập giống giá trị của cơ sở dữ liệu; hãy chọn “Đúng” hoặc nhập giá trị đúng.`,
          en: `${labelEn(field)}: what you typed is the register's value; choose “Correct” or type the right value.`,
        });
        continue;
      }
      fields.push({
        key: field.key,
        element: field.element,
        value: read.value,
        origin: 'typed',
        disputed: true,
        source: prefilled.source,
      });
      disputes.push({ field, registerValue: prefilled.value, value: read.value, agencyId: prefilled.source.agency_id });
      continue;
    }
    const read = readTyped(field, answer.value ?? '', field.required);
    if ('error' in read) errors.push({ field: field.key, ...read.error });
    else
      fields.push({
        key: field.key,
        element: field.element,
        value: read.value,
        origin: 'typed',
        disputed: false,
        source: null,
      });
  }
  if (errors.length) return { errors };
  const reused = fields.filter((f) => f.origin !== 'typed').length;
  // an optional field left empty was neither reused nor typed
  const typed = fields.filter((f) => f.origin === 'typed' && f.value !== '').length;
  return { fields, disputes, reused, typed };
}

const labelEn = (f: ProcedureField) => f.label_en ?? f.label_vi;

/** A typed value read by the field's type: dates kept as ISO `YYYY-MM-DD`, numbers plainly, booleans `true`/`false`. */
export function readTyped(
  field: ProcedureField,
  raw: string,
  required: boolean,
): { value: string } | { error: { vi: string; en: string } } {
  const v = raw.trim();
  const err = (vi: string, en: string) => ({
    error: { vi: `${field.label_vi}: ${vi}`, en: `${labelEn(field)}: ${en}` },
  });
  if (!v) return required ? err('cần nhập.', 'required.') : { value: '' };
  switch (field.type) {
    case 'date': {
      const iso = readDate(v);
      return iso
        ? { value: iso }
        : err(
            'ngày không hợp lệ (ngày/tháng/năm, ví dụ 07/03/1990).',
            'not a valid date (day/month/year, e.g. 07/03/1990).',
          );
    }
    case 'integer':
      return /^-?\d{1,15}$/.test(v)
        ? { value: String(Number(v)) }
        : err('cần một số nguyên.', 'must be a whole number.');
    case 'number': {
      // either decimal mark, no grouping: 1234,5 and 1234.5 are the same number
      const n = /^-?\d{1,15}([.,]\d{1,10})?$/.test(v) ? Number(v.replace(',', '.')) : Number.NaN;
      return Number.isFinite(n) ? { value: String(n) } : err('cần một số.', 'must be a number.');
    }
    case 'boolean': {
      const b = v.toLowerCase();
      if (['true', 'có', 'co', 'yes', 'on'].includes(b)) return { value: 'true' };
      if (['false', 'không', 'khong', 'no', 'off'].includes(b)) return { value: 'false' };
      return err('chọn có hoặc không.', 'choose yes or no.');
    }
    case 'text':
      return v.length > MAX_TEXT ? err(`tối đa ${MAX_TEXT} ký tự.`, `at most ${MAX_TEXT} characters.`) : { value: v };
    default:
      return v.length > MAX_STRING
        ? err(`tối đa ${MAX_STRING} ký tự.`, `at most ${MAX_STRING} characters.`)
        : { value: v };
  }
}

/** dd/mm/yyyy (or d/m/yyyy, with - or .) or ISO `YYYY-MM-DD`, a real day of the calendar → ISO; else null. */
export function readDate(v: string): string | null {
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(v) ?? null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  const [y, mo, d] = m ? [m[3], m[2], m[1]] : iso ? [iso[1], iso[2], iso[3]] : [];
  if (!y || !mo || !d) return null;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d))
    return null;
  return date.toISOString().slice(0, 10);
}

/** A dossier's readable reference: `HS-` the day in Vietnam, `-` its number that day (`HS-20261207-0001`). */
export function referenceOf(vnDay: string, n: number): string {
  return `HS-${vnDay.replaceAll('-', '')}-${String(n).padStart(4, '0')}`;
}

/** The correction request's text: the procedure, the dossier, and per field what the register gave and what is right. */
export function correctionDetails(
  procedure: { code: string; name_vi: string },
  reference: string,
  disputes: Dispute[],
): string {
  const lines = disputes.map(
    (d) =>
      `- ${d.field.label_vi}${d.field.element ? ` (${d.field.element})` : ''}: cơ sở dữ liệu ghi “${d.registerValue}”, giá trị đúng là “${d.value}”.`,
  );
  return [
    `Yêu cầu chỉnh sửa dữ liệu cá nhân (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15), gửi khi nộp hồ sơ ${reference}`,
    `thủ tục ${procedure.code} “${procedure.name_vi}”. Người nộp cho biết dữ liệu sau không đúng:`,
    ...lines,
  ].join('\n');
}
