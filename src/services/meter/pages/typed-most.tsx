import type { PageContext } from '../../../web/context.js';
import { formatNumber } from '../../../web/format.js';
import type { Holder, Remedy, TypedField } from '../meter.service.js';

const REASONS = ['disputed', 'refused', 'timeout', 'not_found', 'no_value', 'unavailable', 'no_source', 'none'];

function remedyText(ctx: PageContext, r: Remedy): string {
  const { t, lang } = ctx;
  const holder = (h: Holder) => (h.kind === 'register' ? h.name[lang] : `${h.name[lang]} (${h.procedureCode})`);
  switch (r.kind) {
    case 'held':
      return r.holder.kind === 'register'
        ? t('meter.remedy.heldRegister', { name: holder(r.holder) })
        : t('meter.remedy.heldResult', { name: holder(r.holder) });
    case 'unheld':
      return t('meter.remedy.unheld', { label: r.label[lang] });
    case 'bind':
      return t('meter.remedy.bind', { element: r.holder.element, name: holder(r.holder) });
    default:
      return t('meter.remedy.asked');
  }
}

/** Why a field was typed, most frequent first: "bị từ chối 3, người nộp khai lại 1". */
function reasonsText(ctx: PageContext, reasons: Record<string, number>): string {
  return Object.entries(reasons)
    .sort((a, b) => b[1] - a[1] || REASONS.indexOf(a[0]) - REASONS.indexOf(b[0]))
    .map(([code, n]) => `${REASONS.includes(code) ? ctx.t(`meter.reason.${code}`) : code} ${formatNumber(n, ctx.lang)}`)
    .join(', ');
}

/** The fields most often typed by hand: how often, why, and what would spare the applicant the typing. */
export function TypedMost({ ctx, fields }: { ctx: PageContext; fields: TypedField[] }) {
  const { t, lang } = ctx;
  if (!fields.length) return <p>{t('meter.noTyped')}</p>;
  return (
    <div class="table-scroll" tabindex={0} role="region" aria-label={t('meter.typedMost')}>
      <table data-testid="typed-most">
        <caption class="visually-hidden">{t('meter.typedMost')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('meter.field')}</th>
            <th scope="col">{t('meter.times')}</th>
            <th scope="col">{t('meter.why')}</th>
            <th scope="col">{t('meter.remedy')}</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => (
            <tr>
              <td>
                {f.label[lang]}
                <br />
                <small>
                  {f.procedure.name[lang]} ({f.procedure.code})
                </small>
              </td>
              <td class="num">{formatNumber(f.typed, lang)}</td>
              <td>{reasonsText(ctx, f.reasons)}</td>
              <td>{remedyText(ctx, f.remedy)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
