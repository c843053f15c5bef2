import type { DatasetSection } from '../../../web/dataset-sections.js';
import { formatNumber } from '../../../web/format.js';
import type { ReusesService } from '../reuses.service.js';
import { ReuseCard } from './reuse-card.js';

/** The reuses of a data set on its page, newest first, with a link to submit one of it. */
export function reusesSection(reuses: ReusesService): DatasetSection {
  return async ({ ctx, view }) => {
    if (view.dataset.status !== 'published') return null;
    const { t, lang } = ctx;
    const { items, total } = await reuses.ofDataset(view.dataset.id);
    const slug = view.dataset.slug;
    const en = lang === 'en' ? '&lang=en' : '';
    return {
      main: (
        <section aria-labelledby="reuses-heading" data-testid="dataset-reuses">
          <h2 id="reuses-heading">{t('reuses.section.title')}</h2>
          {items.length === 0 ? (
            <p>{t('reuses.section.none')}</p>
          ) : (
            <ul class="dataset-list">
              {items.map((r) => (
                <ReuseCard ctx={ctx} r={r} />
              ))}
            </ul>
          )}
          {total > items.length && (
            <p>
              <a href={`/reuses?dataset=${encodeURIComponent(slug)}${en}`}>
                {t('reuses.section.all', { count: formatNumber(total, lang) })}
              </a>
            </p>
          )}
          <p>
            <a href={`/reuses/new?dataset=${encodeURIComponent(slug)}${en}`}>{t('reuses.section.submit')}</a>
          </p>
        </section>
      ),
    };
  };
}
