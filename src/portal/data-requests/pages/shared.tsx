import type { PageContext } from '../../../web/context.js';
import type { AgencyRow } from '../../../masterdata/masterdata.service.js';
import type { Clock } from '../clocks.js';

export const agencyName = (ctx: PageContext, a: Pick<AgencyRow, 'name_vi' | 'name_en'> | null) =>
  a ? (ctx.lang === 'en' && a.name_en ? a.name_en : a.name_vi) : ctx.t('datareq.noAgency');

/** Where an open request's clock stands, in words: “3 working days left”, “2 days late”. */
export function ClockText({ ctx, clock }: { ctx: PageContext; clock: Clock | null }) {
  if (!clock) return null;
  if (clock.daysLate > 0) return <strong class="late">{ctx.t('datareq.late', { days: clock.daysLate })}</strong>;
  if (clock.daysLeft === 0) return <strong class="late">{ctx.t('datareq.lastDay')}</strong>;
  return <span>{ctx.t('datareq.daysLeft', { days: clock.daysLeft })}</span>;
}

/** The agencies as options of a select, “don't know” (or none) first. */
export function AgencyOptions({
  ctx,
  agencies,
  selected,
  none,
}: {
  ctx: PageContext;
  agencies: Pick<AgencyRow, 'slug' | 'name_vi' | 'name_en'>[];
  selected: string;
  none: string;
}) {
  return (
    <>
      <option value="">{none}</option>
      {agencies.map((a) => (
        <option value={a.slug} selected={a.slug === selected}>
          {agencyName(ctx, a)}
        </option>
      ))}
    </>
  );
}
