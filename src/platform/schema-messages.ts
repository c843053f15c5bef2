import { Ajv } from 'ajv';
import addFormatsPlugin from 'ajv-formats';

/**
 * What a request schema's complaint means, in Vietnamese and English, from the validator's keyword and
 * parameters (ajv's own message is English only, and not written for the people who read it here).
 */
export interface SchemaComplaint {
  keyword?: string;
  params?: Record<string, unknown>;
  message?: string;
}
export interface Bilingual {
  vi: string;
  en: string;
}

const TYPES: Record<string, Bilingual> = {
  string: { vi: 'một chuỗi ký tự', en: 'text' },
  integer: { vi: 'một số nguyên', en: 'a whole number' },
  number: { vi: 'một số', en: 'a number' },
  boolean: { vi: 'true hoặc false', en: 'true or false' },
  object: { vi: 'một đối tượng JSON', en: 'a JSON object' },
  array: { vi: 'một danh sách', en: 'a list' },
  null: { vi: 'null', en: 'null' },
};
const FORMATS: Record<string, Bilingual> = {
  uuid: { vi: 'một mã UUID', en: 'a UUID' },
  email: { vi: 'một địa chỉ email', en: 'an e-mail address' },
  uri: { vi: 'một địa chỉ URL đầy đủ', en: 'a full URL' },
  'date-time': {
    vi: 'một thời điểm ISO 8601 (ví dụ 2026-11-24T08:00:00Z)',
    en: 'an ISO 8601 time (e.g. 2026-11-24T08:00:00Z)',
  },
  date: { vi: 'một ngày dạng YYYY-MM-DD', en: 'a date as YYYY-MM-DD' },
};

const typeOf = (t: unknown): Bilingual => {
  const names = (Array.isArray(t) ? t : String(t ?? '').split(',')).map(
    (x) => TYPES[String(x).trim()] ?? { vi: String(x), en: String(x) },
  );
  return { vi: names.map((n) => n.vi).join(' hoặc '), en: names.map((n) => n.en).join(' or ') };
};

export function schemaMessage(c: SchemaComplaint): Bilingual {
  const p = c.params ?? {};
  const n = Number(p.limit);
  switch (c.keyword) {
    case 'required':
      return {
        vi: `Thiếu trường bắt buộc: ${String(p.missingProperty)}`,
        en: `Missing required field: ${String(p.missingProperty)}`,
      };
    case 'additionalProperties':
      return {
        vi: `Trường không được hỗ trợ: ${String(p.additionalProperty)}`,
        en: `Unknown field: ${String(p.additionalProperty)}`,
      };
    case 'type': {
      const t = typeOf(p.type);
      return { vi: `Phải là ${t.vi}.`, en: `Must be ${t.en}.` };
    }
    case 'minLength':
      return n === 1
        ? { vi: 'Không được để trống.', en: 'Must not be empty.' }
        : { vi: `Cần ít nhất ${n} ký tự.`, en: `Must be at least ${n} characters long.` };
    case 'maxLength':
      return { vi: `Dài tối đa ${n} ký tự.`, en: `Must be at most ${n} characters long.` };
    case 'minimum':
      return { vi: `Không được nhỏ hơn ${n}.`, en: `Must be at least ${n}.` };
    case 'maximum':
      return { vi: `Không được lớn hơn ${n}.`, en: `Must be at most ${n}.` };
    case 'exclusiveMinimum':
      return { vi: `Phải lớn hơn ${n}.`, en: `Must be greater than ${n}.` };
    case 'exclusiveMaximum':
      return { vi: `Phải nhỏ hơn ${n}.`, en: `Must be less than ${n}.` };
    case 'minItems':
      return { vi: `Cần ít nhất ${n} phần tử.`, en: `Must hold at least ${n} items.` };
    case 'maxItems':
      return { vi: `Tối đa ${n} phần tử.`, en: `Must hold at most ${n} items.` };
    case 'uniqueItems':
      return { vi: 'Các phần tử không được trùng nhau.', en: 'Items must not repeat.' };
    case 'pattern':
      return {
        vi: `Không đúng dạng cho phép (${String(p.pattern)}).`,
        en: `Does not have the allowed form (${String(p.pattern)}).`,
      };
    case 'format': {
      const f = FORMATS[String(p.format)] ?? { vi: String(p.format), en: String(p.format) };
      return { vi: `Phải là ${f.vi}.`, en: `Must be ${f.en}.` };
    }
    case 'enum':
      return {
        vi: `Chỉ nhận một trong: ${((p.allowedValues as unknown[]) ?? []).join(', ')}.`,
        en: `Must be one of: ${((p.allowedValues as unknown[]) ?? []).join(', ')}.`,
      };
    case 'const':
      return {
        vi: `Chỉ nhận giá trị ${JSON.stringify(p.allowedValue)}.`,
        en: `Must be ${JSON.stringify(p.allowedValue)}.`,
      };
    case 'anyOf':
    case 'oneOf':
      return { vi: 'Không khớp giá trị nào được phép.', en: 'Matches none of the allowed values.' };
    default:
      return { vi: 'Giá trị không hợp lệ.', en: `Invalid value${c.message ? ` (${c.message})` : ''}.` };
  }
}

/** A validator's complaint as ajv reports it. */
export interface Complaint extends SchemaComplaint {
  instancePath?: string;
}

/**
 * The complaints about a request, one per field, each in both languages. A union of literals makes one
 * complaint per literal and one for the union: those become one message listing what is allowed.
 */
export function explainComplaints(
  complaints: Complaint[],
  context?: string,
): { field: string; vi: string; en: string }[] {
  const groups = new Map<string, Complaint[]>();
  for (const c of complaints) {
    const base = (c.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
    const named = (c.params?.additionalProperty ?? c.params?.missingProperty) as string | undefined;
    const field = [context, base, named].filter(Boolean).join('.');
    groups.set(field, [...(groups.get(field) ?? []), c]);
  }
  return [...groups].map(([field, group]) => {
    const allowed = group.filter((c) => c.keyword === 'const').map((c) => c.params?.allowedValue);
    const union = group.some((c) => c.keyword === 'anyOf' || c.keyword === 'oneOf');
    const message =
      union && allowed.length
        ? schemaMessage({ keyword: 'enum', params: { allowedValues: allowed } })
        : schemaMessage(group.find((c) => c.keyword !== 'anyOf' && c.keyword !== 'oneOf') ?? group[0]!);
    return { field, ...message };
  });
}

const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));

/** A check of a body read by hand (a signed body is checked after its signature): its complaints as the API gives them, or none. */
export function bodyChecker(schema: object): (value: unknown) => { field: string; vi: string; en: string }[] | null {
  const check = ajv.compile(schema);
  return (value) => (check(value) ? null : explainComplaints(check.errors ?? [], 'body'));
}
