import { Layout } from '../layout.js';
import type { PageContext } from '../context.js';
import { formatDate } from '../format.js';
import type { presentDatabase } from '../../catalog/catalog.presenter.js';

type Db = ReturnType<typeof presentDatabase>;

/** An entry's or agency's English name on English pages, where it has one. */
const localName = (ctx: PageContext, x: { name_vi: string; name_en: string | null }) =>
  (ctx.lang === 'en' && x.name_en) || x.name_vi;
const agencyLabel = (ctx: PageContext, a: { name_vi: string; name_en: string | null } | undefined) =>
  a ? localName(ctx, a) : '';

export function DatabasesPage({
  ctx,
  rows,
  agencies,
}: {
  ctx: PageContext;
  rows: Db[];
  agencies: Map<string, { slug: string; name_vi: string; name_en: string | null }>;
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('databases.title')}>
      <h1>{t('databases.title')}</h1>
      <p class="lead">{t('databases.lead')}</p>
      {rows.length ? (
        <div class="table-scroll" tabindex={0} role="region" aria-label={t('databases.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('units.name')}</th>
                <th scope="col">{t('dataset.publisher')}</th>
                <th scope="col">{t('db.category')}</th>
                <th scope="col">{t('db.status')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>
                    <a href={`/databases/${r.id}`}>{localName(ctx, r)}</a>
                  </td>
                  <td>{agencyLabel(ctx, agencies.get(r.agency_id))}</td>
                  <td>{t(`register.category.${r.category}`)}</td>
                  <td>{t(`register.status.${r.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="empty">{t('databases.none')}</p>
      )}
    </Layout>
  );
}

export function DatabasePage({
  ctx,
  db,
  agency,
  datasets,
}: {
  ctx: PageContext;
  db: Db;
  agency: { slug: string; name_vi: string; name_en: string | null };
  datasets: { slug: string; title_vi: string; title_en?: string | null; status: string }[];
}) {
  const { t } = ctx;
  const rows: [string, string][] = [
    [t('db.purpose'), db.purpose],
    [t('db.scope'), db.scope],
    [t('db.content'), db.content],
    [t('db.collection'), db.collection_mechanism],
    [t('db.update'), db.update_mechanism],
    [t('db.sources'), db.data_sources],
    [t('db.legal'), db.legal_basis],
    [t('db.category'), t(`register.category.${db.category}`)],
    [t('register.access_class'), t(`register.access_class.${db.access_class}`)],
    [t('register.importance'), t(`register.importance.${db.importance}`)],
    [t('db.status'), t(`register.status.${db.status}`)],
  ];
  return (
    <Layout ctx={ctx} title={localName(ctx, db)}>
      <p class="breadcrumbs">
        <a href="/databases">{t('nav.databases')}</a> ›{' '}
        <a href={`/agency/${agency.slug}`}>{agencyLabel(ctx, agency)}</a>
      </p>
      <h1>{localName(ctx, db)}</h1>
      <p class="meta">
        {t('dataset.modified')} {formatDate(db.updated_at, ctx.lang)} · v{db.version}
      </p>
      <dl class="metadata wide">
        {rows.map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </>
        ))}
      </dl>
      <h2>{t('nav.datasets')}</h2>
      <ul class="plain-list">
        {datasets
          .filter((d) => d.status === 'published')
          .map((d) => (
            <li>
              <a href={`/dataset/${d.slug}`}>{(ctx.lang === 'en' && d.title_en) || d.title_vi}</a>
            </li>
          ))}
      </ul>
    </Layout>
  );
}
