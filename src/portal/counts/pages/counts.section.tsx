import type { DatasetSection } from '../../../web/dataset-sections.js';
import { formatNumber } from '../../../web/format.js';
import type { PageContext } from '../../../web/context.js';
import type { CountsService, DatasetFigures } from '../counts.service.js';
import { visitOf } from '../counts.routes.js';

/**
 * The data set page's counts (below its metadata): views and downloads, in total and over the last 30 days, and each
 * file's. Showing the page is also what counts its view (published data sets only), before the figures are read.
 */
export function countsSection(counts: CountsService): DatasetSection {
  return async ({ req, ctx, view }) => {
    if (view.dataset.status !== 'published') return null;
    counts.datasetViewed(visitOf(req), view.dataset.id);
    const figures = await counts.datasetFigures(view.dataset.id);
    const files = view.distributions.map((x) => ({
      title: ctx.lang === 'en' && x.title_en ? x.title_en : x.title_vi,
      ...(figures.files.get(x.id) ?? { views: 0, downloads: 0 }),
    }));
    return { aside: <CountsBox ctx={ctx} figures={figures} files={files} /> };
  };
}

function CountsBox({
  ctx,
  figures,
  files,
}: {
  ctx: PageContext;
  figures: DatasetFigures;
  files: { title: string; views: number; downloads: number }[];
}) {
  const { t, lang } = ctx;
  const n = (x: number) => formatNumber(x, lang);
  const used = files.filter((f) => f.views > 0 || f.downloads > 0);
  return (
    <section class="counts" aria-labelledby="counts-heading">
      <h2 id="counts-heading">{t('counts.title')}</h2>
      <table class="counts-table">
        <thead>
          <tr>
            <td />
            <th scope="col">{t('counts.total')}</th>
            <th scope="col">{t('counts.recent')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{t('counts.views')}</th>
            <td data-count="views">{n(figures.total.views)}</td>
            <td>{n(figures.recent.views)}</td>
          </tr>
          <tr>
            <th scope="row">{t('counts.downloads')}</th>
            <td data-count="downloads">{n(figures.total.downloads)}</td>
            <td>{n(figures.recent.downloads)}</td>
          </tr>
        </tbody>
      </table>
      {used.length > 0 && (
        <>
          <h3>{t('counts.files')}</h3>
          <ul class="counts-files">
            {used.map((f) => (
              <li>
                {f.title}: {t('counts.fileLine', { views: n(f.views), downloads: n(f.downloads) })}
              </li>
            ))}
          </ul>
        </>
      )}
      <p class="hint">{t('counts.note')}</p>
    </section>
  );
}
