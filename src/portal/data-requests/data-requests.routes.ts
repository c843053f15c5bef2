import { Type } from '@sinclair/typebox';
import type { Server } from '../../platform/http.js';
import { signedIn } from '../../accounts/guards.js';
import { publicUser } from '../../identity/guards.js';
import { presentCounts, presentDataRequest, presentDataRequestDetail } from './data-requests.presenter.js';
import { CountsQuery, DataRequestBody, DataRequestStep, ListQuery } from './data-requests.schema.js';
import type { DataRequestsService } from './data-requests.service.js';

const tags = ['data requests'];
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

/**
 * Data requests through the API: anyone reads them; a signed-in public user asks and gives a "+1" (with the public
 * session's CSRF token in `X-CSRF-Token`); the agency's editors answer; counts per agency.
 */
export function dataRequestsRoutes(app: Server, requests: DataRequestsService): void {
  app.get(
    '/api/v1/data-requests',
    { schema: { tags, summary: 'Requests for data, newest first, by agency and state', querystring: ListQuery } },
    async (req) => {
      const { requests: rows, total } = await requests.list(req.query);
      return { total, requests: rows.map(presentDataRequest) };
    },
  );
  app.post(
    '/api/v1/data-requests',
    {
      config: { publicSession: true },
      preHandler: publicUser({ api: true }),
      schema: { tags, summary: 'Ask for data that is not published (a signed-in public user)', body: DataRequestBody },
    },
    async (req, reply) => reply.status(201).send(presentDataRequest(await requests.ask(req.publicUser, req.body))),
  );
  app.get(
    '/api/v1/data-requests/counts',
    {
      schema: {
        tags,
        summary: 'Per agency: requests received, answered, answered in time, overdue now',
        querystring: CountsQuery,
      },
    },
    async (req) => ({ agencies: (await requests.counts(req.query.agency)).map(presentCounts) }),
  );
  app.get(
    '/api/v1/data-requests/:id',
    { schema: { tags, summary: 'One request, its answer and the agencies it went to', params: Id } },
    async (req) => presentDataRequestDetail(await requests.get(req.params.id)),
  );
  app.post(
    '/api/v1/data-requests/:id/votes',
    {
      config: { publicSession: true },
      preHandler: publicUser({ api: true }),
      schema: {
        tags,
        summary: '“+1”: I want this data too (once per public user; the body is `{}`)',
        params: Id,
        body: Type.Object({}, { additionalProperties: false }),
      },
    },
    async (req) => ({ votes: await requests.vote(req.publicUser, req.params.id) }),
  );
  app.post(
    '/api/v1/data-requests/:id/steps',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary:
          'The agency answers: start, extend once, publish (a data set), refuse (reason, legal ground), not held (send on); triage assigns',
        params: Id,
        body: DataRequestStep,
      },
    },
    async (req) => presentDataRequestDetail(await requests.step(req.principal, req.params.id, req.body)),
  );
}
