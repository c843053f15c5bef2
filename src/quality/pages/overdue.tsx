import { Layout } from '../../web/layout.js';
import type { PageContext } from '../../web/context.js';
import { formatDate } from '../../web/format.js';
import type { QualityService } from '../checks/quality.service.js';

export type Overdue = Awaited<ReturnType<QualityService['overdue']>>;

/** Public: the data sets each ministry and province has let fall behind their own declared update frequency. */
export function OverduePage({ ctx, data, agency }: { ctx: PageContext; data: Overdue; agency: string | null }) {
  const { t, lang } = ctx;
  const name = (a: Overdue['by_agency'][number]['agency']) => (lang === 'en' && a.name_en ? a.name_en : a.name_vi);
  return (
    <Layout ctx={ctx} title={t('overdue.title')}>
      <h1>{t('overdue.title')}</h1>
      <p>{t('overdue.intro')}</p>
      <p class="result-count">
        {data.total} {t('overdue.count')} · {formatDate(data.as_of, lang)}
      </p>
      {agency && (
        <p>
          <a href="/overdue">{t('overdue.all')}</a>
        </p>
      )}
      {data.by_agency.length > 0 && (
        <table>
          <caption>{t('overdue.byAgency')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('overdue.agency')}</th>
              <th scope="col">{t('overdue.late')}</th>
            </tr>
          </thead>
          <tbody>
            {data.by_agency.map((a) => (
              <tr>
                <td>
                  <a href={`/overdue?agency=${a.agency.slug}`}>{name(a.agency)}</a>
                </td>
                <td class="num">{a.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data.datasets.length > 0 ? (
        <div class="table-scroll" tabindex={0} role="region" aria-label={t('overdue.datasets')}>
          <table>
            <caption>{t('overdue.datasets')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('overdue.dataset')}</th>
                <th scope="col">{t('overdue.frequency')}</th>
                <th scope="col">{t('overdue.due')}</th>
                <th scope="col">{t('overdue.days')}</th>
              </tr>
            </thead>
            <tbody>
              {data.datasets.map((d) => (
                <tr>
                  <td>
                    <a href={`/dataset/${d.slug}`}>{d.title_vi}</a>
                  </td>
                  <td>{t(`freq.${d.update_frequency}`)}</td>
                  <td>{formatDate(d.due, lang)}</td>
                  <td class="num">{d.days_overdue}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t('overdue.none')}</p>
      )}
    </Layout>
  );
}
