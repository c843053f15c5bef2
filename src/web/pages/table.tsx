import { Layout } from '../layout.js';
import { ProvinceTiles } from '../province-tiles.js';
import type { PageContext } from '../context.js';
import { formatDate, formatNumber } from '../format.js';

export interface TableColumn {
  id: string;
  title: string;
  type: string;
}
export interface ChartSpec {
  kind: 'bar' | 'line' | 'pie' | 'map' | 'tiles';
  x: string;
  y: string;
}
export interface ChartData {
  spec: ChartSpec;
  labels: string[];
  values: number[];
  points?: [number, number, string][];
  xLabel: string;
  yLabel: string;
}

export interface TablePageData {
  dataset: { slug: string; title: string };
  distribution: { id: string; title: string };
  table: { id: string; version: number; rows: number; matched?: number | null; loadedAt: string };
  columns: TableColumn[];
  rows: Record<string, unknown>[];
  /** the view's query as the native API takes it (filters, order), without the page cursor */
  query: [string, string][];
  filters: { column: string; op: string; value: string }[];
  order: { column: string; desc: boolean } | null;
  next: string | null;
  chart: ChartData | null;
  chartable: { groups: TableColumn[]; numbers: TableColumn[]; map: boolean };
}

const OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'in', 'is'] as const;
const FORMATS = ['csv', 'json', 'ndjson', 'xlsx', 'parquet'] as const;

const cell = (v: unknown, lang: 'vi' | 'en'): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return v.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};

const qs = (pairs: [string, string][]) => (pairs.length ? `?${new URLSearchParams(pairs)}` : '');

