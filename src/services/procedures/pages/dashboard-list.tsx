import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import { formatDate, formatNumber } from '../../../web/format.js';
import type { AgencyRef, ProcedureRow } from '../procedure.js';
import { agencyName, langQuery, procedureName } from './names.js';

/** An agency chooser for the staff pages of procedures: the agencies the reader works in. */
export function AgencyChooser({
  ctx,
  action,
  agencies,
  current,
}: {
  ctx: PageContext;
  action: string;
  agencies: AgencyRef[];
  current: AgencyRef;
}) {
  if (agencies.length < 2) return null;
  return (
    <form method="get" action={action} class="filter-row">
      {ctx.lang === 'en' && <input type="hidden" name="lang" value="en" />}
      <div class="field">
        <label for="agency">{ctx.t('facet.agency')}</label>
        <select id="agency" name="agency">
          {agencies.map((a) => (
            <option value={a.slug} selected={a.id === current.id}>
              {agencyName(ctx, a)}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="secondary">
        {ctx.t('search.apply')}
      </button>
    </form>
  );
}

/** `/dashboard/services`: an agency's procedures with their status and version; its administrators publish them. */
export function DashboardProceduresPage({
  ctx,
  agency,
  agencies,
  rows,
  admin,
  notice,
}: {
  ctx: PageContext;
  agency: AgencyRef;
  agencies: AgencyRef[];
  rows: ProcedureRow[];
  /** the reader administers the agency: the buttons to write */
  admin: boolean;
  notice: string | null;
}) {
  const { t, lang } = ctx;
  const q = `?agency=${agency.slug}${langQuery(ctx, '&')}`;
  return (
    <Layout ctx={ctx} title={t('procs.dash.title')}>
      <h1>{t('procs.dash.title')}</h1>
      <p class="lead">{t('procs.dash.lead', { agency: agencyName(ctx, agency) })}</p>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <AgencyChooser ctx={ctx} action="/dashboard/services" agencies={agencies} current={agency} />
      <p>
        {admin && (
          <>
            <a class="button-link" href={`/dashboard/services/new${q}`}>
              {t('procs.dash.new')}
            </a>{' '}
          </>
        )}
        <a href={`/dashboard/services/sources${q}`}>{t('procs.sources.title')}</a>
      </p>
      {rows.length === 0 ? (
        <p>{t('procs.dash.none')}</p>
      ) : (
        <div class="table-scroll" role="region" aria-labelledby="procs-caption" tabindex={0}>
          <table>
            <caption id="procs-caption" class="visually-hidden">
              {t('procs.dash.title')}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('procs.field.name')}</th>
                <th scope="col">{t('procs.code')}</th>
                <th scope="col">{t('procs.dash.status')}</th>
                <th scope="col">{t('procs.version')}</th>
                <th scope="col">{t('procs.dash.modified')}</th>
                {admin && <th scope="col">{t('procs.dash.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>
                    <a href={`/services/${encodeURIComponent(r.code)}${langQuery(ctx)}`}>{procedureName(ctx, r)}</a>
                  </td>
                  <td>{r.code}</td>
                  <td>{t(`procs.status.${r.status}`)}</td>
                  <td>{formatNumber(r.version, lang)}</td>
                  <td>{formatDate(r.updated_at, lang)}</td>
                  {admin && (
                    <td>
                      <form
                        method="post"
                        action={`/dashboard/services/${encodeURIComponent(r.code)}/status${langQuery(ctx)}`}
                        class="inline-form"
                      >
                        <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
                        {r.status === 'published' ? (
                          <button type="submit" name="action" value="withdraw" class="secondary">
                            {t('procs.dash.withdraw')}
                            <span class="visually-hidden">: {r.code}</span>
                          </button>
                        ) : (
                          <button type="submit" name="action" value="publish">
                            {t('procs.dash.publish')}
                            <span class="visually-hidden">: {r.code}</span>
                          </button>
                        )}
                      </form>{' '}
                      <a href={`/dashboard/services/${encodeURIComponent(r.code)}/edit${langQuery(ctx)}`}>
                        {t('procs.dash.edit')}
                        <span class="visually-hidden">: {r.code}</span>
                      </a>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
