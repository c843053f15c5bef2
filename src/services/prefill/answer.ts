import type { FieldType } from '../procedures/procedure.js';

/** The value at an RFC 6901 JSON pointer (`/permanentResidence/communeCode`), or undefined where there is none. */
export function atPointer(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  if (!pointer.startsWith('/')) return undefined;
  let here: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(here)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
      here = here[Number(token)];
    } else if (here !== null && typeof here === 'object' && Object.hasOwn(here, token)) {
      here = (here as Record<string, unknown>)[token];
    } else return undefined;
  }
  return here;
}

const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(?:$|T)/;
const VN_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/**
 * A register's value as the form's text: strings trimmed, dates as ISO `YYYY-MM-DD` (a timestamp's day, or a
 * Vietnamese dd/mm/yyyy turned round), numbers written plainly (no grouping, no exponent for integers), booleans
 * `true`/`false`. Nothing usable (null, empty, an object or a list): undefined, and the field has `no_value`.
 */
export function asFormText(v: unknown, type: FieldType): string | undefined {
  if (typeof v === 'string') {
    const t = v.trim();
    if (!t) return undefined;
    if (type !== 'date') return t;
    const iso = ISO_DATE.exec(t);
    if (iso) return iso[1];
    const vn = VN_DATE.exec(t);
    return vn ? `${vn[3]}-${vn[2]!.padStart(2, '0')}-${vn[1]!.padStart(2, '0')}` : t;
  }
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return undefined;
    return Number.isInteger(v) && Math.abs(v) >= 1e21 ? BigInt(v).toString() : String(v);
  }
  if (typeof v === 'boolean') return String(v);
  return undefined;
}
