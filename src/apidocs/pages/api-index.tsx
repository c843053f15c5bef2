import type { PageContext } from '../../web/context.js';
import { Layout } from '../../web/layout.js';
import { ALL_ERRORS } from '../error-codes.js';
import type { ApiModel } from '../openapi-model.js';

export const OPENAPI_JSON = '/api/openapi.json';

const ERROR_ENVELOPE = `{
  "error": {
    "code": "VALIDATION_FAILED",
    "message": "…",
    "vi": "Dữ liệu gửi lên không hợp lệ.",
    "en": "The request is not valid.",
    "details": [{ "field": "/title_vi", "message": "…", "vi": "…", "en": "…" }]
  }
}`;

export const tagAnchor = (tag: string) => `tag-${tag.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

/** The index: how to call, every operation by tag, every error code. */
export function ApiIndexPage({ ctx, api }: { ctx: PageContext; api: ApiModel }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('apidocs.title')} description={t('apidocs.lead')}>
      <h1>{t('apidocs.title')}</h1>
      <p class="lead">{t('apidocs.lead')}</p>
      <p class="meta">
        {t('apidocs.version', { version: api.version })} · <a href={OPENAPI_JSON}>{t('apidocs.rawJson')}</a>
      </p>
      <h2 id="start">{t('apidocs.start.title')}</h2>
      <ol>
        <li>{t('apidocs.start.login')}</li>
        <li>{t('apidocs.start.token')}</li>
        <li>{t('apidocs.start.send')}</li>
      </ol>
      <pre class="api-example">
        <code>{`curl -X POST '${api.server}/api/v1/auth/login' \\\n  -H 'Content-Type: application/json' \\\n  -d '{"email": "ten@example.vn", "password": "…"}'`}</code>
      </pre>
      <p>{t('apidocs.start.ckan')}</p>
      <nav aria-labelledby="contents">
        <h2 id="contents">{t('apidocs.contents')}</h2>
        <ul class="api-tags">
          {api.tags.map((tag) => (
            <li>
              <a href={`#${tagAnchor(tag.name)}`}>{tag.name}</a> <span class="count">({tag.operations.length})</span>
            </li>
          ))}
          <li>
            <a href="#errors">{t('apidocs.errors.title')}</a>
          </li>
        </ul>
      </nav>
      {api.tags.map((tag) => (
        <section aria-labelledby={tagAnchor(tag.name)}>
          <h2 id={tagAnchor(tag.name)}>{tag.name}</h2>
          <ul class="api-operations">
            {tag.operations.map((op) => (
              <li>
                <a href={`/api/docs/${op.slug}`}>
                  <span class="api-method">{op.method}</span> <code>{op.path}</code>
                </a>
                <br />
                <span class="hint">{op.summary}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
      <h2 id="errors">{t('apidocs.errors.title')}</h2>
      <p>{t('apidocs.errors.intro')}</p>
      <pre class="api-example">
        <code>{ERROR_ENVELOPE}</code>
      </pre>
      <ErrorTable ctx={ctx} errors={ALL_ERRORS} />
    </Layout>
  );
}

export function ErrorTable({ ctx, errors }: { ctx: PageContext; errors: typeof ALL_ERRORS }) {
  const { t } = ctx;
  return (
    <table class="api-errors">
      <caption class="visually-hidden">{t('apidocs.errors.title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('apidocs.errors.code')}</th>
          <th scope="col">{t('apidocs.errors.meaning')}</th>
        </tr>
      </thead>
      <tbody>
        {errors.map((e) => (
          <tr>
            <td>
              <code>{e.code}</code>
              <br />
              <span class="hint">HTTP {e.status}</span>
            </td>
            <td>{e[ctx.lang]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
