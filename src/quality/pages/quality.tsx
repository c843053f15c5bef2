import { Layout } from '../../web/layout.js';
import type { PageContext } from '../../web/context.js';
import { formatDate, formatScore } from '../../web/format.js';
import type { CardService } from '../card/card.service.js';
import { DIMENSIONS } from '../card/card.js';

export type CardView = Awaited<ReturnType<CardService['card']>>;
export type Rollup = Awaited<ReturnType<CardService['rollup']>>;

const json = (x: unknown) => JSON.stringify(x).replace(/</g, '\\u003c');

/** A data set's quality card: nine dimensions, the grade, every fix with its gain, and the history as a line. */
export function QualityCardPage({ ctx, card }: { ctx: PageContext; card: CardView }) {
  const { t, lang } = ctx;
  const text = (x: { vi: string; en: string }) => (lang === 'en' ? x.en : x.vi);
  const chart =
    card.history.length > 1
      ? {
          spec: { kind: 'line' },
          labels: card.history.map((h) => formatDate(h.at, lang)),
          values: card.history.map((h) => h.overall),
          xLabel: t('quality.history.when'),
          yLabel: t('quality.overall'),
        }
      : null;
  return (
    <Layout
      ctx={ctx}
      title={`${t('quality.card')} — ${card.dataset.title_vi}`}
      head={
        chart ? (
          <>
            <script src="/assets/vendor/chartjs/chart.umd.min.js" defer />
            <script src="/assets/chart.js" defer />
          </>
        ) : undefined
      }
    >
      <p>
        <a href={`/dataset/${card.dataset.slug}`}>← {card.dataset.title_vi}</a>
      </p>
      <h1>{t('quality.card')}</h1>
      <p class="quality-overall">
        {card.overall === null ? (
          t('quality.notMeasured')
        ) : (
          <>
            <strong class={`grade grade-${card.grade}`}>{card.grade}</strong> {t('quality.overall')}:{' '}
            <strong>{formatScore(card.overall, lang)}</strong>/100
          </>
        )}
        {' · '}
        {formatDate(card.as_of, lang)}
      </p>
      <table class="quality-dimensions">
        <caption>{t('quality.dimensions')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('quality.dimension')}</th>
            <th scope="col">{t('quality.score')}</th>
            <th scope="col">{t('quality.basis')}</th>
          </tr>
        </thead>
        <tbody>
          {card.dimensions.map((d) => (
            <tr>
              <th scope="row">{text(d)}</th>
              <td class="num">
                {d.score === null ? (
                  <span class="muted">{t('quality.notMeasured')}</span>
                ) : (
                  <>
                    <meter min={0} max={100} low={60} high={90} optimum={100} value={d.score} aria-label={text(d)} />{' '}
                    {formatScore(d.score, lang)}
                  </>
                )}
              </td>
              <td>{text(d.basis)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('quality.fixes')}</h2>
      {card.issues.length ? (
        <ol class="quality-issues">
          {card.issues.map((i) => (
            <li>
              <span class="tag">{text(DIMENSIONS.find((d) => d.id === i.dimension)!)}</span> {text(i)}
              {i.gain !== null && i.gain > 0 && (
                <strong>
                  {' '}
                  (+{formatScore(i.gain, lang)} {t('quality.points')})
                </strong>
              )}
            </li>
          ))}
        </ol>
      ) : (
        <p>{t('quality.noFixes')}</p>
      )}
      <h2>{t('quality.history')}</h2>
      {chart && (
        <figure class="chart">
          <canvas id="chart" role="img" aria-label={`${t('quality.history')}: ${t('quality.overall')}`} />
          <script type="application/json" id="chart-data" dangerouslySetInnerHTML={{ __html: json(chart) }} />
        </figure>
      )}
      {card.history.length ? (
        <table>
          <caption>{t('quality.history.table')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('quality.history.when')}</th>
              <th scope="col">{t('quality.overall')}</th>
              <th scope="col">{t('quality.grade')}</th>
            </tr>
          </thead>
          <tbody>
            {[...card.history].reverse().map((h) => (
              <tr>
                <td>{formatDate(h.at, lang)}</td>
                <td class="num">{formatScore(h.overall, lang)}</td>
                <td>{h.grade ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('quality.history.none')}</p>
      )}
      <p>
        <a href={`/api/v1/datasets/${card.dataset.slug}/quality`}>JSON</a>
      </p>
    </Layout>
  );
}

/** Public: agencies ranked by the quality of their published data, the nationwide averages, and the worst data sets. */
export function QualityRankingPage({ ctx, data }: { ctx: PageContext; data: Rollup }) {
  const { t, lang } = ctx;
  const text = (x: { vi: string; en: string }) => (lang === 'en' ? x.en : x.vi);
  return (
    <Layout ctx={ctx} title={t('quality.ranking')}>
      <h1>{t('quality.ranking')}</h1>
      <p>{t('quality.ranking.intro')}</p>
      <p class="result-count">
        {data.nationwide.datasets} {t('quality.ranking.datasets')} · {t('quality.nationwide')}:{' '}
        <strong>{formatScore(data.nationwide.overall, lang)}</strong>/100
      </p>
      <div class="table-scroll" tabindex={0} role="region" aria-label={t('quality.ranking.byAgency')}>
        <table>
          <caption>{t('quality.ranking.byAgency')}</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('overdue.agency')}</th>
              <th scope="col">{t('quality.ranking.count')}</th>
              <th scope="col">{t('quality.overall')}</th>
              {DIMENSIONS.map((d) => (
                <th scope="col">{text(d)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr class="total">
              <td />
              <th scope="row">{t('quality.nationwide')}</th>
              <td class="num">{data.nationwide.datasets}</td>
              <td class="num">{formatScore(data.nationwide.overall, lang)}</td>
              {DIMENSIONS.map((d) => (
                <td class="num">{formatScore(data.nationwide.dimensions[d.id], lang)}</td>
              ))}
            </tr>
            {data.agencies.map((a) => (
              <tr>
                <td class="num">{a.rank}</td>
                <th scope="row">
                  <a href={`/agency/${a.agency.slug}`}>
                    {lang === 'en' && a.agency.name_en ? a.agency.name_en : a.agency.name_vi}
                  </a>
                </th>
                <td class="num">{a.datasets}</td>
                <td class="num">{formatScore(a.overall, lang)}</td>
                {DIMENSIONS.map((d) => (
                  <td class="num">{formatScore(a.dimensions[d.id], lang)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t('quality.worst')}</h2>
      {data.worst.length ? (
        <ol>
          {data.worst.map((w) => (
            <li>
              <a href={`/dataset/${w.slug}/quality`}>{w.title_vi}</a> — {formatScore(w.overall, lang)} ({w.grade})
            </li>
          ))}
        </ol>
      ) : (
        <p>{t('quality.history.none')}</p>
      )}
      <p>
        <a href="/api/v1/quality/agencies">JSON</a>
      </p>
    </Layout>
  );
}
