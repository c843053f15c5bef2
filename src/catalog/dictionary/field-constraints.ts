import type { ErrorDetail } from '../../platform/errors.js';
import type { FieldContent } from './dictionary.repository.js';

const TEXTUAL = new Set(['string']);

/**
 * What is wrong with a field's constraints and code list, each error under its property (vi and en): a pattern
 * that is no regular expression or on a type that is not text, a minimum above the maximum, a code listed twice.
 */
export function constraintProblems(c: FieldContent, at = ''): ErrorDetail[] {
  const where = (k: string) => (at ? `${at}.${k}` : k);
  const problems: ErrorDetail[] = [];
  const k = (c.constraints ?? {}) as Record<string, unknown>;
  if (typeof k.pattern === 'string') {
    if (!TEXTUAL.has(c.type))
      problems.push({
        field: where('constraints.pattern'),
        vi: `Mẫu (pattern) chỉ dùng cho kiểu văn bản, không dùng cho kiểu “${c.type}”.`,
        en: `A pattern applies to text only, not to type “${c.type}”.`,
      });
    try {
      new RegExp(k.pattern, 'u');
    } catch {
      problems.push({
        field: where('constraints.pattern'),
        vi: 'Mẫu (pattern) không phải là biểu thức chính quy hợp lệ.',
        en: 'The pattern is not a valid regular expression.',
      });
    }
  }
  const [min, max] = [k.minimum, k.maximum];
  if (min !== undefined && max !== undefined && typeof min === typeof max && (min as number) > (max as number))
    problems.push({
      field: where('constraints.minimum'),
      vi: `Giá trị nhỏ nhất (${String(min)}) lớn hơn giá trị lớn nhất (${String(max)}).`,
      en: `The minimum (${String(min)}) is greater than the maximum (${String(max)}).`,
    });
  if (typeof k.minLength === 'number' && typeof k.maxLength === 'number' && k.minLength > k.maxLength)
    problems.push({
      field: where('constraints.minLength'),
      vi: 'Độ dài tối thiểu lớn hơn độ dài tối đa.',
      en: 'The minimum length is greater than the maximum length.',
    });
  const seen = new Set<string>();
  for (const code of c.codes ?? []) {
    if (seen.has(code.code))
      problems.push({
        field: where('codes'),
        vi: `Mã “${code.code}” có hai lần trong danh mục mã.`,
        en: `Code “${code.code}” appears twice in the code list.`,
      });
    seen.add(code.code);
  }
  return problems;
}
