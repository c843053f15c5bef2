import { Type } from '@sinclair/typebox';
import type { Server } from '../../platform/http.js';
import { signedIn } from '../../accounts/guards.js';
import { citizen } from '../../identity/guards.js';
import { presentCorrection, presentDossier } from './dossiers.presenter.js';
import { InboxQuery, IssueBody, RejectBody, SubmitBody } from './dossiers.schema.js';
import type { DossiersService } from './dossiers.service.js';

const tags = ['services'];
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** The dossiers' API: the applicant submits and follows theirs (e-ID level 2), the deciding agency's officers act. */
export function dossiersRoutes(
  app: Server,
  dossiers: DossiersService,
  resultLink: (dossierId: string) => Promise<string | null>,
): void {
  const present = async (x: Parameters<typeof presentDossier>[0]) =>
    presentDossier(x, x.row.status === 'issued' ? await resultLink(x.row.id) : null);
  app.post(
    '/api/v1/services/dossiers',
    {
      config: { publicSession: true },
      preHandler: citizen({ level: 2, api: true }),
      schema: {
        tags,
        summary:
          'Submit a prefilled form: accepted values are the registers’, disputed ones become correction requests (e-ID level 2)',
        body: SubmitBody,
      },
    },
    async (req, reply) => {
      const { dossier, corrections } = await dossiers.submit(req.publicUser, req.body.prefill, req.body.answers);
      return reply
        .status(201)
        .send({ dossier: await present(dossier), corrections: corrections.map(presentCorrection) });
    },
  );
  app.get(
    '/api/v1/my/dossiers',
    {
      preHandler: citizen({ level: 2, api: true }),
      schema: { tags, summary: 'My dossiers of public services, with per-field origins and due dates (e-ID level 2)' },
    },
    async (req) => ({
      dossiers: await Promise.all((await dossiers.ofPerson(req.publicUser)).map(present)),
    }),
  );
  app.get(
    '/api/v1/services/dossiers',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: "A deciding agency's dossiers, the oldest due first (its editors)",
        querystring: InboxQuery,
      },
    },
    async (req) => ({
      dossiers: await Promise.all(
        (await dossiers.inbox(req.principal, req.query.agency, req.query.status)).map(present),
      ),
    }),
  );
  app.get(
    '/api/v1/services/dossiers/:id',
    { preHandler: signedIn, schema: { tags, summary: 'One dossier of your agency', params: Id } },
    async (req) => present(await dossiers.forAgency(req.principal, req.params.id)),
  );
  app.post(
    '/api/v1/services/dossiers/:id/take',
    { preHandler: signedIn, schema: { tags, summary: 'Take a dossier into review', params: Id } },
    async (req) => present(await dossiers.take(req.principal, req.params.id)),
  );
  app.post(
    '/api/v1/services/dossiers/:id/reject',
    {
      preHandler: signedIn,
      schema: { tags, summary: 'Refuse a dossier, with the reason', params: Id, body: RejectBody },
    },
    async (req) => present(await dossiers.reject(req.principal, req.params.id, req.body.note)),
  );
  app.post(
    '/api/v1/services/dossiers/:id/issue',
    {
      preHandler: signedIn,
      schema: { tags, summary: 'Issue the signed result of a dossier', params: Id, body: IssueBody },
    },
    async (req) => present(await dossiers.issue(req.principal, req.params.id, req.body.written ?? {})),
  );
}
