import { Type } from '@sinclair/typebox';
import type { Server } from '../../platform/http.js';
import { signedIn } from '../../accounts/guards.js';
import { publicUser } from '../../identity/guards.js';
import { presentReuse } from './reuses.presenter.js';
import { HideBody, ReuseBody, ReuseListQuery } from './reuses.schema.js';
import type { ReusesService } from './reuses.service.js';

const tags = ['reuses'];
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

/**
 * Reuses through the API. Reading is open; a public user (citizen or reuser) submits, edits and withdraws their own
 * with the public session's CSRF token in `X-CSRF-Token`; staff (session or token) hide one as its moderators.
 */
export function reusesRoutes(app: Server, reuses: ReusesService, baseUrl: string): void {
  app.get(
    '/api/v1/reuses',
    {
      schema: {
        tags,
        summary: 'Reuses of open data (apps, articles, visualisations, models), newest first; by kind or data set',
        querystring: ReuseListQuery,
      },
    },
    async (req) => {
      const limit = req.query.limit ?? 20;
      const page = req.query.page ?? 1;
      const r = await reuses.list({ kind: req.query.kind, dataset: req.query.dataset }, page, limit);
      return { total: r.total, page, limit, results: r.items.map((x) => presentReuse(x, baseUrl)) };
    },
  );
  app.get('/api/v1/reuses/:id', { schema: { tags, summary: 'One reuse', params: Id } }, async (req) =>
    presentReuse(await reuses.get(req.params.id, { publicUser: req.publicUser, principal: req.principal }), baseUrl),
  );
  app.post(
    '/api/v1/reuses',
    {
      config: { publicSession: true },
      preHandler: publicUser({ api: true }),
      schema: {
        tags,
        summary: 'Submit a reuse linked to the published data sets it uses (a signed-in public user; 5 a day)',
        body: ReuseBody,
      },
    },
    async (req, reply) => reply.status(201).send(presentReuse(await reuses.submit(req.publicUser, req.body), baseUrl)),
  );
  app.put(
    '/api/v1/reuses/:id',
    {
      config: { publicSession: true },
      preHandler: publicUser({ api: true }),
      schema: { tags, summary: 'Edit one of my reuses', params: Id, body: ReuseBody },
    },
    async (req) => presentReuse(await reuses.edit(req.publicUser, req.params.id, req.body), baseUrl),
  );
  app.delete(
    '/api/v1/reuses/:id',
    {
      config: { publicSession: true },
      preHandler: publicUser({ api: true }),
      schema: { tags, summary: 'Withdraw one of my reuses', params: Id },
    },
    async (req, reply) => {
      await reuses.withdraw(req.publicUser, req.params.id);
      return reply.status(204).send();
    },
  );
  app.post(
    '/api/v1/reuses/:id/hide',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: 'Hide a reuse, with a reason (an editor of a linked data set’s agency, or a platform admin; audited)',
        params: Id,
        body: HideBody,
      },
    },
    async (req) => presentReuse(await reuses.hide(req.principal, req.params.id, req.body.reason), baseUrl),
  );
}
