import type { PageContext } from '../../../web/context.js';
import { formatDate } from '../../../web/format.js';
import type { DatasetRef } from '../../datasets.js';
import type { Reuse } from '../reuses.service.js';

export const datasetTitle = (ctx: PageContext, d: DatasetRef) =>
  ctx.lang === 'en' ? (d.title_en ?? d.title_vi) : d.title_vi;

/** A reuse in a list: its kind, title (a link to its page), who submitted it when, and the data it uses. */
export function ReuseCard({ ctx, r, heading = 'h3' }: { ctx: PageContext; r: Reuse; heading?: 'h2' | 'h3' }) {
  const { t, lang } = ctx;
  const H = heading;
  const datasets = r.datasets.filter((d) => d.published);
  return (
    <li class="dataset-card" data-testid="reuse">
      <p class="meta">{t(`reuses.kind.${r.row.kind}`)}</p>
      <H>
        <a href={`/reuses/${r.row.id}${lang === 'en' ? '?lang=en' : ''}`}>{r.row.title}</a>
      </H>
      <p class="hint">{t('reuses.by', { name: r.row.submitter_name, date: formatDate(r.row.created_at, lang) })}</p>
      {datasets.length > 0 && (
        <p>
          {t('reuses.uses')}:{' '}
          {datasets.map((d, i) => (
            <>
              {i > 0 && ', '}
              <a href={`/dataset/${d.slug}`}>{datasetTitle(ctx, d)}</a>
            </>
          ))}
        </p>
      )}
    </li>
  );
}
