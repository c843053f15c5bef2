import type { PageContext } from '../../../web/context.js';
import type { AgencyRef, ProcedureRow } from '../procedure.js';
import type { Holder } from '../sources-view.js';

/** A name in the reader's language: the English one where there is one. */
export const named = (ctx: PageContext, x: { name_vi: string; name_en: string | null } | null | undefined) =>
  x ? (ctx.lang === 'en' && x.name_en) || x.name_vi : '';

export const procedureName = (ctx: PageContext, p: Pick<ProcedureRow, 'name_vi' | 'name_en'>) => named(ctx, p);

export const agencyName = (ctx: PageContext, a: AgencyRef | null | undefined) => named(ctx, a);

export const labelOf = (ctx: PageContext, l: { vi: string; en: string } | null, fallback: string) =>
  l ? (ctx.lang === 'en' && l.en) || l.vi : fallback;

/** "3 ngày làm việc" / "1 working day", "3 working days". */
export const workingDays = (ctx: PageContext, n: number) =>
  ctx.t(n === 1 ? 'procs.days.one' : 'procs.days.other', { count: n });

/** Where a field's value will come from, as the applicant reads it. */
export function sourceText(ctx: PageContext, h: Holder | undefined): string {
  if (!h) return ctx.t('procs.source.typed');
  if (h.kind === 'result')
    return ctx.t('procs.source.result', { procedure: named(ctx, h.procedure), agency: agencyName(ctx, h.agency) });
  return ctx.t('procs.source.register', { database: named(ctx, h.database), agency: agencyName(ctx, h.agency) });
}

/** `?lang=en` on English pages, for links and form actions. */
export const langQuery = (ctx: PageContext, sep: '?' | '&' = '?') => (ctx.lang === 'en' ? `${sep}lang=en` : '');
