import type { PageContext } from '../../web/context.js';
import { Layout } from '../../web/layout.js';
import { errorsOf, isCkan } from '../error-codes.js';
import { curlOf } from '../examples.js';
import type { Operation } from '../openapi-model.js';
import { ErrorTable, OPENAPI_JSON, tagAnchor } from './api-index.js';
import { SchemaFacts, SchemaFields, SchemaView } from './schema-list.js';

function Parameters({ ctx, op }: { ctx: PageContext; op: Operation }) {
  const { t } = ctx;
  if (!op.parameters.length) return <p>{t('apidocs.params.none')}</p>;
  return (
    <table class="api-params">
      <caption class="visually-hidden">{t('apidocs.params.title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('apidocs.params.name')}</th>
          <th scope="col">{t('apidocs.params.about')}</th>
        </tr>
      </thead>
      <tbody>
        {op.parameters.map((p) => (
          <tr>
            <th scope="row">
              <code>{p.name}</code>
              <br />
              <span class="hint">{t(`apidocs.in.${p.in}`)}</span>
            </th>
            <td>
              <SchemaFacts
                ctx={ctx}
                node={{ ...p.schema, description: p.description ?? p.schema.description }}
                required={p.required}
              />
              <SchemaFields ctx={ctx} node={p.schema} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One operation: what it does, what it takes, what it answers, how it fails, and a call to copy. */
export function ApiOperationPage({ ctx, op, server }: { ctx: PageContext; op: Operation; server: string }) {
  const { t } = ctx;
  const errors = errorsOf(op);
  return (
    <Layout ctx={ctx} title={`${op.method} ${op.path}`} description={op.summary}>
      <p class="breadcrumbs">
        <a href="/api/docs">{t('apidocs.title')}</a> › <a href={`/api/docs#${tagAnchor(op.tag)}`}>{op.tag}</a>
      </p>
      <h1 class="api-heading">
        <span class="api-method">{op.method}</span> <code>{op.path}</code>
      </h1>
      <p class="lead">{op.summary}</p>
      {op.description && <p class="description">{op.description}</p>}
      {op.needsSignIn && <p>{t('apidocs.signIn')}</p>}
      <h2>{t('apidocs.params.title')}</h2>
      <Parameters ctx={ctx} op={op} />
      <h2>{t('apidocs.body.title')}</h2>
      {op.body ? (
        <>
          <p>
            <code>{op.body.mediaType}</code> · {t(op.body.required ? 'apidocs.required' : 'apidocs.optional')}
          </p>
          <SchemaView ctx={ctx} node={op.body.schema} />
        </>
      ) : (
        <p>{t('apidocs.body.none')}</p>
      )}
      <h2>{t('apidocs.responses.title')}</h2>
      <ul class="api-responses">
        {op.responses.map((r) => (
          <li>
            <strong>HTTP {r.status}</strong> {r.mediaType && <code>{r.mediaType}</code>} {r.description}
            {r.schema && <SchemaView ctx={ctx} node={r.schema} />}
          </li>
        ))}
      </ul>
      <h2>{t('apidocs.errors.title')}</h2>
      {isCkan(op) ? (
        <p>{t('apidocs.errors.ckan')}</p>
      ) : (
        <>
          <p>{t('apidocs.errors.these')}</p>
          <ErrorTable ctx={ctx} errors={errors} />
          <p>
            <a href="/api/docs#errors">{t('apidocs.errors.all')}</a>
          </p>
        </>
      )}
      <h2>{t('apidocs.example.title')}</h2>
      <pre class="api-example">
        <code>{curlOf(op, server)}</code>
      </pre>
      {op.needsSignIn && <p class="hint">{t('apidocs.example.token')}</p>}
      <p class="meta">
        <a href="/api/docs">{t('apidocs.back')}</a> · <a href={OPENAPI_JSON}>{t('apidocs.rawJson')}</a>
      </p>
    </Layout>
  );
}
