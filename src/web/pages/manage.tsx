import { Layout } from '../layout.js';
import type { PageContext } from '../context.js';
import { formatBytes } from '../format.js';
import type { DatasetDetail } from './dataset.js';
import { SchemaForm, type SchemaRow } from './schema-form.js';

export interface SchemaEditor {
  distributionId: string;
  title: string;
  rows: SchemaRow[];
}

export function ManageDatasetPage({
  ctx,
  d,
  notice,
  problems,
  schemas,
  fields,
}: {
  ctx: PageContext;
  d: DatasetDetail;
  notice: string | null;
  problems: string[];
  schemas: SchemaEditor[];
  fields: { id: string; label: string; type: string }[];
}) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={d.title_vi}>
      <p class="breadcrumbs">
        <a href="/dashboard">{t('nav.dashboard')}</a>
      </p>
      <h1>{d.title_vi}</h1>
      <p class="status-tag">{t(`dataset.status.${d.status}`)}</p>
      {notice && (
        <div class="notice" role="status">
          <p>{notice}</p>
        </div>
      )}
      {problems.length > 0 && (
        <div class="error-summary" role="alert" tabindex={-1}>
          <h2>{t('form.errors', { count: problems.length })}</h2>
          <ul>
            {problems.map((p) => (
              <li>{p}</li>
            ))}
          </ul>
        </div>
      )}
      <p>
        <a href={`/dataset/${d.slug}`}>{d.url}</a> ·{' '}
        <a href={`/dashboard/datasets/${d.slug}/edit`}>{t('dataset.edit')}</a>
      </p>
      <h2>{t('dataset.files')}</h2>
      <ul class="file-list">
        {d.distributions.map((x) => (
          <li>
            <strong>{x.title_vi}</strong> {x.format && <span class="format-tag">{x.format}</span>}{' '}
            {formatBytes(x.byte_size, ctx.lang)}
            {x.kind === 'file' && (
              <>
                {' '}
                ·{' '}
                <a href={`/dashboard/distributions/${x.id}/table`}>
                  {ctx.t('manage.table')}
                  <span class="visually-hidden">: {x.title_vi}</span>
                </a>
              </>
            )}
          </li>
        ))}
      </ul>
      {schemas.map((sc) => (
        <section class="panel">
          <h2>
            {t('schema.title')}: {sc.title}
          </h2>
          <SchemaForm ctx={ctx} distributionId={sc.distributionId} rows={sc.rows} fields={fields} />
        </section>
      ))}
      <section class="panel">
        <h2>{t('upload.title')}</h2>
        <form method="post" action={`/dashboard/datasets/${d.slug}/files`} enctype="multipart/form-data" data-upload>
          <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
          <div class="field">
            <label for="file-title">{t('upload.fileTitle')}</label>
            <input type="text" id="file-title" name="title_vi" maxLength={300} />
          </div>
          <div class="field">
            <label for="file">{t('upload.file')}</label>
            <input type="file" id="file" name="file" required />
          </div>
          <div class="upload-progress" hidden>
            <label for="upload-progress">{t('upload.progress')}</label>
            <progress id="upload-progress" max={100} value={0}>
              0%
            </progress>
          </div>
          <button type="submit">{t('upload.submit')}</button>
        </form>
      </section>
      {d.status !== 'published' && (
        <form method="post" action={`/dashboard/datasets/${d.slug}/publish`}>
          <input type="hidden" name="_csrf" value={ctx.csrf ?? ''} />
          <button type="submit">{t('publish.submit')}</button>
        </form>
      )}
    </Layout>
  );
}
