import { Layout } from '../layout.js';
import type { PageContext } from '../context.js';
import { formatDate, formatNumber } from '../format.js';

export interface DashboardRow {
  slug: string;
  title_vi: string;
  status: string;
  modified: string;
  stale: boolean;
}

/**
 * The supervisor's way in (platform administrators, signed in): every agency's overdue requests and breaches, which
 * belong to no agency's dashboard. Shown on `/dashboard` and `/admin`.
 */
export function SupervisorLinks({ ctx, admin }: { ctx: PageContext; admin: boolean }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="supervisor-heading" data-testid="supervisor">
      <h2 id="supervisor-heading">{t('supervisor.title')}</h2>
      <p>{t('supervisor.lead')}</p>
      <ul class="plain-list">
        <li>
          <a href="/dashboard/requests/overdue">{t('supervisor.requests')}</a>
        </li>
        <li>
          <a href="/dashboard/privacy/breaches">{t('supervisor.breaches')}</a>
        </li>
        {admin && (
          <li>
            <a href="/admin">{t('admin.platform.title')}</a>
          </li>
        )}
      </ul>
    </section>
  );
}

export function DashboardPage({
  ctx,
  agencies,
  agency,
  rows,
  registers,
  supervisor = false,
  can = { edit: true, admin: true },
}: {
  ctx: PageContext;
  /** a platform administrator: the supervisor's links come first */
  supervisor?: boolean;
  /** what the reader's role in this agency lets them do: links to what would refuse them are not shown */
  can?: { edit: boolean; admin: boolean };
  agencies: { id: string; slug: string; name_vi: string; name_en?: string | null }[];
  agency: { id: string; slug: string; name_vi: string; name_en?: string | null } | null;
  rows: DashboardRow[];
  registers: { id: string; name_vi: string; version: number }[];
}) {
  const { t } = ctx;
  if (!agency) {
    return (
      <Layout ctx={ctx} title={t('dashboard.title')}>
        <h1>{t('dashboard.title')}</h1>
        {supervisor ? <SupervisorLinks ctx={ctx} admin /> : <p>{t('dashboard.noAgency')}</p>}
      </Layout>
    );
  }
  const group = (status: string) => rows.filter((r) => r.status === status);
  const stale = rows.filter((r) => r.status === 'published' && r.stale);
  const table = (list: DashboardRow[]) => (
    <table>
      <thead>
        <tr>
          <th scope="col">{t('units.name')}</th>
          <th scope="col">{t('db.status')}</th>
          <th scope="col">{t('dataset.modified')}</th>
        </tr>
      </thead>
      <tbody>
        {list.map((r) => (
          <tr>
            <td>
              <a href={`/dashboard/datasets/${r.slug}`}>{r.title_vi}</a>
            </td>
            <td>{t(`dataset.status.${r.status}`)}</td>
            <td>{formatDate(r.modified, ctx.lang)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <Layout ctx={ctx} title={t('dashboard.title')}>
      <h1>{t('dashboard.title')}</h1>
      <p class="lead">{t('dashboard.lead', { agency: (ctx.lang === 'en' && agency.name_en) || agency.name_vi })}</p>
      {supervisor && <SupervisorLinks ctx={ctx} admin />}
      <p>
        <a href="/dashboard/exchange">{t('exchange.title')}</a> ·{' '}
        <a href="/dashboard/services">{t('procs.dash.title')}</a> ·{' '}
        <a href="/dashboard/requests">{t('requests.inbox.title')}</a> ·{' '}
        <a href="/dashboard/services/dossiers">{t('dossiers.inbox.title')}</a> ·{' '}
        <a href="/dashboard/data-requests">{t('datareq.inbox.title')}</a> ·{' '}
        <a href="/dashboard/notifications">{t('follow.staff.link')}</a> ·{' '}
        <a href="/dashboard/privacy/breaches">{t('breach.title')}</a> ·{' '}
        <a href="/dashboard/questions">{t('discussion.staff.title')}</a> ·{' '}
        <a href="/dashboard/dictionary">{t('dict.review.title')}</a>
      </p>
      {agencies.length > 1 && (
        <form method="get" action="/dashboard" class="filter-row">
          <div class="field">
            <label for="agency">{t('facet.agency')}</label>
            <select id="agency" name="agency">
              {agencies.map((a) => (
                <option value={a.slug} selected={a.id === agency.id}>
                  {(ctx.lang === 'en' && a.name_en) || a.name_vi}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="secondary">
            {t('search.apply')}
          </button>
        </form>
      )}
      {(can.edit || can.admin) && (
        <p>
          {can.edit && (
            <a class="button-link" href={`/dashboard/datasets/new?agency=${agency.slug}`}>
              {t('dashboard.new')}
            </a>
          )}{' '}
          {can.admin && <a href={`/admin/agency/${agency.slug}`}>{t('admin.agency.title')}</a>}
        </p>
      )}
      <ul class="stats">
        <li>
          <strong>{formatNumber(group('draft').length, ctx.lang)}</strong> {t('dashboard.drafts')}
        </li>
        <li>
          <strong>{formatNumber(group('published').length, ctx.lang)}</strong> {t('dashboard.published')}
        </li>
        <li>
          <strong>{formatNumber(stale.length, ctx.lang)}</strong> {t('dashboard.stale')}
        </li>
      </ul>
      <h2>{t('dashboard.drafts')}</h2>
      {table(group('draft'))}
      <h2>{t('dashboard.stale')}</h2>
      {table(stale)}
      <h2>{t('dashboard.published')}</h2>
      {table(group('published'))}
      <h2>{t('register.mine')}</h2>
      {can.edit && (
        <p>
          <a href={`/dashboard/databases/new?agency=${agency.slug}`}>{t('register.new')}</a>
        </p>
      )}
      <ul class="plain-list">
        {registers.map((r) => (
          <li>
            <a href={`/databases/${r.id}`}>{r.name_vi}</a> (v{r.version})
            {can.edit && (
              <>
                {' · '}
                <a href={`/dashboard/databases/${r.id}/edit`}>
                  {t('register.edit')}
                  <span class="visually-hidden">: {r.name_vi}</span>
                </a>
              </>
            )}
          </li>
        ))}
      </ul>
    </Layout>
  );
}
