import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Server } from '../../../platform/http.js';
import { DomainError } from '../../../platform/errors.js';
import { hasAgencyRole, type Principal } from '../../../accounts/principal.js';
import { signedInPage, userOf } from '../../../accounts/guards.js';
import { publicUser, publicUserOf } from '../../../identity/guards.js';
import { page } from '../../../web/layout.js';
import { formValue, sendHtml, type FormBody } from '../../../web/session.js';
import { pageContext } from '../../../web/web.context.js';
import type { T } from '../../../web/i18n.js';
import { STATUSES, type DataRequestStep } from '../data-requests.schema.js';
import { ANSWER_ROLE, type DataRequestsService } from '../data-requests.service.js';
import { AskPage, EMPTY_ASK, type AskForm } from './ask.js';
import { AnswerPage, InboxPage, type FailedStep } from './inbox.js';
import { DataRequestsPage } from './list.js';
import { DataRequestPage } from './request.js';

const hide = { hide: true };
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const PAGE_SIZE = 20;
/** An error the person or officer can correct, shown on the page instead of an error page. */
const SHOWN = ['VALIDATION_FAILED', 'INVALID_STATE', 'TOO_MANY_ATTEMPTS', 'NOT_FOUND'];
const Listing = Type.Object({
  agency: Type.Optional(Type.String({ maxLength: 100 })),
  status: Type.Optional(Type.String({ maxLength: 20 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
});

/**
 * The data requests' pages: the public listing and each request's page, the form to ask (a signed-in public user,
 * with the public session's CSRF token), the "+1", and the agency's inbox and answering page (staff sessions).
 */
export function dataRequestPages(app: Server, requests: DataRequestsService, baseUrl: string): void {
  const ctxOf = (req: FastifyRequest, reply: FastifyReply) => pageContext(req, reply, baseUrl);

  app.get('/data-requests', { schema: { ...hide, querystring: Listing } }, async (req, reply) => {
    const ctx = ctxOf(req, reply);
    const agencies = await requests.agencyChoices();
    const agency = agencies.some((a) => a.slug === req.query.agency) ? req.query.agency! : '';
    const status = (STATUSES as readonly string[]).includes(req.query.status ?? '') ? req.query.status! : '';
    const offset = ((req.query.page ?? 1) - 1) * PAGE_SIZE;
    const { requests: rows, total } = await requests.list({
      agency: agency || undefined,
      status: (status || undefined) as (typeof STATUSES)[number] | undefined,
      limit: PAGE_SIZE,
      offset,
    });
    return sendHtml(
      reply,
      page(
        <DataRequestsPage
          ctx={ctx}
          requests={rows}
          total={total}
          agencies={agencies}
          agency={agency}
          status={status}
          limit={PAGE_SIZE}
          offset={offset}
        />,
      ),
    );
  });

  const askPage = async (req: FastifyRequest, reply: FastifyReply, form: AskForm, status = 200) => {
    const ctx = ctxOf(req, reply);
    const agencies = await requests.agencyChoices();
    const name = publicUserOf(req).name;
    return sendHtml(reply, page(<AskPage ctx={ctx} form={form} agencies={agencies} name={name} />), status);
  };
  app.get('/data-requests/new', { schema: hide, preHandler: publicUser() }, (req, reply) =>
    askPage(req, reply, EMPTY_ASK),
  );
  app.post(
    '/data-requests/new',
    { schema: hide, config: { publicSession: true }, preHandler: publicUser() },
    async (req, reply) => {
      const ctx = ctxOf(req, reply);
      const body = (req.body as FormBody | undefined) ?? {};
      const form: AskForm = {
        title: formValue(body, 'title', 400),
        description: formValue(body, 'description', 8000),
        purpose: formValue(body, 'purpose', 4000),
        agency: formValue(body, 'agency', 100),
        showName: formValue(body, 'showName', 3) === 'on',
        errors: {},
      };
      const within = (v: string, min: number, max: number) => v.length >= min && v.length <= max;
      if (!within(form.title, 3, 200)) form.errors.title = ctx.t('datareq.ask.errTitle');
      if (!within(form.description, 10, 4000)) form.errors.description = ctx.t('datareq.ask.errDescription');
      if (!within(form.purpose, 3, 2000)) form.errors.purpose = ctx.t('datareq.ask.errPurpose');
      if (form.agency && !(await requests.agencyChoices()).some((a) => a.slug === form.agency))
        form.errors.agency = ctx.t('datareq.ask.errAgency');
      if (Object.keys(form.errors).length) return askPage(req, reply, form, 400);
      try {
        const r = await requests.ask(req.publicUser, { ...form, agency: form.agency || null });
        return reply.redirect(`/data-requests/${r.row.id}?sent=1`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || !SHOWN.includes(err.code)) throw err;
        return askPage(req, reply, { ...form, errors: { form: err.messages[ctx.lang] } }, err.status);
      }
    },
  );

  /** Whether a staff principal answers this request now (its agency's editor, or an administrator in triage). */
  const answers = (p: Principal, agencyId: string | null) =>
    p.kind === 'user' &&
    (agencyId ? hasAgencyRole(p, agencyId, ANSWER_ROLE) : p.isPlatformAdmin && p.via === 'session');

  app.get('/data-requests/:id', { schema: { ...hide, params: Id } }, async (req, reply) => {
    const ctx = ctxOf(req, reply);
    const r = await requests.get(req.params.id);
    const q = req.query as { sent?: string; voted?: string };
    const notice = q.sent === '1' ? ctx.t('datareq.ask.sent') : null;
    const open = r.row.status !== 'published' && r.row.status !== 'refused';
    return sendHtml(
      reply,
      page(
        <DataRequestPage
          ctx={ctx}
          r={r}
          voted={await requests.voted(req.publicUser, r.row.id)}
          answers={open && answers(req.principal, r.row.agency_id)}
          notice={notice}
        />,
      ),
    );
  });

  app.post(
    '/data-requests/:id/votes',
    { schema: { ...hide, params: Id }, config: { publicSession: true }, preHandler: publicUser() },
    async (req, reply) => {
      await requests.vote(req.publicUser, req.params.id);
      return reply.redirect(`/data-requests/${req.params.id}`, 303);
    },
  );

  app.get('/dashboard/data-requests', { schema: hide, preHandler: signedInPage() }, async (req, reply) => {
    const ctx = ctxOf(req, reply);
    return sendHtml(reply, page(<InboxPage ctx={ctx} requests={await requests.inbox(userOf(req))} />));
  });

  const answerPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    notice: string | null,
    failed: FailedStep | null = null,
    status = 200,
  ) => {
    const ctx = ctxOf(req, reply);
    const user = userOf(req);
    const r = await requests.get(id);
    if (!answers(user, r.row.agency_id)) throw new DomainError('FORBIDDEN');
    const triage = r.row.status === 'triage' && user.isPlatformAdmin && user.via === 'session';
    const agencies = await requests.agencyChoices();
    return sendHtml(
      reply,
      page(<AnswerPage ctx={ctx} r={r} agencies={agencies} triage={triage} notice={notice} failed={failed} />),
      status,
    );
  };
  app.get(
    '/dashboard/data-requests/:id',
    { schema: { ...hide, params: Id }, preHandler: signedInPage() },
    async (req, reply) => {
      const done = (req.query as { done?: string }).done === '1';
      return answerPage(req, reply, req.params.id, done ? ctxOf(req, reply).t('datareq.step.done') : null);
    },
  );
  app.post(
    '/dashboard/data-requests/:id',
    { schema: { ...hide, params: Id }, preHandler: signedInPage('/dashboard/data-requests') },
    async (req, reply) => {
      const ctx = ctxOf(req, reply);
      const body = (req.body as FormBody | undefined) ?? {};
      try {
        await requests.step(userOf(req), req.params.id, readStep(body, ctx.t));
      } catch (err) {
        if (!(err instanceof DomainError) || !SHOWN.includes(err.code)) throw err;
        const values = Object.fromEntries(
          ['step', 'reason', 'dataset', 'answer', 'legalGround', 'redirectTo', 'agency'].map(
            (k) => [k, formValue(body, k, 4000)] as const,
          ),
        );
        const messages = [err.messages[ctx.lang], ...err.details.map((x) => x[ctx.lang])];
        return answerPage(req, reply, req.params.id, null, { messages, values }, err.status);
      }
      return reply.redirect(`/dashboard/data-requests/${req.params.id}?done=1`, 303);
    },
  );
}

/** A step from the answering page's forms, checked as the API's schema checks it. */
function readStep(body: FormBody, t: T): DataRequestStep {
  const step = formValue(body, 'step', 20);
  const text = (key: string, min: number, max: number) => {
    const v = formValue(body, key, max * 2);
    if (v.length < min || v.length > max)
      throw new DomainError('VALIDATION_FAILED', { vi: t('datareq.step.errText'), en: t('datareq.step.errText') });
    return v;
  };
  switch (step) {
    case 'start':
      return { step };
    case 'extend':
      return { step, reason: text('reason', 3, 2000) };
    case 'publish':
      return { step, dataset: text('dataset', 1, 200), answer: text('answer', 0, 4000) };
    case 'refuse':
      return { step, answer: text('answer', 3, 4000), legalGround: text('legalGround', 3, 500) };
    case 'not_held': {
      const to = text('redirectTo', 0, 100);
      return { step, answer: text('answer', 3, 4000), ...(to ? { redirectTo: to } : {}) };
    }
    case 'assign':
      return { step, agency: text('agency', 1, 100) };
    default:
      throw new DomainError('VALIDATION_FAILED');
  }
}
