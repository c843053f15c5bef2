import type { PageContext } from '../context.js';
import { ProvinceMap } from '../province-map.js';
import { chartApiQuery } from '../table-chart.js';
import { formatFigure } from '../table-cells.js';
import type { TablePageData } from './table.js';

const qs = (pairs: [string, string][]) => (pairs.length ? `?${new URLSearchParams(pairs)}` : '');

/**
 * A table page's chart: the form (which keeps the chart asked for, even one that could not be drawn), the chart, the
 * province map with its legend and credit, or why the map could not be drawn and the columns it can use; and the
 * figures as a table, for readers without the chart.
 */
export function TableChart({
  ctx,
  data,
  base,
  api,
}: {
  ctx: PageContext;
  data: TablePageData;
  base: string;
  api: string;
}) {
  const { t, lang } = ctx;
  const wanted = data.chart?.spec ?? data.requested;
  const figure = (n: number) => formatFigure(n, lang);
  const chart = data.chart;
  return (
    <>
      <h2 id="chart-heading">{t('table.chart')}</h2>
      {data.chartable.groups.length > 0 ? (
        <form method="get" action={base} class="chart-form" aria-labelledby="chart-heading">
          {data.query.map(([k, v]) => (
            <input type="hidden" name={k} value={v} />
          ))}
          <label for="c-kind">{t('table.chart.kind')}</label>
          <select id="c-kind" name="chart">
            {(['bar', 'line', 'pie', 'tiles', ...(data.chartable.map ? ['map'] : [])] as const).map((k) => (
              <option value={k} selected={wanted?.kind === k}>
                {t(`table.chart.${k}`)}
              </option>
            ))}
          </select>
          <label for="c-x">{t('table.chart.x')}</label>
          <select id="c-x" name="x">
            {data.chartable.groups.map((c) => (
              <option value={c.id} selected={wanted?.x === c.id}>
                {c.title}
              </option>
            ))}
          </select>
          <label for="c-y">{t('table.chart.y')}</label>
          <select id="c-y" name="y">
            <option value="count">{t('table.chart.count')}</option>
            {data.chartable.numbers.flatMap((c) =>
              (['sum', 'avg'] as const).map((fn) => (
                <option value={`${fn}:${c.id}`} selected={wanted?.y === `${fn}:${c.id}`}>
                  {t(`table.chart.${fn}`)} {c.title}
                </option>
              )),
            )}
          </select>
          <button type="submit">{t('table.chart.draw')}</button>
        </form>
      ) : (
        <p>{t('table.chart.none')}</p>
      )}
      {data.mapHelp && (
        <div class="notice map-help" role="status">
          <p>
            {t(data.mapHelp.reason === 'average' ? 'table.map.average' : 'table.map.cannot', {
              column: data.mapHelp.column,
            })}
          </p>
          {data.mapHelp.usable.length > 0 ? (
            <>
              <p>{t('table.map.usable')}</p>
              <ul>
                {data.mapHelp.usable.map((c) => (
                  <li>
                    <a
                      href={`${base}${qs([...data.query, ['chart', 'tiles'], ['x', c.id], ['y', wanted?.y ?? 'count']])}`}
                    >
                      {c.title}
                    </a>{' '}
                    ({t(`table.map.via.${c.via}`)})
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>{t('table.map.noneUsable')}</p>
          )}
        </div>
      )}
      {chart && (
        <figure class="chart">
          {chart.spec.kind === 'tiles' ? (
            <ProvinceMap
              byCode={new Map(Object.entries(chart.provinces ?? {}))}
              title={`${chart.yLabel} / ${chart.xLabel}`}
              format={figure}
              labels={{ legend: t('table.map.legend'), noData: t('table.map.noData'), credit: t('table.map.credit') }}
            />
          ) : (
            <>
              <canvas
                id="chart"
                role="img"
                aria-label={`${t(`table.chart.${chart.spec.kind}`)}: ${chart.yLabel} / ${chart.xLabel}`}
              />
              <script
                type="application/json"
                id="chart-data"
                dangerouslySetInnerHTML={{ __html: JSON.stringify(chart).replace(/</g, '\\u003c') }}
              />
            </>
          )}
          <figcaption>
            <ChartValues ctx={ctx} chart={chart} />
            <a
              href={`${api}${qs([...data.query.filter(([k]) => k !== 'order'), ...chartApiQuery(chart.spec), ['format', 'csv']])}`}
            >
              {t('table.chart.csv')}
            </a>
          </figcaption>
        </figure>
      )}
    </>
  );
}

/** A chart's figures as a table, folded under the chart: what a reader without JavaScript or sight of it reads. */
export function ChartValues({
  ctx,
  chart,
}: {
  ctx: PageContext;
  chart: { xLabel: string; yLabel: string; labels: string[]; values: number[] };
}) {
  const { t, lang } = ctx;
  return (
    <details>
      <summary>{t('table.chart.values')}</summary>
      <div class="table-scroll" tabindex={0} role="region" aria-label={t('table.chart.values')}>
        <table>
          <thead>
            <tr>
              <th scope="col">{chart.xLabel}</th>
              <th scope="col">{chart.yLabel}</th>
            </tr>
          </thead>
          <tbody>
            {chart.labels.map((l, i) => (
              <tr>
                <td>{l}</td>
                <td class="num">{formatFigure(chart.values[i] ?? 0, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
