import type { FastifyRequest } from 'fastify';
import type { Server } from '../../platform/http.js';
import { DomainError } from '../../platform/errors.js';
import { signedIn } from '../../accounts/guards.js';
import { presentDescribed, presentDesk, presentGap, presentHolder, presentProcedure } from './procedures.presenter.js';
import {
  AgencyParams,
  AgencyQuery,
  CodeParams,
  DeskBody,
  ElementParams,
  ListQuery,
  ProcedureBody,
  ProcedureCreateBody,
  SourcePutBody,
  StatusBody,
} from './procedures.schema.js';
import type { ProceduresService } from './procedures.service.js';

const tags = ['services'];
const BASE = '/api/v1/services';

/** The agency a write names (body, then query), else the one agency of the caller's token or roles. */
function agencyKey(req: FastifyRequest, fromBody?: string): string {
  const key = fromBody ?? (req.query as { agency?: string }).agency;
  if (key) return key;
  const roles = req.principal.kind === 'user' ? [...req.principal.roles.keys()] : [];
  if (roles.length === 1) return roles[0]!;
  throw new DomainError('VALIDATION_FAILED', undefined, [
    { field: 'agency', vi: 'Hãy cho biết cơ quan (mã, slug hoặc id).', en: 'Name the agency (code, slug or id).' },
  ]);
}

/**
 * Procedures, who holds each dictionary element, the gaps and the desks, through the API. Reading procedures and
 * sources is open; every write is by an agency administrator's token or staff session (with its CSRF token).
 */
export function proceduresRoutes(app: Server, procedures: ProceduresService, baseUrl: string): void {
  app.get(
    `${BASE}/procedures`,
    {
      schema: {
        tags,
        summary: 'Published public-service procedures, by code; of one agency; `mine`: with the caller’s drafts',
        querystring: ListQuery,
      },
    },
    async (req) => {
      const rows = await procedures.list(req.principal, req.query);
      const agencies = await procedures.agenciesOf(rows);
      return { total: rows.length, results: rows.map((r) => presentProcedure(r, agencies.get(r.agency_id), baseUrl)) };
    },
  );
  app.get(
    `${BASE}/procedures/:code`,
    { schema: { tags, summary: 'One procedure, each form field with where its value comes from', params: CodeParams } },
    async (req) => presentDescribed(await procedures.describe(req.principal, req.params.code), baseUrl),
  );
  app.post(
    `${BASE}/procedures`,
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: 'Create a procedure as a draft (an administrator of its agency; `agency` in the body or query)',
        body: ProcedureCreateBody,
        querystring: AgencyQuery,
      },
    },
    async (req, reply) => {
      const { agency, ...body } = req.body;
      const a = await procedures.agency(agencyKey(req, agency));
      const row = await procedures.create(req.principal, a.id, body);
      return reply.status(201).send(presentProcedure(row, a, baseUrl));
    },
  );
  app.put(
    `${BASE}/procedures/:code`,
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: 'A new version of a procedure (its status kept)',
        params: CodeParams,
        body: ProcedureBody,
      },
    },
    async (req) => {
      const row = await procedures.update(req.principal, req.params.code, req.body);
      return presentProcedure(row, (await procedures.agenciesOf([row])).get(row.agency_id), baseUrl);
    },
  );
  app.post(
    `${BASE}/procedures/:code/status`,
    {
      preHandler: signedIn,
      schema: { tags, summary: 'Publish or withdraw a procedure', params: CodeParams, body: StatusBody },
    },
    async (req) => {
      const status = req.body.action === 'publish' ? 'published' : 'withdrawn';
      const row = await procedures.changeStatus(req.principal, req.params.code, status);
      return presentProcedure(row, (await procedures.agenciesOf([row])).get(row.agency_id), baseUrl);
    },
  );

  app.get(
    `${BASE}/sources`,
    {
      schema: {
        tags,
        summary: 'Who holds each dictionary element: the agency, its database and exchange service (public)',
        querystring: AgencyQuery,
      },
    },
    async (req) => ({ results: (await procedures.holders({ agency: req.query.agency })).map(presentHolder) }),
  );
  app.put(
    `${BASE}/sources/:element`,
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: 'Declare who holds an element (an administrator of the agency holding it)',
        params: ElementParams,
        body: SourcePutBody,
      },
    },
    async (req) => {
      const body = { ...req.body, element: req.params.element };
      await procedures.setSource(req.principal, await procedures.holderOf(body), body);
      const [h] = await procedures.holders({ elements: [req.params.element] });
      return presentHolder(h!);
    },
  );
  app.delete(
    `${BASE}/sources/:element`,
    { preHandler: signedIn, schema: { tags, summary: 'Remove an element’s source', params: ElementParams } },
    async (req, reply) => {
      await procedures.deleteSource(req.principal, req.params.element);
      return reply.status(204).send();
    },
  );
  app.get(
    `${BASE}/gaps`,
    {
      schema: {
        tags,
        summary: 'Bound form fields of an agency’s procedures whose element has no source yet',
        querystring: AgencyParams,
      },
    },
    async (req) => ({ results: (await procedures.gaps(req.principal, req.query.agency)).map(presentGap) }),
  );

  app.get(
    `${BASE}/desks/:agency`,
    { preHandler: signedIn, schema: { tags, summary: 'An agency’s desk (never its key)', params: AgencyParams } },
    async (req) => {
      const a = await procedures.agency(req.params.agency);
      const desk = await procedures.desk(req.principal, a.id);
      if (!desk) throw new DomainError('NOT_FOUND', { vi: 'Cơ quan chưa có cấu hình.', en: 'The agency has no desk.' });
      return presentDesk(desk);
    },
  );
  app.put(
    `${BASE}/desks/:agency`,
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: 'Set the exchange client, gateway and API key through which the agency’s procedures fetch facts',
        params: AgencyParams,
        body: DeskBody,
      },
    },
    async (req) => {
      const a = await procedures.agency(req.params.agency);
      return presentDesk(await procedures.setDesk(req.principal, a.id, req.body));
    },
  );
}
