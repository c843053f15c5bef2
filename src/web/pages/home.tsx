import { Layout } from '../layout.js';
import { DatasetCard, SearchBox, type DatasetSummary } from '../components.js';
import type { PageContext } from '../context.js';
import { formatNumber } from '../format.js';

export interface HomeData {
  stats: { datasets: number; agencies: number; files: number; downloads: number };
  newest: DatasetSummary[];
  mostUsed: DatasetSummary[];
  themes: { id: string; label: string; count: number }[];
  publishers: { slug: string; name: string; count: number }[];
}

export function HomePage({ ctx, data }: { ctx: PageContext; data: HomeData }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('home.title')}>
      <section class="hero">
        <h1>{t('home.title')}</h1>
        <p class="lead">{t('home.lead')}</p>
        <SearchBox ctx={ctx} large />
        <ul class="stats">
          <li>
            <strong>{formatNumber(data.stats.datasets, ctx.lang)}</strong> {t('home.count.datasets')}
          </li>
          <li>
            <strong>{formatNumber(data.stats.agencies, ctx.lang)}</strong> {t('home.count.agencies')}
          </li>
          <li>
            <strong>{formatNumber(data.stats.files, ctx.lang)}</strong> {t('home.count.files')}
          </li>
          <li>
            <strong>{formatNumber(data.stats.downloads, ctx.lang)}</strong> {t('home.count.downloads')}
          </li>
        </ul>
      </section>
      <div class="columns">
        <section>
          <h2>{t('home.newest')}</h2>
          <ul class="dataset-list">
            {data.newest.map((d) => (
              <DatasetCard ctx={ctx} d={d} />
            ))}
          </ul>
        </section>
        <section>
          {data.mostUsed.length > 0 && (
            <>
              <h2>{t('home.mostUsed')}</h2>
              <ul class="plain-list">
                {data.mostUsed.map((d) => (
                  <li>
                    <a href={`/dataset/${d.slug}`}>{ctx.lang === 'en' && d.title_en ? d.title_en : d.title_vi}</a>
                  </li>
                ))}
              </ul>
            </>
          )}
          <h2>{t('home.themes')}</h2>
          <ul class="tag-list">
            {data.themes.map((th) => (
              <li>
                <a href={`/datasets?theme=${encodeURIComponent(th.id)}`}>
                  {th.label} <span class="count">{formatNumber(th.count, ctx.lang)}</span>
                </a>
              </li>
            ))}
          </ul>
          <h2>{t('home.publishers')}</h2>
          <ul class="plain-list">
            {data.publishers.map((p) => (
              <li>
                <a href={`/agency/${p.slug}`}>{p.name}</a> <span class="count">{formatNumber(p.count, ctx.lang)}</span>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </Layout>
  );
}
