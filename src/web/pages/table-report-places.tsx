import type { PageContext } from '../context.js';
import { formatNumber } from '../format.js';
import type { PlacesView } from '../../datastore/places/places.service.js';

/**
 * The load report's place-name columns: each column recognised as province or commune names, its vintage, how many
 * rows match and which values do not; the button that adds the GSO code column; and what each added column left
 * empty, and why.
 */
export function PlaceColumns({
  ctx,
  distributionId,
  places,
}: {
  ctx: PageContext;
  distributionId: string;
  places: PlacesView | null;
}) {
  const { t, lang } = ctx;
  if (!places || (!places.columns.length && !places.derived.length)) return null;
  const n = (x: number) => formatNumber(x, lang);
  const percent = (x: number) =>
    new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { style: 'percent', maximumFractionDigits: 1 }).format(x);
  return (
    <section class="place-columns">
      <h2>{t('table.report.places')}</h2>
      <p>{t('table.report.places.intro')}</p>
      {places.columns.map((c) => {
        const derived = places.derived.filter((d) => d.source === c.column && d.level === c.level);
        const added = derived.map((d) => d.column);
        // offered only the codes not added yet: both vintages added, the form goes
        const open = (['2025', 'pre-2025'] as const).filter((v) => !derived.some((d) => d.vintage === v));
        return (
          <form method="post" action={`/dashboard/distributions/${distributionId}/places`} class="place-column">
            <h3>
              <code>{c.title}</code>: {t(`table.report.places.level.${c.level}`)} (
              {t(`table.report.places.vintage.${c.vintage}`)})
            </h3>
            <p>
              {t('table.report.places.rate', {
                matched: n(c.rows_matched),
                rows: n(c.rows),
                rate: percent(c.match_rate),
              })}
              {c.province_column ? ` ${t('table.report.places.within', { column: c.province_column })}` : ''}
            </p>
            {c.unmatched.length > 0 && (
              <p>
                {t('table.report.places.unmatched')}: {c.unmatched.map((u) => `${u.value} (${n(u.rows)})`).join(', ')}
              </p>
            )}
            {added.length > 0 && <p>{t('table.report.places.added', { columns: added.join(', ') })}</p>}
            {open.length > 0 && (
              <>
                <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
                <input type="hidden" name="column" value={c.column} />
                <label for={`place-vintage-${c.column}`}>{t('table.report.places.codes')}</label>{' '}
                <select id={`place-vintage-${c.column}`} name="vintage">
                  {open.map((v, i) => (
                    <option value={v} selected={i === 0}>
                      {t(`table.report.places.codes.${v}`)}
                    </option>
                  ))}
                </select>{' '}
                <button type="submit">{t('table.report.places.add', { column: c.suggested_name })}</button>
              </>
            )}
          </form>
        );
      })}
      {places.derived.map((d) => (
        <div class="place-derived">
          <h3>
            <code>{d.column}</code> ← <code>{d.source}</code>
          </h3>
          {d.carried_from && <p>{t('table.report.places.carried', { version: d.carried_from })}</p>}
          <p>
            {t('table.report.places.filled', {
              filled: n(d.rows_filled),
              empty: n(d.rows_empty),
              vintage: t(`table.report.places.codes.${d.vintage}`),
            })}
          </p>
          {d.unresolved.length > 0 && (
            <div class="table-scroll" tabindex={0} role="region" aria-label={t('table.report.places.unresolved')}>
              <table>
                <caption>{t('table.report.places.unresolved')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('table.value')}</th>
                    {d.province_column && <th scope="col">{d.province_column}</th>}
                    <th scope="col">{t('table.rows')}</th>
                    <th scope="col">{t('table.report.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.unresolved.map((u) => (
                    <tr>
                      <td>{u.value}</td>
                      {d.province_column && <td>{u.province ?? ''}</td>}
                      <td class="num">{n(u.rows)}</td>
                      <td>
                        {lang === 'en' ? u.reason_en : u.reason_vi}
                        {u.candidates.length > 0 && ` (${u.candidates.map((x) => `${x.code} ${x.name}`).join('; ')})`}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      ))}
    </section>
  );
}
