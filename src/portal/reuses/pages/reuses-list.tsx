import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import { Pager } from '../../../web/components.js';
import { formatNumber } from '../../../web/format.js';
import { REUSE_KINDS } from '../reuses.repository.js';
import type { Reuse } from '../reuses.service.js';
import { ReuseCard } from './reuse-card.js';

/** `/reuses`: every shown reuse, newest first, filtered by kind and data set, a page at a time. */
export function ReusesListPage({
  ctx,
  items,
  total,
  page,
  perPage,
  filter,
}: {
  ctx: PageContext;
  items: Reuse[];
  total: number;
  page: number;
  perPage: number;
  filter: { kind: string; dataset: string };
}) {
  const { t, lang } = ctx;
  const base = new URLSearchParams();
  if (filter.kind) base.set('kind', filter.kind);
  if (filter.dataset) base.set('dataset', filter.dataset);
  if (lang === 'en') base.set('lang', 'en');
  return (
    <Layout ctx={ctx} title={t('reuses.title')}>
      <h1>{t('reuses.title')}</h1>
      <p class="lead">{t('reuses.lead')}</p>
      <p>
        <a class="button-link" href={`/reuses/new${lang === 'en' ? '?lang=en' : ''}`}>
          {t('reuses.submit')}
        </a>
      </p>
      <form method="get" action="/reuses" class="filter-row">
        {lang === 'en' && <input type="hidden" name="lang" value="en" />}
        <div class="field">
          <label for="kind">{t('reuses.filter.kind')}</label>
          <select id="kind" name="kind">
            <option value="">{t('reuses.filter.allKinds')}</option>
            {REUSE_KINDS.map((k) => (
              <option value={k} selected={filter.kind === k}>
                {t(`reuses.kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="dataset">{t('reuses.filter.dataset')}</label>
          <input id="dataset" name="dataset" value={filter.dataset} maxLength={200} />
        </div>
        <button type="submit" class="secondary">
          {t('reuses.filter.apply')}
        </button>
      </form>
      <p role="status">
        {t(total === 1 ? 'reuses.count.one' : 'reuses.count.other', { count: formatNumber(total, lang) })}
      </p>
      {items.length === 0 ? (
        <p>{t('reuses.none')}</p>
      ) : (
        <ul class="dataset-list" data-testid="reuses">
          {items.map((r) => (
            <ReuseCard ctx={ctx} r={r} heading="h2" />
          ))}
        </ul>
      )}
      <Pager ctx={ctx} total={total} limit={perPage} offset={(page - 1) * perPage} base={base} />
    </Layout>
  );
}
