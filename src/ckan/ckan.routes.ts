import type { Server } from '../platform/http.js';
import { toDomainError } from '../platform/http.js';
import type { CatalogService } from '../catalog/catalog.service.js';
import type { MasterDataService } from '../masterdata/masterdata.service.js';
import type { DatastoreService } from '../datastore/query/datastore.service.js';
import type { DatastoreSql } from '../datastore/query/sql.service.js';
import { ckanActions } from './ckan.actions.js';
import type { Tracking } from './ckan.tracking.js';
import { CkanError, toCkanError } from './ckan.errors.js';

/**
 * Registered in its own Fastify scope so that errors here leave in CKAN's
 * envelope (`{help, success:false, error:{__type, message}}`) rather than ours.
 */
export function ckanRoutes(
  app: Server,
  catalog: CatalogService,
  md: MasterDataService,
  datastore: DatastoreService,
  baseUrl: string,
  datastoreSql: DatastoreSql,
  tracking?: Tracking,
): void {
  const actions = ckanActions(catalog, md, datastore, baseUrl, datastoreSql, tracking);
  const help = (name: string) => `${baseUrl}/api/3/action/help_show?name=${encodeURIComponent(name)}`;

  // CKAN reads a form body too (what `curl -d '{…}'` sends, as CKAN's own documentation does): see `formBody`.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 1024 * 1024 },
    (_req, body, done) => {
      try {
        done(null, formBody(body as string));
      } catch (err) {
        done(err as Error, undefined);
      }
    },
  );

  app.setErrorHandler((err, req, reply) => {
    const e = toCkanError(err, toDomainError);
    if (e.status >= 500) req.log.error({ err }, 'CKAN action failed');
    const action = (req.params as { action?: string }).action ?? '';
    const error = e.fields ? { __type: e.type, ...e.fields } : { __type: e.type, message: e.message };
    reply.status(e.status).send({ help: help(action), success: false, error });
  });

  for (const prefix of ['/api/3/action', '/api/action']) {
    app.route({
      method: ['GET', 'POST'],
      url: `${prefix}/:action`,
      schema: {
        tags: ['CKAN Action API'],
        summary:
          'CKAN action: package_search, package_show, package_activity_list, package_list, package_create, package_patch, organization_list, organization_show, group_list, tag_list, license_list, resource_show, status_show, datastore_search, datastore_search_sql, datastore_info',
        hide: prefix === '/api/action',
      },
      handler: async (req) => {
        const name = (req.params as { action: string }).action;
        const action = Object.hasOwn(actions, name) ? actions[name] : undefined;
        if (!action) throw new CkanError('Bad request', 400, `Bad request - Action name not known: ${name}`);
        const body =
          req.method === 'POST' && req.body && typeof req.body === 'object'
            ? (req.body as Record<string, unknown>)
            : {};
        const { _csrf, ...params } = { ...(req.query as Record<string, unknown>), ...body };
        const result = await action({ principal: req.principal, params, method: req.method, address: req.ip });
        return { help: help(name), success: true, result };
      },
    });
  }
}

/**
 * A form body as CKAN reads one: a body that is a JSON object (what `curl -d '{"id": …}'` sends with a form's type)
 * is read as JSON; otherwise the form's fields, a repeated field as a list.
 */
export function formBody(text: string): Record<string, unknown> {
  if (text.trimStart().startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new CkanError(
        'Bad request',
        400,
        `Bad request - JSON Error: ${(err as Error).message} / Nội dung JSON bị lỗi cú pháp`,
      );
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new CkanError('Bad request', 400, 'Bad request - JSON Error: not an object / không phải đối tượng JSON');
    return parsed as Record<string, unknown>;
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const had = out[key];
    out[key] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return out;
}
