import { Layout } from '../layout.js';
import { DatasetCard, Pager, type DatasetSummary } from '../components.js';
import type { PageContext } from '../context.js';
import { formatNumber } from '../format.js';
import { FeedHead, FeedLink, FollowButton } from '../follow-button.js';

export interface AgencyItem {
  slug: string;
  code: string;
  name_vi: string;
  name_en: string | null;
  kind: string;
}

const name = (ctx: PageContext, a: { name_vi: string; name_en: string | null }) =>
  ctx.lang === 'en' && a.name_en ? a.name_en : a.name_vi;

export function AgenciesPage({
  ctx,
  agencies,
  total,
  q,
  kind,
  limit,
  offset,
}: {
  ctx: PageContext;
  agencies: AgencyItem[];
  total: number;
  q: string;
  kind: string;
  limit: number;
  offset: number;
}) {
  const { t } = ctx;
  const base = new URLSearchParams();
  if (q) base.set('q', q);
  if (kind) base.set('kind', kind);
  return (
    <Layout ctx={ctx} title={t('agencies.title')}>
      <h1>{t('agencies.title')}</h1>
      <p class="lead">{t('agencies.lead')}</p>
      <form method="get" action="/agencies" class="filter-row">
        <div class="field">
          <label for="agency-q">{t('agencies.filter')}</label>
          <input type="search" id="agency-q" name="q" value={q} />
        </div>
        <div class="field">
          <label for="agency-kind">{t('db.category')}</label>
          <select id="agency-kind" name="kind">
            {['', 'ministry', 'ministerial_agency', 'government_agency', 'province', 'commune'].map((k) => (
              <option value={k} selected={k === kind}>
                {k ? t(`agency.kind.${k}`) : t('form.none')}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t('search.button')}</button>
      </form>
      <p role="status">{formatNumber(total, ctx.lang)}</p>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('units.name')}</th>
            <th scope="col">{t('db.category')}</th>
            <th scope="col">{t('agency.code')}</th>
          </tr>
        </thead>
        <tbody>
          {agencies.map((a) => (
            <tr>
              <td>
                <a href={`/agency/${a.slug}`}>{name(ctx, a)}</a>
              </td>
              <td>{t(`agency.kind.${a.kind}`)}</td>
              <td>
                <code>{a.code}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager ctx={ctx} total={total} limit={limit} offset={offset} base={base} />
    </Layout>
  );
}

export function AgencyPage({
  ctx,
  agency,
  datasets,
  total,
  databases,
}: {
  ctx: PageContext;
  agency: AgencyItem;
  datasets: DatasetSummary[];
  total: number;
  databases: { id: string; name_vi: string; category: string; status: string }[];
}) {
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={name(ctx, agency)}
      head={<FeedHead href={`/agency/${agency.slug}/feed.atom`} title={name(ctx, agency)} />}
    >
      <p class="breadcrumbs">
        <a href="/agencies">{t('nav.agencies')}</a>
      </p>
      <h1>{name(ctx, agency)}</h1>
      <p class="meta">
        {t(`agency.kind.${agency.kind}`)} · {t('agency.code')} <code>{agency.code}</code>
      </p>
      <div class="follow-bar">
        <FollowButton
          ctx={ctx}
          fields={[
            ['kind', 'agency'],
            ['agency', agency.slug],
          ]}
          label={t('follow.agency.button')}
        />{' '}
        <FeedLink ctx={ctx} href={`/agency/${agency.slug}/feed.atom`} />
      </div>
      <h2>
        {t('agency.datasets')} ({formatNumber(total, ctx.lang)})
      </h2>
      {datasets.length ? (
        <ul class="dataset-list">
          {datasets.map((d) => (
            <DatasetCard ctx={ctx} d={d} />
          ))}
        </ul>
      ) : (
        <p class="empty">{t('search.none')}</p>
      )}
      {total > datasets.length && (
        <p>
          <a href={`/datasets?agency=${encodeURIComponent(agency.slug)}`}>
            {t('search.results', { count: formatNumber(total, ctx.lang) })}
          </a>
        </p>
      )}
      <h2>{t('agency.databases')}</h2>
      {databases.length ? (
        <ul class="plain-list">
          {databases.map((db) => (
            <li>
              <a href={`/databases/${db.id}`}>{db.name_vi}</a>
            </li>
          ))}
        </ul>
      ) : (
        <p class="empty">{t('databases.none')}</p>
      )}
    </Layout>
  );
}
