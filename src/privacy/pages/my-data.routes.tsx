import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { Server } from '../../platform/http.js';
import type { PageContext } from '../../web/context.js';
import { citizen } from '../../identity/guards.js';
import { page } from '../../web/layout.js';
import { sendHtml } from '../../web/session.js';
import { pageContext } from '../../web/web.context.js';
import { decodeCursor } from '../my-data.presenter.js';
import { sendExport } from '../my-data.routes.js';
import { ConsentId, ExportFormat, ProofParams, RecordsQuery } from '../my-data.schema.js';
import type { MyDataService } from '../my-data.service.js';
import { MyDataPage } from './my-data.js';
import type { PurposeLabels } from './purpose.js';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'my-data.client.js');
const hide = { hide: true };
const DONE = ['approve', 'refuse', 'withdraw'] as const;

const PageQuery = Type.Object(
  {
    ...RecordsQuery.properties,
    done: Type.Optional(Type.Union(DONE.map((d) => Type.Literal(d)))),
  },
  { additionalProperties: false },
);
const DecisionForm = Type.Object(
  {
    _csrf: Type.String({ maxLength: 200 }),
    decision: Type.Union(DONE.map((d) => Type.Literal(d))),
  },
  { additionalProperties: false },
);

/**
 * A section another part adds to "my data" (the services' offers): rendered for the signed-in citizen, null for none.
 * Privacy imports no such part; `app.ts` passes the sections in.
 */
export type MyDataSection = (req: FastifyRequest, ctx: PageContext) => Promise<VNode | null>;

/** What other parts add to "my data": sections, and the words for the purposes they know (procedures' names). */
export interface MyDataExtras {
  sections?: MyDataSection[];
  purposeLabels?: PurposeLabels;
}

/**
 * The "my data" page: a citizen signed in with the e-ID at level 2 (anyone else is sent to sign in at level 2), the
 * reads of their data 50 at a time with proofs, exports, and their consents with the forms that decide them. Works
 * without JavaScript; the script only adds "verify" beside each proof.
 */
export function myDataPages(app: Server, my: MyDataService, baseUrl: string, extras: MyDataExtras = {}): void {
  const level2 = citizen({ level: 2 });
  const sections = extras.sections ?? [];
  // a purpose not named (the other part failing) reads as its code: the page still shows every read
  const labelsOf = async (codes: string[]) =>
    extras.purposeLabels && codes.length
      ? await extras.purposeLabels([...new Set(codes)]).catch(() => new Map<string, { vi: string; en: string }>())
      : new Map<string, { vi: string; en: string }>();

  app.get('/my-data', { schema: { ...hide, querystring: PageQuery }, preHandler: level2 }, async (req, reply) => {
    const ctx = pageContext(req, reply, baseUrl);
    const q = req.query as Static<typeof PageQuery>;
    const before = decodeCursor(q.before);
    const reads = q.consent
      ? { records: await my.usesOfConsent(req.publicUser, q.consent), next: null }
      : await my.records(req.publicUser, before);
    const consents = await my.consents(req.publicUser);
    const extra = (await Promise.all(sections.map((s) => s(req, ctx)))).filter((x): x is VNode => x !== null);
    const purposes = await labelsOf(
      [...reads.records, ...consents.waiting, ...consents.active, ...consents.past].flatMap((x) =>
        x.purpose ? [x.purpose] : [],
      ),
    );
    reply.header('cache-control', 'no-store');
    return sendHtml(
      reply,
      page(
        <MyDataPage
          ctx={ctx}
          v={{
            ...reads,
            deeper: !!before,
            consent: q.consent ?? null,
            consents,
            done: q.done ?? null,
            extra,
            purposes,
          }}
        />,
      ),
    );
  });

  app.post(
    '/my-data/consents/:id',
    { schema: { ...hide, params: ConsentId, body: DecisionForm }, config: { publicSession: true }, preHandler: level2 },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      const { decision } = req.body as Static<typeof DecisionForm>;
      await my.decide(req.publicUser, id, decision);
      return reply.redirect(`/my-data?done=${decision}#consent-${id}`, 303);
    },
  );

  app.get(
    '/my-data/records.:format',
    { schema: { ...hide, params: ExportFormat }, preHandler: level2 },
    async (req, reply) => sendExport(reply, my, req.publicUser, (req.params as { format: 'csv' | 'json' }).format),
  );

  app.get(
    '/my-data/records/:gateway/:index/proof.json',
    { schema: { ...hide, params: ProofParams }, preHandler: level2 },
    async (req, reply) => {
      const p = req.params as Static<typeof ProofParams>;
      const proof = await my.proof(req.publicUser, p.gateway, p.index);
      reply.header('cache-control', 'no-store');
      reply.header('content-type', 'application/json; charset=utf-8');
      return JSON.stringify(proof, null, 2);
    },
  );

  let script: Promise<string> | null = null;
  app.get('/assets/privacy/my-data.js', { schema: hide }, async (_req, reply) => {
    script ??= readFile(SCRIPT, 'utf8');
    reply.header('content-type', 'text/javascript; charset=utf-8');
    reply.header('cache-control', 'public, max-age=3600');
    return script;
  });
}
