import { Layout } from '../../../web/layout.js';
import type { PageContext } from '../../../web/context.js';
import { formatNumber } from '../../../web/format.js';
import type { AgencyRef, ProcedureRow } from '../procedure.js';
import { agencyName, langQuery, procedureName, workingDays } from './names.js';

/** `/services`: the published procedures, searched by name or code and filtered by the deciding agency. */
export function CataloguePage({
  ctx,
  rows,
  agencies,
  filter,
}: {
  ctx: PageContext;
  rows: ProcedureRow[];
  /** the agencies deciding any published procedure, for the filter, and to name each row's */
  agencies: Map<string, AgencyRef>;
  filter: { q: string; agency: string };
}) {
  const { t, lang } = ctx;
  const choices = [...agencies.values()].sort((a, b) => agencyName(ctx, a).localeCompare(agencyName(ctx, b), lang));
  return (
    <Layout ctx={ctx} title={t('procs.catalogue.title')}>
      <h1>{t('procs.catalogue.title')}</h1>
      <p class="lead">{t('procs.catalogue.lead')}</p>
      <form method="get" action="/services" class="filter-row" role="search">
        {lang === 'en' && <input type="hidden" name="lang" value="en" />}
        <div class="field">
          <label for="q">{t('procs.catalogue.search')}</label>
          <input id="q" name="q" type="search" value={filter.q} maxLength={200} />
        </div>
        <div class="field">
          <label for="agency">{t('procs.catalogue.agency')}</label>
          <select id="agency" name="agency">
            <option value="">{t('procs.catalogue.allAgencies')}</option>
            {choices.map((a) => (
              <option value={a.slug} selected={filter.agency === a.slug}>
                {agencyName(ctx, a)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="secondary">
          {t('procs.catalogue.apply')}
        </button>
      </form>
      <p role="status">{t('procs.catalogue.count', { count: formatNumber(rows.length, lang) })}</p>
      {rows.length === 0 ? (
        <p>{t('procs.catalogue.none')}</p>
      ) : (
        <ul class="dataset-list">
          {rows.map((r) => (
            <li class="dataset-card">
              <h2>
                <a href={`/services/${encodeURIComponent(r.code)}${langQuery(ctx)}`}>{procedureName(ctx, r)}</a>
              </h2>
              <p>
                {t('procs.code')}: {r.code} · {agencyName(ctx, agencies.get(r.agency_id))} ·{' '}
                {workingDays(ctx, r.processing_days)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
