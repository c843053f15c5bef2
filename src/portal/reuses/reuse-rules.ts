import { type ErrorDetail, invalid } from '../../platform/errors.js';
import type { ReuseFields } from './reuses.repository.js';

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 4000;
export const URL_MAX = 2000;
export const DATASETS_MAX = 20;
export const REASON_MAX = 2000;

/** An address a reader may follow: http or https only (never `javascript:` or `data:`), with a host. */
export function isWebAddress(s: string): boolean {
  if (s.length > URL_MAX) return false;
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
  } catch {
    return false;
  }
}

/**
 * A reuse's fields trimmed and checked, each mistake in both languages naming its field; a plain function, so the
 * API and the form say the same.
 */
export function checkReuse(
  b: { title: string; description: string; url: string; image_url?: string | null; kind: ReuseFields['kind'] },
  datasetKeys: string[],
): { fields: ReuseFields; keys: string[] } {
  const title = b.title.trim();
  const description = b.description.trim();
  const url = b.url.trim();
  const image = b.image_url?.trim() || null;
  const keys = [...new Set(datasetKeys.map((k) => k.trim()).filter(Boolean))];
  const errors: ErrorDetail[] = [];
  if (title.length < 3 || title.length > TITLE_MAX)
    errors.push({
      field: 'title',
      vi: `Tên phải dài từ 3 đến ${TITLE_MAX} ký tự.`,
      en: `The title must be 3 to ${TITLE_MAX} characters long.`,
    });
  if (description.length < 10 || description.length > DESCRIPTION_MAX)
    errors.push({
      field: 'description',
      vi: 'Mô tả phải dài từ 10 đến 4.000 ký tự.',
      en: 'The description must be 10 to 4,000 characters long.',
    });
  if (!isWebAddress(url))
    errors.push({
      field: 'url',
      vi: 'Địa chỉ phải là một liên kết http:// hoặc https://.',
      en: 'The address must be an http:// or https:// link.',
    });
  if (image && !isWebAddress(image))
    errors.push({
      field: 'image_url',
      vi: 'Địa chỉ ảnh phải là một liên kết http:// hoặc https://.',
      en: 'The image address must be an http:// or https:// link.',
    });
  if (keys.length < 1 || keys.length > DATASETS_MAX)
    errors.push({
      field: 'datasets',
      vi: `Hãy chọn từ 1 đến ${DATASETS_MAX} bộ dữ liệu mà sản phẩm sử dụng.`,
      en: `Choose 1 to ${DATASETS_MAX} data sets the reuse uses.`,
    });
  if (errors.length) throw invalid(errors);
  return { fields: { kind: b.kind, title, description, url, image_url: image }, keys };
}

/** A moderator's reason, trimmed and bounded. */
export function checkReason(reason: string): string {
  const r = reason.trim();
  if (r.length < 3 || r.length > REASON_MAX)
    throw invalid([
      {
        field: 'reason',
        vi: 'Hãy nêu lý do ẩn (từ 3 đến 2.000 ký tự).',
        en: 'Give the reason for hiding it (3 to 2,000 characters).',
      },
    ]);
  return r;
}
