import type { PageContext } from '../../web/context.js';

/** A read's purpose in words, by its code: another part (the services' procedures) names the codes it knows. */
export type PurposeLabels = (codes: string[]) => Promise<Map<string, { vi: string; en: string }>>;

/** “Cấp Giấy xác nhận tình trạng hôn nhân (1.004873)” where the code is named; the code as it is otherwise. */
export function purposeText(ctx: PageContext, code: string, labels: Map<string, { vi: string; en: string }>): string {
  const label = labels.get(code);
  return label ? `${ctx.lang === 'en' ? label.en : label.vi} (${code})` : code;
}
