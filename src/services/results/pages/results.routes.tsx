import type { FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import type { Server } from '../../../platform/http.js';
import { DomainError } from '../../../platform/errors.js';
import { hasAgencyRole } from '../../../accounts/principal.js';
import { signedInPage, userOf } from '../../../accounts/guards.js';
import { page } from '../../../web/layout.js';
import { requireConfirmed } from '../../../web/confirm.js';
import { formValue, sendHtml, type FormBody } from '../../../web/session.js';
import { pageContext } from '../../../web/web.context.js';
import { resultUrl, verifyUrl } from '../result.js';
import { HolderQuery, MAX_JWS, ResultId } from '../results.schema.js';
import { RESULT_ROLE, type ResultsService } from '../results.service.js';
import { ResultPrintPage } from './result-print.js';
import { PastePage, VerifyPage } from './verify-page.js';

const hide = { hide: true };

/**
 * The results' pages: verification for anyone (`/verify/{id}?h=` from the QR, `/verify` to paste a JWS), and the
 * printable result (`/my/results/{id}`) for the person it was issued to (e-ID level 2) and the deciding agency's staff,
 * whose editors revoke it there (staff session and CSRF).
 */
export function resultPages(app: Server, results: ResultsService, baseUrl: string): void {
  app.get('/verify', { schema: hide }, (req, reply) =>
    sendHtml(reply, page(<PastePage ctx={pageContext(req, reply, baseUrl)} v={null} error={null} />)),
  );

  app.post('/verify', { schema: hide, config: { publicSession: true }, bodyLimit: 64 * 1024 }, async (req, reply) => {
    const ctx = pageContext(req, reply, baseUrl);
    const jws = formValue((req.body as FormBody | undefined) ?? {}, 'jws', MAX_JWS);
    try {
      const v = await results.verifyJws(jws, req.ip);
      return sendHtml(reply, page(<PastePage ctx={ctx} v={v} error={null} />));
    } catch (err) {
      // nothing pasted: said beside the box, as any form's field error
      if (!(err instanceof DomainError) || err.code !== 'VALIDATION_FAILED') throw err;
      const error = err.details[0]?.[ctx.lang] ?? err.messages[ctx.lang];
      return sendHtml(reply, page(<PastePage ctx={ctx} v={null} error={error} />), 400);
    }
  });

  app.get('/verify/:id', { schema: { ...hide, params: ResultId, querystring: HolderQuery } }, async (req, reply) => {
    const v = await results.verifyById(req.params.id, req.query.h);
    reply.header('cache-control', 'no-store');
    return sendHtml(reply, page(<VerifyPage ctx={pageContext(req, reply, baseUrl)} v={v} />));
  });

  const printPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    error: string | null,
    status = 200,
  ) => {
    const ctx = pageContext(req, reply, baseUrl);
    const { row, agency } = await results.forViewer(req.principal, req.publicUser, id);
    const url = verifyUrl(baseUrl, row);
    const qrSvg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
    const staff = req.principal.kind === 'user' && req.principal.via === 'session';
    const canRevoke = staff && hasAgencyRole(req.principal, row.agency_id, RESULT_ROLE);
    const revoked = (req.query as { revoked?: string }).revoked === '1';
    const notice = revoked ? ctx.t('results.revoke.done') : null;
    reply.header('cache-control', 'no-store');
    const props = { ctx, row, agency, url, qrSvg, canRevoke, notice, error, now: results.clock() };
    return sendHtml(reply, page(<ResultPrintPage {...props} />), status);
  };

  app.get('/my/results/:id', { schema: { ...hide, params: ResultId } }, async (req, reply) => {
    const staff = req.principal.kind === 'user';
    const u = req.publicUser;
    // nobody signed in, or a citizen below level 2: the e-ID's sign-in (a step up), then back here
    if (!staff && (!u || u.level < 2))
      return reply.redirect(`/auth/eid?level=2&next=${encodeURIComponent(req.url)}`, 303);
    return printPage(req, reply, req.params.id, null);
  });

  app.post(
    '/my/results/:id/revoke',
    { schema: { ...hide, params: ResultId }, preHandler: signedInPage() },
    async (req, reply) => {
      const ctx = pageContext(req, reply, baseUrl);
      const body = (req.body as FormBody | undefined) ?? {};
      requireConfirmed(body);
      try {
        await results.revoke(userOf(req), req.params.id, formValue(body, 'reason', 2000));
      } catch (err) {
        if (!(err instanceof DomainError) || err.code !== 'VALIDATION_FAILED') throw err;
        return printPage(req, reply, req.params.id, err.details[0]?.[ctx.lang] ?? err.messages[ctx.lang], 400);
      }
      return reply.redirect(`${resultUrl(req.params.id)}?revoked=1`, 303);
    },
  );
}
