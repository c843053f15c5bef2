import { Layout } from '../layout.js';
import { DatasetCard, Pager, type DatasetSummary } from '../components.js';
import type { PageContext } from '../context.js';
import { formatNumber } from '../format.js';
import { FeedHead, FeedLink, FollowButton } from '../follow-button.js';

export const FACETS = ['agency', 'theme', 'format', 'licence', 'province', 'keyword'] as const;
export type FacetName = (typeof FACETS)[number];
const SORTS = ['relevance', 'modified_desc', 'issued_desc', 'title_asc', 'views_desc', 'downloads_desc'] as const;

export interface SearchData {
  q: string;
  selected: Record<FacetName, string[]>;
  sort: string;
  total: number;
  /** no data set matched every word: these match some, most first */
  partial?: boolean;
  limit: number;
  offset: number;
  results: DatasetSummary[];
  facets: Record<FacetName, { value: string; count: number; label?: string }[]>;
}

export function SearchPage({ ctx, data }: { ctx: PageContext; data: SearchData }) {
  const { t } = ctx;
  const base = new URLSearchParams();
  if (data.q) base.set('q', data.q);
  for (const f of FACETS) for (const v of data.selected[f]) base.append(f, v);
  if (data.sort) base.set('sort', data.sort);
  const heading = data.q
    ? t(data.total === 1 ? 'search.resultsFor.one' : 'search.resultsFor.other', {
        count: formatNumber(data.total, ctx.lang),
        q: data.q,
      })
    : t(data.total === 1 ? 'search.results.one' : 'search.results.other', {
        count: formatNumber(data.total, ctx.lang),
      });
  const anySelected = FACETS.some((f) => data.selected[f].length > 0);
  // the search without its sort: what a follow and the feed keep
  const followed = new URLSearchParams(base);
  followed.delete('sort');
  return (
    <Layout
      ctx={ctx}
      title={data.q ? `${data.q} — ${t('search.title')}` : t('search.title')}
      head={<FeedHead href={`/datasets/feed.atom?${followed.toString()}`} title={t('search.title')} />}
    >
      <h1>{t('search.title')}</h1>
      {(data.q || anySelected) && (
        <div class="follow-bar">
          <FollowButton ctx={ctx} fields={[['kind', 'search'], ...followed]} label={t('follow.search.button')} />{' '}
          <FeedLink ctx={ctx} href={`/datasets/feed.atom?${followed.toString()}`} />
        </div>
      )}
      <form method="get" action="/datasets" class="search-layout" id="search-form">
        <div class="search-main">
          <div class="search-box" role="search">
            <label for="q" class="visually-hidden">
              {t('search.label')}
            </label>
            <div class="search-row">
              <input type="search" id="q" name="q" value={data.q} placeholder={t('search.placeholder')} />
              <button type="submit">{t('search.button')}</button>
            </div>
          </div>
          <div class="results-header">
            <p role="status" class="result-count">
              {heading}
            </p>
            <div class="sort">
              <label for="sort">{t('search.sort')}</label>
              {/* no change handler: arrowing through the options must not reload the page (WCAG 3.2.2) */}
              <select id="sort" name="sort">
                {SORTS.map((s) => (
                  <option value={s} selected={data.sort === s}>
                    {t(`sort.${s}`)}
                  </option>
                ))}
              </select>{' '}
              <button type="submit" class="secondary">
                {t('search.sortApply')}
              </button>
            </div>
          </div>
          {data.partial && data.results.length > 0 && <p class="notice">{t('search.partial')}</p>}
          {/* the cards are h3s: this keeps the heading order h1 → h2 → h3 (axe heading-order) */}
          <h2 class="visually-hidden">{t('search.resultsHeading')}</h2>
          {data.results.length ? (
            <ul class="dataset-list">
              {data.results.map((d) => (
                <DatasetCard ctx={ctx} d={d} />
              ))}
            </ul>
          ) : (
            <p class="empty">{t('search.none')}</p>
          )}
          <Pager ctx={ctx} total={data.total} limit={data.limit} offset={data.offset} base={base} />
        </div>
        <aside class="facets" aria-labelledby="filters-heading">
          <h2 id="filters-heading">{t('search.filters')}</h2>
          {/* first and collapsed on phones, so results are not pushed below every facet; open on wider screens */}
          <details class="collapse-narrow" open={anySelected}>
            <summary>{t('search.showFilters')}</summary>
            {FACETS.map((f) => {
              const values = data.facets[f];
              const selected = new Set(data.selected[f]);
              // Selected values stay visible even when they fall out of the top counts.
              const shown = [
                ...values,
                ...[...selected]
                  .filter((v) => !values.some((x) => x.value === v))
                  .map((v) => ({ value: v, count: 0, label: undefined })),
              ];
              if (!shown.length) return null;
              return (
                <fieldset class="facet">
                  <legend>{t(`facet.${f}`)}</legend>
                  {shown.slice(0, 12).map((v, i) => (
                    <div class="checkbox">
                      <input
                        type="checkbox"
                        id={`f-${f}-${i}`}
                        name={f}
                        value={v.value}
                        checked={selected.has(v.value)}
                        data-autosubmit
                      />
                      <label for={`f-${f}-${i}`}>
                        {v.label ?? v.value} <span class="count">({formatNumber(v.count, ctx.lang)})</span>
                      </label>
                    </div>
                  ))}
                </fieldset>
              );
            })}
            <button type="submit" class="secondary">
              {t('search.apply')}
            </button>
            {anySelected && (
              <p>
                <a href={data.q ? `/datasets?q=${encodeURIComponent(data.q)}` : '/datasets'}>{t('search.clear')}</a>
              </p>
            )}
          </details>
        </aside>
      </form>
    </Layout>
  );
}
