import { invalid, type ErrorDetail } from '../../platform/errors.js';
import type { GrantRow } from './registry.rows.js';

/** A dictionary field's personal-data flag as the catalog gives it (`DictionaryService.flags`). */
export interface FieldFlag {
  id: string;
  category: string | null;
  level: 'basic' | 'sensitive' | null;
}
/** How the registry learns the flags of the dictionary fields a service declares; `app.ts` wires the catalog's. */
export type FieldFlags = (ids: string[]) => Promise<FieldFlag[]>;

/** The declared fields the dictionary does not have: a service may only declare fields the dictionary defines. */
export async function unknownFields(flags: FieldFlags | undefined, fields: string[]): Promise<ErrorDetail[]> {
  if (!fields.length) return [];
  if (!flags)
    return [{ field: 'fields', vi: 'Không tra được từ điển dữ liệu.', en: 'The data dictionary cannot be consulted.' }];
  const known = new Set((await flags(fields)).map((f) => f.id));
  const missing = fields.filter((f) => !known.has(f));
  return missing.length
    ? [
        {
          field: 'fields',
          vi: `Từ điển dữ liệu không có trường: ${missing.join(', ')}.`,
          en: `The data dictionary has no field: ${missing.join(', ')}.`,
        },
      ]
    : [];
}

/** The sensitive personal-data fields (Decree 356 Art. 4) among those a service declares. */
export async function sensitiveFields(flags: FieldFlags | undefined, fields: string[]): Promise<string[]> {
  if (!fields.length || !flags) return [];
  const sensitive = new Set((await flags(fields)).filter((f) => f.level === 'sensitive').map((f) => f.id));
  return fields.filter((f) => sensitive.has(f));
}

/**
 * What a grant to a service returning sensitive fields lacks: a declared legal basis (Law 91/2025/QH15: consent or a
 * case of processing without it, the grant's `basis` code) and a purpose. Empty when it lacks nothing.
 */
export function grantGaps(g: { basis: string | null; purposes: string[] }): ('basis' | 'purposes')[] {
  return [...(g.basis ? [] : (['basis'] as const)), ...(g.purposes.length ? [] : (['purposes'] as const))];
}

/** The refusal of a grant that breaks the rule, naming the fields that make it apply. */
export function sensitiveGrantRefused(sensitive: string[], gaps: ('basis' | 'purposes')[]) {
  const names = sensitive.join(', ');
  return invalid(
    gaps.map((gap) =>
      gap === 'basis'
        ? {
            field: 'basis',
            vi: `Dịch vụ trả về dữ liệu cá nhân nhạy cảm (${names}): quyền truy cập phải khai báo căn cứ pháp lý.`,
            en: `The service returns sensitive personal data (${names}): the grant must declare its legal basis.`,
          }
        : {
            field: 'purposes',
            vi: `Dịch vụ trả về dữ liệu cá nhân nhạy cảm (${names}): quyền truy cập phải nêu mục đích.`,
            en: `The service returns sensitive personal data (${names}): the grant must name a purpose.`,
          },
    ),
  );
}

/**
 * A grant in force or asked for that breaks the rule, for the provider's administrators to revoke (and grant again
 * with a basis and a purpose: a grant is not edited in place).
 */
export interface GrantGap {
  grant: GrantRow;
  sensitiveFields: string[];
  missing: ('basis' | 'purposes')[];
}
