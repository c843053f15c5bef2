import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import { formatNumber } from '../../../web/format.js';
import { SHARE_GROUPINGS, type ShareGrouping, type ShareRow, type Shares, type TypedField } from '../meter.service.js';
import { percent, ShareBars } from './share-bars.js';
import { TypedMost } from './typed-most.js';

/** Bars drawn at most: the table below the chart prints every row. */
const CHART_ROWS = 30;

export interface MeterFilter {
  by: ShareGrouping;
  from: string;
  to: string;
  agency: string;
}

/** `/services/reuse`: the share of reused fields against the 80% goal, by procedure, agency or province. */
export function MeterPage({
  ctx,
  filter,
  shares,
  typed,
  problem,
}: {
  ctx: PageContext;
  filter: MeterFilter;
  shares: Shares;
  typed: TypedField[];
  problem: string | null;
}) {
  const { t, lang } = ctx;
  const by = t(`meter.by.${filter.by}`).toLowerCase();
  const name = (r: ShareRow) =>
    r.id === null ? t('meter.central') : (lang === 'en' && r.name_en ? r.name_en : r.name_vi) || (r.code ?? '');
  const query = new URLSearchParams({ by: filter.by });
  for (const k of ['from', 'to', 'agency'] as const) if (filter[k]) query.set(k, filter[k]);
  const scoped = Boolean(filter.agency || filter.from || filter.to);
  const total = shares.total;
  return (
    <Layout ctx={ctx} title={t('meter.title')}>
      <h1>{t('meter.title')}</h1>
      <p class="lead">{t('meter.lead')}</p>
      <form method="get" action="/services/reuse" class="filter-row">
        {lang === 'en' && <input type="hidden" name="lang" value="en" />}
        <div class="field">
          <label for="by">{t('meter.filter.by')}</label>
          <select id="by" name="by">
            {SHARE_GROUPINGS.map((g) => (
              <option value={g} selected={filter.by === g}>
                {t(`meter.by.${g}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="from">{t('meter.filter.from')}</label>
          <input id="from" name="from" type="date" value={filter.from} />
        </div>
        <div class="field">
          <label for="to">{t('meter.filter.to')}</label>
          <input id="to" name="to" type="date" value={filter.to} />
        </div>
        <div class="field">
          <label for="agency">{t('meter.filter.agency')}</label>
          <input id="agency" name="agency" value={filter.agency} maxLength={200} />
        </div>
        <button type="submit" class="secondary">
          {t('meter.filter.apply')}
        </button>
      </form>
      {problem && (
        <p class="notice" role="alert">
          {t('meter.problem', { message: problem })}
        </p>
      )}
      <h2>{scoped ? t('meter.scope') : t('meter.national')}</h2>
      <ul class="stats" data-testid="total">
        <li>
          <strong>{percent(total.share, ctx)}</strong> {t('meter.share')}
        </li>
        <li>
          <strong>{formatNumber(total.dossiers, lang)}</strong> {t('meter.dossiers')}
        </li>
        <li>
          <strong>{formatNumber(total.reused, lang)}</strong> {t('meter.reused')}
        </li>
        <li>
          <strong>{formatNumber(total.typed, lang)}</strong> {t('meter.typed')}
        </li>
      </ul>
      <ShareBars
        ctx={ctx}
        bars={[{ label: scoped ? t('meter.scope') : t('meter.national'), share: total.share }]}
        label={`${t('meter.share')}: ${percent(total.share, ctx)}; ${t('meter.goalLine')}`}
      />
      <p>{t('meter.counting')}</p>
      <h2>{t('meter.table', { by })}</h2>
      {shares.rows.length === 0 ? (
        <p>{t('meter.none')}</p>
      ) : (
        <>
          <ShareBars
            ctx={ctx}
            bars={shares.rows.slice(0, CHART_ROWS).map((r) => ({ label: name(r), share: r.share }))}
            label={t('meter.chart', { by })}
          />
          {shares.rows.length > CHART_ROWS && <p>{t('meter.chartTop', { count: CHART_ROWS })}</p>}
          <div class="table-scroll" tabindex={0} role="region" aria-label={t('meter.table', { by })}>
            <table data-testid="shares">
              <caption class="visually-hidden">{t('meter.table', { by })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t(`meter.by.${filter.by}`)}</th>
                  <th scope="col">{t('meter.dossiers')}</th>
                  <th scope="col">{t('meter.reused')}</th>
                  <th scope="col">{t('meter.typed')}</th>
                  <th scope="col">{t('meter.share')}</th>
                  <th scope="col">{t('meter.goal')}</th>
                </tr>
              </thead>
              <tbody>
                {shares.rows.map((r) => (
                  <tr>
                    <th scope="row">
                      {filter.by === 'province' && r.slug ? (
                        <a href={drill(r.slug, filter, lang)}>{name(r)}</a>
                      ) : (
                        name(r)
                      )}
                    </th>
                    <td class="num">{formatNumber(r.dossiers, lang)}</td>
                    <td class="num">{formatNumber(r.reused, lang)}</td>
                    <td class="num">{formatNumber(r.typed, lang)}</td>
                    <td class="num">{percent(r.share, ctx)}</td>
                    <td>{r.meets_goal ? t('meter.meets') : t('meter.misses')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <p>
        <a href={`/api/v1/services/reuse?${query}&format=csv`} download>
          {t('meter.csv')}
        </a>{' '}
        · <a href={`/api/v1/services/reuse?${query}`}>{t('meter.api')}</a>
      </p>
      <h2>{t('meter.typedMost')}</h2>
      <p>{t('meter.typedMostLead')}</p>
      <TypedMost ctx={ctx} fields={typed} />
    </Layout>
  );
}

/** A province's own page of the meter: its agencies and communes. */
function drill(slug: string, f: MeterFilter, lang: string): string {
  const q = new URLSearchParams({ by: 'agency', agency: slug });
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', f.to);
  if (lang === 'en') q.set('lang', 'en');
  return `/services/reuse?${q}`;
}
