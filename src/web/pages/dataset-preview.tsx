import type { PageContext } from '../context.js';
import { formatNumber } from '../format.js';
import { ProvinceMap } from '../province-map.js';
import { formatCell, formatFigure } from '../table-cells.js';
import type { TablePreview } from '../table-preview.js';
import { ChartValues } from './table-chart.js';

/** The first rows of a data set's table, and its province map where one fits, with a link to the whole table. */
export function DatasetPreview({ ctx, slug, preview }: { ctx: PageContext; slug: string; preview: TablePreview }) {
  const { t, lang } = ctx;
  const href = `/dataset/${slug}/table/${preview.distributionId}`;
  const chart = preview.chart;
  return (
    // unnamed, so not a landmark: the scrolling table below is the region of this name (axe landmark-unique)
    <section class="table-preview">
      <h2 id="preview-heading">
        {t('dataset.preview')}: {preview.title}
      </h2>
      <div class="table-scroll" tabindex={0} role="region" aria-labelledby="preview-heading">
        <table class="data-table">
          <thead>
            <tr>
              {preview.columns.map((c) => (
                <th scope="col">
                  {c.title}
                  {c.title !== c.id && <code class="col-id">{c.id}</code>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((r) => (
              <tr>
                {preview.columns.map((c) => (
                  <td class={c.type === 'integer' || c.type === 'number' ? 'num' : undefined}>
                    {formatCell(r[c.id], c, lang)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        {t('dataset.preview.shown', {
          shown: formatNumber(preview.rows.length, lang),
          total: formatNumber(preview.total, lang),
        })}{' '}
        <a href={href}>{t('dataset.preview.all')}</a>
      </p>
      {chart && (
        <figure class="chart">
          <ProvinceMap
            byCode={new Map(Object.entries(chart.provinces ?? {}))}
            title={`${chart.yLabel} / ${chart.xLabel}`}
            format={(n) => formatFigure(n, lang)}
            labels={{ legend: t('table.map.legend'), noData: t('table.map.noData'), credit: t('table.map.credit') }}
          />
          <figcaption>
            <ChartValues ctx={ctx} chart={chart} />
            <a
              href={`${href}?${new URLSearchParams([
                ['chart', 'tiles'],
                ['x', chart.spec.x],
                ['y', chart.spec.y],
              ])}`}
            >
              {t('dataset.preview.chart')}
            </a>
          </figcaption>
        </figure>
      )}
    </section>
  );
}
