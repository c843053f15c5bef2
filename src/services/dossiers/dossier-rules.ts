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

/** What the data dictionary says of an element a field is bound to: its constraints and personal-data category. */
export interface ElementRule {
  label_vi: string;
  label_en: string | null;
  constraints: Record<string, unknown>;
  category: string | null;
}

/** What typed values are checked against: the bound elements' rules, and today in Vietnam (`YYYY-MM-DD`). */
export interface RuleContext {
  elements: Map<string, ElementRule>;
  today: string;
}

const NO_RULES: RuleContext = { elements: new Map(), today: '9999-12-31' };

const MAX_STRING = 500;
const MAX_TEXT = 4000;

/**
 * Builds a dossier's fields from the stored prefill and the applicant's answers. An accepted value is the prefill's,
 * never the form's (so the reuse count cannot be forged); a disputed one is typed and kept with the source it
 * contradicts; the rest are typed and read by their type. Throws nothing: returns the field errors instead.
 */
export function buildFields(
  preview: PreviewField[],
  answers: Answers,
  rules: RuleContext = NO_RULES,
): Built | { errors: ErrorDetail[] } {
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
      const read = checked(field, readTyped(field, answer.value ?? '', true), rules);
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
        contradicts: prefilled.value,
      });
      disputes.push({ field, registerValue: prefilled.value, value: read.value, agencyId: prefilled.source.agency_id });
      continue;
    }
    const read = checked(field, readTyped(field, answer.value ?? '', field.required), rules);
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
  const v = tidy(field.type, raw);
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

/**
 * Typed text as the person meant it: trimmed, each run of spaces one space (a text keeps its line breaks, each line
 * tidied), so `  nguyễn  thị ánh   tuyết ` is stored as `nguyễn thị ánh tuyết`.
 */
export function tidy(type: ProcedureField['type'], raw: string): string {
  if (type !== 'text') return raw.replace(/\s+/g, ' ').trim();
  return raw
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A typed value checked against its element's rules; an empty optional value and an earlier error pass through. */
function checked(
  field: ProcedureField,
  read: { value: string } | { error: { vi: string; en: string } },
  rules: RuleContext,
): { value: string } | { error: { vi: string; en: string } } {
  const rule = field.element ? rules.elements.get(field.element) : undefined;
  if ('error' in read || read.value === '' || !rule) return read;
  return elementCheck(field, read.value, rule, rules.today);
}

// `^\d{12}$`, `^[0-9]{2,3}$`, `^\d+$`: an id typed in groups (`001 300 000 123`) is the same id
const DIGITS = /^\^(?:\\d|\[0-9\])(?:\{(\d+)(?:,(\d*))?\}|\+|\*)?\$$/;

/** A value against its dictionary element's constraints (pattern, enum, lengths, bounds) and, for a birth or death, not after today. */
export function elementCheck(
  field: ProcedureField,
  value: string,
  rule: ElementRule,
  today: string,
): { value: string } | { error: { vi: string; en: string } } {
  const c = rule.constraints ?? {};
  const [lv, le] = [rule.label_vi, rule.label_en || rule.label_vi];
  const err = (vi: string, en: string) => ({
    error: { vi: `${field.label_vi}: ${vi}`, en: `${labelEn(field)}: ${en}` },
  });
  const textual = field.type === 'string' || field.type === 'text';
  let v = value;
  if (textual && typeof c.pattern === 'string') {
    const digits = DIGITS.exec(c.pattern);
    if (digits) v = v.replace(/\s+/g, '');
    let re: RegExp | null = null;
    try {
      re = new RegExp(c.pattern, 'u');
    } catch {
      re = null; // the dictionary refuses a bad pattern; an old one is not the applicant's fault
    }
    if (re && !re.test(v)) {
      const [n, m] = digits ? [digits[1], digits[2]] : [];
      if (n !== undefined && m === undefined)
        return err(`${lv} gồm đúng ${n} chữ số.`, `a ${le} has exactly ${n} digits.`);
      if (n !== undefined && m) return err(`${lv} gồm từ ${n} đến ${m} chữ số.`, `a ${le} has ${n} to ${m} digits.`);
      if (digits) return err(`${lv} chỉ gồm chữ số.`, `a ${le} has digits only.`);
      return err(
        `không đúng định dạng của trường “${lv}” trong từ điển dữ liệu.`,
        `does not match the format of the data dictionary’s field “${le}”.`,
      );
    }
  }
  if (Array.isArray(c.enum) && c.enum.length && !c.enum.map(String).includes(v))
    return err(`${lv} phải là một trong: ${c.enum.join(', ')}.`, `a ${le} is one of: ${c.enum.join(', ')}.`);
  if (textual && typeof c.minLength === 'number' && [...v].length < c.minLength)
    return err(`${lv} có ít nhất ${c.minLength} ký tự.`, `a ${le} has at least ${c.minLength} characters.`);
  if (textual && typeof c.maxLength === 'number' && [...v].length > c.maxLength)
    return err(`${lv} có tối đa ${c.maxLength} ký tự.`, `a ${le} has at most ${c.maxLength} characters.`);
  const numeric = field.type === 'integer' || field.type === 'number';
  const below = (b: unknown) =>
    numeric && typeof b === 'number' ? Number(v) < b : field.type === 'date' && typeof b === 'string' && v < b;
  const above = (b: unknown) =>
    numeric && typeof b === 'number' ? Number(v) > b : field.type === 'date' && typeof b === 'string' && v > b;
  const shown = (b: unknown) => (typeof b === 'string' && readDate(b) ? dmy(b) : String(b));
  if (below(c.minimum))
    return err(`${lv} không nhỏ hơn ${shown(c.minimum)}.`, `a ${le} is at least ${shown(c.minimum)}.`);
  if (above(c.maximum))
    return err(`${lv} không lớn hơn ${shown(c.maximum)}.`, `a ${le} is at most ${shown(c.maximum)}.`);
  if (field.type === 'date' && rule.category === 'birth_death' && v > today)
    return err('ngày không thể ở tương lai.', 'the date cannot be in the future.');
  return { value: v };
}

const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

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
