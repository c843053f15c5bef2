import type { Check } from './quality.schema.js';

const FORMAT_NAMES: Record<string, { vi: string; en: string }> = {
  cccd: { vi: 'số CCCD', en: 'citizen ID (CCCD)' },
  mst: { vi: 'mã số thuế', en: 'tax code (MST)' },
  phone_vn: { vi: 'số điện thoại', en: 'phone number' },
  email: { vi: 'thư điện tử', en: 'e-mail address' },
  postal_code_vn: { vi: 'mã bưu chính', en: 'postal code' },
};

const pct = (n: number, of: number) => (of ? Math.round((n / of) * 10000) / 100 : 0);

/** Frictionless error types of failing row-level checks. */
export const ERROR_TYPE: Record<string, string> = {
  reference: 'foreign-key',
  missing: 'missing-cell',
  in_set: 'constraint-error',
  code_list: 'constraint-error',
  pattern: 'constraint-error',
  format: 'type-error',
  bounds: 'constraint-error',
};

/** What a row-level check found, in both languages, with what to do about it. */
export function describe(check: Check, failures: number, rows: number, ok: boolean): { vi: string; en: string } {
  const where = 'column' in check ? check.column : '';
  const share = `${failures}/${rows} (${pct(failures, rows)}%)`;
  if (ok && check.type === 'missing' && failures > 0) {
    const limit = [
      check.max_percent === undefined
        ? null
        : { vi: `tối đa ${check.max_percent}%`, en: `at most ${check.max_percent}%` },
      check.max_count === undefined
        ? null
        : { vi: `tối đa ${check.max_count} ô`, en: `at most ${check.max_count} cells` },
    ].filter((x) => x !== null);
    return {
      vi: `Cột “${where}”: ${share} ô trống, trong ngưỡng đã thống nhất (${limit.map((x) => x.vi).join(', ')}).`,
      en: `Column “${where}”: ${share} cells empty, within the agreed threshold (${limit.map((x) => x.en).join(', ')}).`,
    };
  }
  if (ok) return { vi: `Cột “${where}”: đạt (${share} vi phạm).`, en: `Column “${where}”: passed (${share} failing).` };
  switch (check.type) {
    case 'missing':
      return {
        vi: `Cột “${where}”: ${share} ô trống: hãy bổ sung hoặc đánh dấu lý do thiếu.`,
        en: `Column “${where}”: ${share} cells empty: fill them or mark why they are missing.`,
      };
    case 'in_set':
      return {
        vi: `Cột “${where}”: ${share} giá trị ngoài danh sách cho phép.`,
        en: `Column “${where}”: ${share} values outside the allowed list.`,
      };
    case 'code_list':
      return {
        vi: `Cột “${where}”: ${share} mã không có trong danh mục đơn vị hành chính hiện hành: hãy đối chiếu với bảng chuyển đổi 2025.`,
        en: `Column “${where}”: ${share} codes not in the current administrative units: map them with the 2025 crosswalk.`,
      };
    case 'pattern':
      return {
        vi: `Cột “${where}”: ${share} giá trị không đúng mẫu.`,
        en: `Column “${where}”: ${share} values do not match the pattern.`,
      };
    case 'format':
      return {
        vi: `Cột “${where}”: ${share} giá trị không phải ${FORMAT_NAMES[check.format]!.vi} hợp lệ.`,
        en: `Column “${where}”: ${share} values are not a valid ${FORMAT_NAMES[check.format]!.en}.`,
      };
    case 'reference':
      return {
        vi: `Cột “${where}”: ${share} giá trị không có trong cột “${check.target_column}” của bảng được tham chiếu: hãy sửa mã hoặc bổ sung bảng gốc.`,
        en: `Column “${where}”: ${share} values are not in column “${check.target_column}” of the referenced table: fix the codes or complete that table.`,
      };
    case 'bounds':
      return {
        vi: `Cột “${where}”: ${share} giá trị ngoài khoảng ${check.min ?? '−∞'}–${check.max ?? '∞'}.`,
        en: `Column “${where}”: ${share} values outside ${check.min ?? '−∞'}–${check.max ?? '∞'}.`,
      };
    default:
      return { vi: `${share} vi phạm.`, en: `${share} failing.` };
  }
}
