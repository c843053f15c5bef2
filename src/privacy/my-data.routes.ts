import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { Server } from '../platform/http.js';
import type { PublicUser } from '../identity/public-principal.js';
import { citizen } from '../identity/guards.js';
import { ConsentDecision } from './consent.schema.js';
import {
  encodeCursor,
  decodeCursor,
  EXPORT_TYPES,
  exportBody,
  presentMyConsent,
  presentRecord,
} from './my-data.presenter.js';
import { ConsentId, ExportFormat, ProofParams, RecordsQuery } from './my-data.schema.js';
import type { MyDataService } from './my-data.service.js';

const tags = ['my data'];
const guard = citizen({ level: 2, api: true });

/** Sends a person's export as a download, streamed. Shared by the page's links and the API. */
export async function sendExport(
  reply: FastifyReply,
  my: MyDataService,
  user: PublicUser | null,
  format: 'csv' | 'json',
) {
  const { pages, release } = await my.export(user, format);
  // however the response ends (done, failed, the client gone), the person may download again
  reply.raw.on('close', release);
  reply.header('content-type', EXPORT_TYPES[format]);
  reply.header('content-disposition', `attachment; filename="my-data.${format}"`);
  reply.header('cache-control', 'no-store');
  return reply.send(Readable.from(exportBody(pages, format)));
}

/**
 * "My data" for programs the person runs (the API twin of the page): their reads with proofs, the export, their
 * consents and decisions. Signed in at the e-ID's level 2 through the public session; writes need its CSRF token.
 */
export function myDataRoutes(app: Server, my: MyDataService): void {
  app.get(
    '/api/v1/my/records',
    {
      preHandler: guard,
      schema: {
        tags,
        summary: 'Every read of my data the exchange recorded, newest first, 50 a page',
        querystring: RecordsQuery,
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const q = req.query as RecordsQuery;
      if (q.consent)
        return { records: (await my.usesOfConsent(req.publicUser, q.consent)).map(presentRecord), next: null };
      const page = await my.records(req.publicUser, decodeCursor(q.before), { withProofs: q.proofs });
      return {
        records: page.records.map((r, i) =>
          page.proofs ? { ...presentRecord(r), evidence: page.proofs[i] ?? null } : presentRecord(r),
        ),
        next: page.next ? encodeCursor(page.next) : null,
      };
    },
  );
  app.get(
    '/api/v1/my/records/export.:format',
    {
      preHandler: guard,
      schema: { tags, summary: 'All my records (at most 10,000) as CSV or JSON, streamed', params: ExportFormat },
    },
    async (req, reply) => sendExport(reply, my, req.publicUser, (req.params as { format: 'csv' | 'json' }).format),
  );
  app.get(
    '/api/v1/my/records/:gateway/:index/proof',
    {
      preHandler: guard,
      schema: {
        tags,
        summary:
          'The proof that a read of my data is in the provider gateway’s log (inclusion proof and signed checkpoint)',
        params: ProofParams,
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const p = req.params as ProofParams;
      return my.proof(req.publicUser, p.gateway, p.index);
    },
  );
  app.get(
    '/api/v1/my/consents',
    { preHandler: guard, schema: { tags, summary: 'The consents asked of me: waiting, in force, past' } },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const c = await my.consents(req.publicUser);
      return {
        waiting: c.waiting.map(presentMyConsent),
        active: c.active.map(presentMyConsent),
        past: c.past.map(presentMyConsent),
      };
    },
  );
  app.post(
    '/api/v1/my/consents/:id/decision',
    {
      config: { publicSession: true },
      preHandler: guard,
      schema: {
        tags,
        summary: 'Approve or refuse a consent asked of me, or withdraw one I gave (X-CSRF-Token of my session)',
        params: ConsentId,
        body: ConsentDecision,
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const c = await my.decide(req.publicUser, id, (req.body as ConsentDecision).decision);
      return { id: c.id, status: c.status };
    },
  );
}
