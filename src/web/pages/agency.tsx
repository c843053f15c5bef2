import { Layout } from '../layout.js';
import { DatasetCard, type DatasetSummary } from '../components.js';
import type { PageContext } from '../context.js';
import { formatNumber } from '../format.js';
import { agencyName, type AgencyItem } from './agency-list.js';
import { FeedHead, FeedLink, FollowButton } from '../follow-button.js';

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
  databases: { id: string; name_vi: string; name_en: string | null; category: string; status: string }[];
}) {
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={agencyName(ctx, agency)}
      head={<FeedHead href={`/agency/${agency.slug}/feed.atom`} title={agencyName(ctx, agency)} />}
    >
      <p class="breadcrumbs">
        <a href="/agencies">{t('nav.agencies')}</a>
      </p>
      <h1>{agencyName(ctx, agency)}</h1>
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
            {t(total === 1 ? 'search.results.one' : 'search.results.other', { count: formatNumber(total, ctx.lang) })}
          </a>
        </p>
      )}
      <h2>{t('agency.databases')}</h2>
      {databases.length ? (
        <ul class="plain-list">
          {databases.map((db) => (
            <li>
              <a href={`/databases/${db.id}`}>{(ctx.lang === 'en' && db.name_en) || db.name_vi}</a>
            </li>
          ))}
        </ul>
      ) : (
        <p class="empty">{t('databases.none')}</p>
      )}
    </Layout>
  );
}
