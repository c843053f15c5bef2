import { Layout } from '../layout.js';
import { Pager } from '../components.js';
import type { PageContext } from '../context.js';
import { formatNumber } from '../format.js';
import { AgencyBranch, AgencyTable, agencyName, type AgencyEntry, type AgencyItem } from './agency-list.js';

export type { AgencyItem } from './agency-list.js';
export { AgencyPage } from './agency.js';

const KINDS = ['ministry', 'ministerial_agency', 'government_agency', 'other', 'province', 'commune'];

/** What `/agencies` shows: the hierarchy, a search's results, or one province's communes. */
export type AgenciesView =
  | { mode: 'tree'; central: AgencyEntry[]; other: AgencyEntry[]; provinces: AgencyEntry[] }
  | { mode: 'list'; rows: AgencyEntry[]; total: number; limit: number; offset: number; province: AgencyItem | null };

export function AgenciesPage({
  ctx,
  view,
  q,
  kind,
}: {
  ctx: PageContext;
  view: AgenciesView;
  q: string;
  kind: string;
}) {
  const { t } = ctx;
  const province = view.mode === 'list' ? view.province : null;
  const title = province ? t('agencies.communesOf', { name: agencyName(ctx, province) }) : t('agencies.title');
  return (
    <Layout ctx={ctx} title={title}>
      {province && (
        <p class="breadcrumbs">
          <a href="/agencies">{t('nav.agencies')}</a> ›{' '}
          <a href={`/agency/${province.slug}`}>{agencyName(ctx, province)}</a>
        </p>
      )}
      <h1>{title}</h1>
      {!province && <p class="lead">{t('agencies.lead')}</p>}
      <form method="get" action="/agencies" class="filter-row" role="search">
        {province && <input type="hidden" name="province" value={province.slug} />}
        <div class="field">
          <label for="agency-q">{t('agencies.filter')}</label>
          <input type="search" id="agency-q" name="q" value={q} />
        </div>
        {!province && (
          <div class="field">
            <label for="agency-kind">{t('db.category')}</label>
            <select id="agency-kind" name="kind">
              {['', ...KINDS].map((k) => (
                <option value={k} selected={k === kind}>
                  {k ? t(`agency.kind.${k}`) : t('agencies.anyKind')}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="submit">{t('search.button')}</button>
      </form>
      {view.mode === 'tree' ? <Tree ctx={ctx} view={view} /> : <List ctx={ctx} view={view} q={q} kind={kind} />}
    </Layout>
  );
}

function Tree({ ctx, view }: { ctx: PageContext; view: Extract<AgenciesView, { mode: 'tree' }> }) {
  const { t } = ctx;
  const section = (kind: string, rows: AgencyEntry[]) =>
    rows.length ? (
      <section aria-labelledby={`kind-${kind}`}>
        <h2 id={`kind-${kind}`}>
          {t(`agencies.section.${kind}`)} ({formatNumber(rows.length, ctx.lang)})
        </h2>
        <ul class="agency-tree">
          {rows.map((a) => (
            <AgencyBranch ctx={ctx} a={a} />
          ))}
        </ul>
      </section>
    ) : null;
  return (
    <>
      {section(
        'ministry',
        view.central.filter((a) => a.kind === 'ministry'),
      )}
      {section(
        'ministerial_agency',
        view.central.filter((a) => a.kind === 'ministerial_agency'),
      )}
      {section(
        'government_agency',
        view.central.filter((a) => a.kind === 'government_agency'),
      )}
      {section('other', view.other)}
      {section('province', view.provinces)}
    </>
  );
}

function List({
  ctx,
  view,
  q,
  kind,
}: {
  ctx: PageContext;
  view: Extract<AgenciesView, { mode: 'list' }>;
  q: string;
  kind: string;
}) {
  const base = new URLSearchParams();
  if (view.province) base.set('province', view.province.slug);
  if (q) base.set('q', q);
  if (kind) base.set('kind', kind);
  return (
    <>
      <p role="status">
        {ctx.t(view.total === 1 ? 'agencies.found.one' : 'agencies.found.other', {
          count: formatNumber(view.total, ctx.lang),
        })}
      </p>
      {view.rows.length ? <AgencyTable ctx={ctx} rows={view.rows} /> : <p class="empty">{ctx.t('agencies.none')}</p>}
      <Pager ctx={ctx} total={view.total} limit={view.limit} offset={view.offset} base={base} />
    </>
  );
}
