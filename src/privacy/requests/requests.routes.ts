import { Type } from '@sinclair/typebox';
import type { Server } from '../../platform/http.js';
import { platformAdmin, signedIn, userOf } from '../../accounts/guards.js';
import { citizen } from '../../identity/guards.js';
import type { PublicUser } from '../../identity/public-principal.js';
import { presentAgencyRequest, presentOwnRequest } from './requests.presenter.js';
import { InboxQuery, RequestFiling, RequestStep } from './requests.schema.js';
import type { RequestsService } from './requests.service.js';

const tags = ['privacy'];
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

export interface RequestsRouteDeps {
  requests: RequestsService;
  /** the keyed hashes of a level-2 citizen (identity's `subjectHashes`) */
  subjectHashes(u: PublicUser | null): Promise<string[]>;
}

/**
 * Data subjects' requests through the API: the person files and follows them (signed in with the e-ID at level 2;
 * a write needs the public session's CSRF token in `X-CSRF-Token`), an agency's officers take the steps, the
 * supervisor lists what is overdue.
 */
export function requestsRoutes(app: Server, d: RequestsRouteDeps): void {
  const { requests } = d;
  app.get(
    '/api/v1/my/requests',
    {
      preHandler: citizen({ level: 2, api: true }),
      schema: {
        tags,
        summary: 'My requests under the personal data law, with their status and due dates (e-ID level 2)',
      },
    },
    async (req) => {
      const now = requests.clock();
      return {
        requests: (await requests.ofPerson(req.publicUser)).map((x) => presentOwnRequest(x.row, x.agency, now)),
      };
    },
  );
  app.post(
    '/api/v1/my/requests',
    {
      config: { publicSession: true },
      preHandler: citizen({ level: 2, api: true }),
      schema: {
        tags,
        summary:
          'File a request (access, correction, deletion, restriction, objection, withdrawal of consent) to every agency that holds or read my data',
        body: RequestFiling,
      },
    },
    async (req, reply) => {
      const hashes = await d.subjectHashes(req.publicUser);
      const now = requests.clock();
      const mine = await requests.file(req.publicUser, hashes, req.body);
      return reply.status(201).send({ requests: mine.map((x) => presentOwnRequest(x.row, x.agency, now)) });
    },
  );
  app.get(
    '/api/v1/privacy/requests',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: "An agency's inbox of data subjects' requests (its editors and administrators)",
        querystring: InboxQuery,
      },
    },
    async (req) => {
      const now = requests.clock();
      const rows = await requests.inbox(req.principal, req.query.agency);
      return { requests: rows.map((x) => presentAgencyRequest(x.row, x.agency, now)) };
    },
  );
  app.get(
    '/api/v1/privacy/requests/overdue',
    {
      preHandler: platformAdmin,
      schema: {
        tags,
        summary: 'Open requests past a statutory deadline, every agency’s, with how late (platform admin)',
      },
    },
    async (req) => {
      const rows = await requests.overdue(userOf(req));
      return {
        requests: rows.map((x) => ({
          id: x.row.id,
          agency: { id: x.agency.id, name_vi: x.agency.name_vi, name_en: x.agency.name_en },
          kind: x.row.kind,
          status: x.row.status,
          receivedAt: x.row.received_at.toISOString(),
          late: x.late.map((l) => ({ clock: l.clock, due: l.due.toISOString(), daysLate: l.daysLate })),
        })),
      };
    },
  );
  app.get(
    '/api/v1/privacy/requests/:id',
    { preHandler: signedIn, schema: { tags, summary: 'One request of your agency', params: Id } },
    async (req) => {
      const x = await requests.forAgency(req.principal, req.params.id);
      return presentAgencyRequest(x.row, x.agency, requests.clock());
    },
  );
  app.post(
    '/api/v1/privacy/requests/:id/steps',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary:
          'Take a step on a request: acknowledge, mark a processor or third party, extend once, complete, refuse',
        params: Id,
        body: RequestStep,
      },
    },
    async (req) => {
      const x = await requests.step(req.principal, req.params.id, req.body);
      return presentAgencyRequest(x.row, x.agency, requests.clock());
    },
  );
}
