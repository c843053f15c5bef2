import { Layout } from '../../../web/layout.js';
import { Pager } from '../../../web/components.js';
import type { PageContext } from '../../../web/context.js';
import { formatDate, formatNumber } from '../../../web/format.js';
import type { AgencyRow } from '../../../masterdata/masterdata.service.js';
import type { DataRequestView } from '../data-requests.service.js';
import { STATUSES } from '../data-requests.schema.js';
import { AgencyOptions, agencyName, ClockText } from './shared.js';

/** The public listing of data requests (`/data-requests`), filtered by agency and status. */
export function DataRequestsPage({
  ctx,
  requests,
  total,
  agencies,
  agency,
  status,
  limit,
  offset,
}: {
  ctx: PageContext;
  requests: DataRequestView[];
  total: number;
  agencies: AgencyRow[];
  agency: string;
  status: string;
  limit: number;
  offset: number;
}) {
  const { t, lang } = ctx;
  const base = new URLSearchParams();
  if (agency) base.set('agency', agency);
  if (status) base.set('status', status);
  return (
    <Layout ctx={ctx} title={t('datareq.title')}>
      <h1>{t('datareq.title')}</h1>
      <p class="lead">{t('datareq.lead')}</p>
      <p>
        <a class="button-link" href="/data-requests/new">
          {t('datareq.askLink')}
        </a>
      </p>
      <form method="get" action="/data-requests" class="filter-row">
        <div class="field">
          <label for="dr-agency">{t('datareq.filter.agency')}</label>
          <select id="dr-agency" name="agency">
            <AgencyOptions ctx={ctx} agencies={agencies} selected={agency} none={t('datareq.filter.all')} />
          </select>
        </div>
        <div class="field">
          <label for="dr-status">{t('datareq.filter.status')}</label>
          <select id="dr-status" name="status">
            <option value="">{t('datareq.filter.all')}</option>
            {STATUSES.map((s) => (
              <option value={s} selected={s === status}>
                {t(`datareq.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t('datareq.filter.apply')}</button>
      </form>
      <p class="result-count" role="status">
        {t('datareq.count', { count: formatNumber(total, lang) })}
      </p>
      {requests.length === 0 ? (
        <p>{t('datareq.none')}</p>
      ) : (
        <ul class="dataset-list" data-testid="data-requests">
          {requests.map((r) => (
            <li class="dataset-card">
              <h2>
                <a href={`/data-requests/${r.row.id}`}>{r.row.title}</a>
              </h2>
              <p class="meta">
                {agencyName(ctx, r.agency)} · <span class="status-tag">{t(`datareq.status.${r.row.status}`)}</span> ·{' '}
                {t('datareq.col.asked')} {formatDate(r.row.created_at, lang)}
                {r.row.due_at && r.clock && (
                  <>
                    {' '}
                    · {t('datareq.col.due')} {formatDate(r.row.due_at, lang)} (<ClockText ctx={ctx} clock={r.clock} />)
                  </>
                )}
                {r.row.votes > 0 && <> · {t('datareq.vote.count', { count: formatNumber(r.row.votes, lang) })}</>}
              </p>
            </li>
          ))}
        </ul>
      )}
      <Pager ctx={ctx} total={total} limit={limit} offset={offset} base={base} />
    </Layout>
  );
}
