import { Layout } from '../layout.js';
import { TableChart } from './table-chart.js';
import { TableApi } from './table-api.js';
import type { PageContext } from '../context.js';
import { formatDate, formatNumber } from '../format.js';
import { formatCell } from '../table-cells.js';
import type { FilterChip } from '../table-filter-chip.js';

export interface TableColumn {
  id: string;
  /** the Table Schema's title, else the column's header in the file */
  title: string;
  type: string;
  /** a column of years, shown without grouping (see `isYearColumn`) */
  year?: boolean;
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
  /** the province map's figure per 2025 province code */
  provinces?: Record<string, number>;
}
/** Why the province map could not be drawn from the column chosen, and the columns it could use. */
export interface MapHelp {
  column: string;
  /** `none`: the column holds no province codes or names; `average`: averages of several groups cannot be added */
  reason: 'none' | 'average';
  usable: { id: string; title: string; via: 'codes' | 'communes' | 'names' }[];
}

export interface TablePageData {
  dataset: { slug: string; title: string };
  distribution: { id: string; title: string };
  table: { id: string; version: number; rows: number; matched?: number | null; loadedAt: string };
  columns: TableColumn[];
  rows: Record<string, unknown>[];
  /** the view's query as the native API takes it (filters, order), without the page cursor */
  query: [string, string][];
  filters: FilterChip[];
  order: { column: string; desc: boolean } | null;
  next: string | null;
  chart: ChartData | null;
  /** the chart asked for, kept in the form even when it could not be drawn */
  requested: ChartSpec | null;
  mapHelp: MapHelp | null;
  chartable: { groups: TableColumn[]; numbers: TableColumn[]; map: boolean };
}

const OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'in', 'is'] as const;
const FORMATS = ['csv', 'json', 'ndjson', 'xlsx', 'parquet'] as const;

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
        data.chart && data.chart.spec.kind !== 'tiles' ? (
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
        {t('table.version')} {data.table.version} ·{' '}
        {t(data.table.rows === 1 ? 'table.rowCount.one' : 'table.rowCount.other', {
          n: formatNumber(data.table.rows, lang),
        })}{' '}
        · {t('table.loaded')} {formatDate(data.table.loadedAt, lang)}
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
              <span>
                {f.label.column} {f.label.op} {f.label.value && <q>{f.label.value}</q>}
              </span>{' '}
              <a href={removeFilter(i)}>
                {t('table.remove')}
                <span class="visually-hidden">
                  : {f.label.column} {f.label.op} {f.label.value}
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
                    {c.title !== c.id && (
                      <code class="col-id" title={t('table.columnId')}>
                        {c.id}
                      </code>
                    )}
                    <span class="col-type">{t(`table.type.${c.year ? 'year' : c.type}`)}</span>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r) => (
              <tr>
                {data.columns.map((c) => (
                  <td class={c.type === 'integer' || c.type === 'number' ? 'num' : undefined}>
                    {formatCell(r[c.id], c, lang)}
                  </td>
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

      <TableChart ctx={ctx} data={data} base={base} api={api} />

      <TableApi
        ctx={ctx}
        view={{ distributionId: data.distribution.id, query: data.query, filters: data.filters, order: data.order }}
      />
    </Layout>
  );
}
