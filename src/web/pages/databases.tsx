import { Layout } from '../layout.js';
import type { PageContext } from '../context.js';
import { formatDate } from '../format.js';
import type { presentDatabase } from '../../catalog/catalog.presenter.js';

type Db = ReturnType<typeof presentDatabase>;

export function DatabasesPage({
  ctx,
  rows,
  agencies,
}: {
  ctx: PageContext;
  rows: Db[];
  agencies: Map<string, { slug: string; name_vi: string }>;
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
                    <a href={`/databases/${r.id}`}>{r.name_vi}</a>
                  </td>
                  <td>{agencies.get(r.agency_id)?.name_vi}</td>
                  <td>{r.category}</td>
                  <td>{r.status}</td>
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
  agency: { slug: string; name_vi: string };
  datasets: { slug: string; title_vi: string; status: string }[];
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
    [t('db.category'), db.category],
    [t('db.access'), `${db.access_class} / ${db.importance}`],
    [t('db.status'), db.status],
  ];
  return (
    <Layout ctx={ctx} title={db.name_vi}>
      <p class="breadcrumbs">
        <a href="/databases">{t('nav.databases')}</a> › <a href={`/agency/${agency.slug}`}>{agency.name_vi}</a>
      </p>
      <h1>{db.name_vi}</h1>
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
              <a href={`/dataset/${d.slug}`}>{d.title_vi}</a>
            </li>
          ))}
      </ul>
    </Layout>
  );
}
