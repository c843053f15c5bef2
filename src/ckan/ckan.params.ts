import { CkanError } from './ckan.errors.js';

export type Params = Record<string, unknown>;

const fieldError = (field: string, en: string, vi: string) =>
  new CkanError('Validation Error', 409, `${field}: ${en}`, { [field]: [`${en} / ${vi}`] });

export function str(p: Params, name: string, opts: { required?: boolean; max?: number } = {}): string | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === '') {
    if (opts.required) throw fieldError(name, 'Missing value', 'Thiếu giá trị');
    return undefined;
  }
  if (typeof v !== 'string' && typeof v !== 'number') throw fieldError(name, 'Must be a string', 'Phải là chuỗi');
  const s = String(v);
  if (s.length > (opts.max ?? 1000)) throw fieldError(name, 'Value is too long', 'Giá trị quá dài');
  return s;
}

export function int(p: Params, name: string, fallback: number, min: number, max: number): number {
  const v = p[name];
  if (v === undefined || v === null || v === '') return fallback;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < min)
    throw fieldError(name, `Must be a whole number ≥ ${min}`, `Phải là số nguyên ≥ ${min}`);
  return Math.min(n, max);
}

export function bool(p: Params, name: string, fallback: boolean): boolean {
  const v = p[name];
  if (v === undefined || v === null || v === '') return fallback;
  if (typeof v === 'boolean') return v;
  const s = String(v).toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(s)) return true;
  if (['false', '0', 'no', 'off'].includes(s)) return false;
  throw fieldError(name, 'Must be true or false', 'Phải là true hoặc false');
}

/** A list given as a JSON array, a JSON-encoded string (CKAN's facet.field), or repeated values. */
export function list(p: Params, name: string): string[] | undefined {
  const v = p[name];
  if (v === undefined || v === null || v === '') return undefined;
  let arr: unknown = v;
  if (typeof v === 'string') {
    try {
      arr = v.trim().startsWith('[') ? JSON.parse(v) : [v];
    } catch {
      throw fieldError(name, 'Must be a JSON list', 'Phải là danh sách JSON');
    }
  }
  if (!Array.isArray(arr) || !arr.every((x) => typeof x === 'string'))
    throw fieldError(name, 'Must be a list of strings', 'Phải là danh sách chuỗi');
  return arr as string[];
}