/** A loaded table: the first rows, sortable columns, filters, keyset pages, downloads of the view and a chart. */
export function TablePage({ ctx, data }: { ctx: PageContext; data: TablePageData }) {
  const { t, lang } = ctx;
  const base = `/dataset/${data.dataset.slug}/table/${data.distribution.id}`;
  const withoutOrder = data.query.filter(([k]) => k !== 'order');
  const sortHref = (c: string) => {
    const desc = data.order?.column === c && !data.order.desc;
    return `${base}${qs([...withoutOrder, ['order', `${c}.${desc ? 'desc' : 'asc'}`]])}`;
  };
  const removeFilter = (i: number) => {
    const f = data.filters[i]!;
    return `${base}${qs(data.query.filter(([k, v]) => !(k === f.column && v === `${f.op}.${f.value}`)))}`;
  };
  const api = `/api/v1/tables/${data.table.id}/rows`;
  return (
    <Layout
      ctx={ctx}
      title={`${data.distribution.title} — ${t('table.title')}`}
      head={
        data.chart ? (
          <>
            <script src="/assets/vendor/chartjs/chart.umd.min.js" defer />
            <script src="/assets/chart.js" defer />
          </>
        ) : undefined
      }
    >
      <p class="breadcrumbs">
        <a href="/datasets">{t('nav.datasets')}</a> › <a href={`/dataset/${data.dataset.slug}`}>{data.dataset.title}</a>
      </p>
      <h1>{data.distribution.title}</h1>
      <p class="meta">
        {t('table.version')} {data.table.version} · {data.table.rows.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB')}{' '}
        {t('table.rows')} · {t('table.loaded')} {formatDate(data.table.loadedAt, lang)}
      </p>

      <form method="get" action={base} class="filter-form" aria-labelledby="filter-heading">
        <h2 id="filter-heading">{t('table.filter')}</h2>
        {data.query
          .filter(([k]) => k === 'order')
          .map(([k, v]) => (
            <input type="hidden" name={k} value={v} />
          ))}
        {data.filters.map((f) => (
          <input type="hidden" name={f.column} value={`${f.op}.${f.value}`} />
        ))}
        <label for="f-column">{t('table.column')}</label>
        <select id="f-column" name="f_column">
          {data.columns.map((c) => (
            <option value={c.id}>{c.title}</option>
          ))}
        </select>
        <label for="f-op">{t('table.op')}</label>
        <select id="f-op" name="f_op">
          {OPS.map((o) => (
            <option value={o}>{t(`table.op.${o}`)}</option>
          ))}
        </select>
        <label for="f-value">{t('table.value')}</label>
        <input id="f-value" name="f_value" type="text" maxLength={500} />
        <button type="submit">{t('table.apply')}</button>
      </form>
      {data.table.matched != null && (
        <p role="status" class="match-count">
          {t('table.matching', {
            matched: formatNumber(data.table.matched, lang),
            rows: formatNumber(data.table.rows, lang),
          })}
        </p>
      )}
      {data.filters.length > 0 && (
        <ul class="chips" aria-label={t('table.active')}>
          {data.filters.map((f, i) => (
            <li>
              <code>
                {f.column} {f.op} {f.value}
              </code>{' '}
              <a href={removeFilter(i)}>
                {t('table.remove')}
                <span class="visually-hidden">
                  : {f.column} {f.op} {f.value}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}

      <div class="table-scroll" tabindex={0} role="region" aria-label={t('table.title')}>
        <table class="data-table">
          <thead>
            <tr>
              {data.columns.map((c) => {
                const sorted = data.order?.column === c.id ? (data.order.desc ? 'descending' : 'ascending') : undefined;
                return (
                  <th scope="col" aria-sort={sorted}>
                    <a href={sortHref(c.id)}>
                      {c.title}
                      {sorted ? (sorted === 'ascending' ? ' ▲' : ' ▼') : ''}
                    </a>
                    <span class="col-type">{c.type}</span>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r) => (
              <tr>
                {data.columns.map((c) => (
                  <td class={c.type === 'integer' || c.type === 'number' ? 'num' : undefined}>{cell(r[c.id], lang)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data.rows.length === 0 && <p>{t('table.empty')}</p>}
      <p class="pager">
        {data.query.length > 0 || data.next ? <a href={`${base}${qs(data.query)}`}>{t('table.first')}</a> : null}
        {data.next && (
          <>
            {' '}
            ·{' '}
            <a href={data.next} rel="next">
              {t('table.next')}
            </a>
          </>
        )}
      </p>

      <h2>{t('table.download')}</h2>
      <p>{t('table.downloadHint')}</p>
      <ul class="inline-list">
        {FORMATS.map((f) => (
          <li>
            <a href={`${api}${qs([...data.query, ['format', f], ['limit', 'all']])}`} download>
              {f.toUpperCase()}
            </a>
          </li>
        ))}
      </ul>

      <h2 id="chart-heading">{t('table.chart')}</h2>
      {data.chartable.groups.length > 0 ? (
        <form method="get" action={base} class="chart-form" aria-labelledby="chart-heading">
          {data.query.map(([k, v]) => (
            <input type="hidden" name={k} value={v} />
          ))}
          <label for="c-kind">{t('table.chart.kind')}</label>
          <select id="c-kind" name="chart">
            {(['bar', 'line', 'pie', 'tiles', ...(data.chartable.map ? ['map'] : [])] as const).map((k) => (
              <option value={k} selected={data.chart?.spec.kind === k}>
                {t(`table.chart.${k}`)}
              </option>
            ))}
          </select>
          <label for="c-x">{t('table.chart.x')}</label>
          <select id="c-x" name="x">
            {data.chartable.groups.map((c) => (
              <option value={c.id} selected={data.chart?.spec.x === c.id}>
                {c.title}
              </option>
            ))}
          </select>
          <label for="c-y">{t('table.chart.y')}</label>
          <select id="c-y" name="y">
            <option value="count">{t('table.chart.count')}</option>
            {data.chartable.numbers.flatMap((c) =>
              (['sum', 'avg'] as const).map((fn) => (
                <option value={`${fn}:${c.id}`} selected={data.chart?.spec.y === `${fn}:${c.id}`}>
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
      {data.chart && (
        <figure class="chart">
          {data.chart.spec.kind === 'tiles' ? (
            <ProvinceTiles
              labels={data.chart.labels}
              values={data.chart.values}
              title={`${data.chart.yLabel} / ${data.chart.xLabel}`}
              format={(n) => cell(n, lang)}
            />
          ) : (
            <>
              <canvas
                id="chart"
                role="img"
                aria-label={`${t(`table.chart.${data.chart.spec.kind}`)}: ${data.chart.yLabel} / ${data.chart.xLabel}`}
              />
              <script
                type="application/json"
                id="chart-data"
                dangerouslySetInnerHTML={{ __html: JSON.stringify(data.chart).replace(/</g, '\\u003c') }}
              />
            </>
          )}
          {data.chart.spec.kind === 'tiles' && <p class="hint">{t('table.chart.tilesNote')}</p>}
          <figcaption>
            <details>
              <summary>{t('table.chart.values')}</summary>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{data.chart.xLabel}</th>
                    <th scope="col">{data.chart.yLabel}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.chart.labels.map((l, i) => (
                    <tr>
                      <td>{l}</td>
                      <td class="num">{cell(data.chart!.values[i], lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
            <a
              href={`${api}${qs([...data.query.filter(([k]) => k !== 'order'), ...chartApiQuery(data.chart.spec), ['format', 'csv']])}`}
            >
              {t('table.chart.csv')}
            </a>
          </figcaption>
        </figure>
      )}
    </Layout>
  );
}

/** The native API query that computes a chart's values. */
export function chartApiQuery(spec: ChartSpec): [string, string][] {
  if (spec.kind === 'map') return [];
  const [fn, col] = spec.y.split(':');
  return [
    ['group_by', spec.x],
    ...(fn === 'count' ? ([['count', '']] as [string, string][]) : ([[fn!, col!]] as [string, string][])),
  ];
}
