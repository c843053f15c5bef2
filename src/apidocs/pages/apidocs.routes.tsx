import { Type } from '@sinclair/typebox';
import type { Server } from '../../platform/http.js';
import { notFound } from '../../platform/errors.js';
import { page } from '../../web/layout.js';
import { sendHtml } from '../../web/session.js';
import { pageContext } from '../../web/web.context.js';
import { apiModel, type ApiModel, type OpenApiDocument } from '../openapi-model.js';
import { ApiIndexPage, OPENAPI_JSON } from './api-index.js';
import { ApiOperationPage } from './api-operation.js';

const hide = { hide: true };

/**
 * The API documentation in the portal's frame, rendered on the server from the OpenAPI document the route schemas
 * make (`server.swagger()`, complete once the server is ready): `/api/docs` and a page per operation; the document
 * itself at `/api/openapi.json` (and `/api/docs/json`, where Swagger UI served it before).
 */
export function apiDocsPages(app: Server, baseUrl: string): void {
  let model: ApiModel | undefined;
  const document = () => app.swagger() as unknown as OpenApiDocument;
  const api = () => {
    model ??= apiModel(document());
    return model;
  };

  for (const url of [OPENAPI_JSON, '/api/docs/json'])
    app.get(url, { schema: hide }, async (_req, reply) => reply.header('cache-control', 'no-cache').send(document()));

  app.get('/api/docs', { schema: hide }, async (req, reply) => {
    const ctx = pageContext(req, reply, baseUrl);
    return sendHtml(reply, page(<ApiIndexPage ctx={ctx} api={api()} />));
  });

  app.get(
    '/api/docs/:operation',
    { schema: { ...hide, params: Type.Object({ operation: Type.String({ maxLength: 300 }) }) } },
    async (req, reply) => {
      const ctx = pageContext(req, reply, baseUrl);
      const slug = (req.params as { operation: string }).operation;
      const op = api().bySlug.get(slug);
      if (!op) throw notFound({ vi: 'thao tác API', en: 'API operation' }, slug);
      return sendHtml(reply, page(<ApiOperationPage ctx={ctx} op={op} server={api().server || baseUrl} />));
    },
  );
}
