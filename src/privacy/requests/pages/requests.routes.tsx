import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Server } from '../../../platform/http.js';
import { DomainError } from '../../../platform/errors.js';
import { hasAgencyRole, type User } from '../../../accounts/principal.js';
import { signedInPage, userOf } from '../../../accounts/guards.js';
import { citizen } from '../../../identity/guards.js';
import type { PublicUser } from '../../../identity/public-principal.js';
import { page } from '../../../web/layout.js';
import { formValue, sendHtml, type FormBody } from '../../../web/session.js';
import { pageContext } from '../../../web/web.context.js';
import { lateness } from '../clocks.js';
import type { RequestRow } from '../requests.repository.js';
import { REQUEST_KINDS, type RequestFiling, type RequestStep } from '../requests.schema.js';
import { HANDLER_ROLE, type RequestsService } from '../requests.service.js';
import { InboxPage, OverdueRequestsPage, type FailedStep } from './inbox.js';
import { MyRequestPage, MyRequestsPage, type FilingForm, type ShownRequest } from './my-requests.js';

const hide = { hide: true };
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
/** An error the person or officer can correct, shown on the page instead of an error page. */
const SHOWN = ['VALIDATION_FAILED', 'INVALID_STATE', 'TOO_MANY_ATTEMPTS'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface RequestPagesDeps {
  requests: RequestsService;
  subjectHashes(u: PublicUser | null): Promise<string[]>;
  baseUrl: string;
}

/**
 * The requests' pages: the person's (`/my-data/requests`, e-ID level 2, writes with the public session's CSRF
 * token), an agency's inbox on its dashboard and the supervisor's overdue list (staff sessions). Access as in the API.
 */
export function requestPages(app: Server, d: RequestPagesDeps): void {
  const { requests } = d;
  const shown = (xs: { row: RequestRow; agency: ShownRequest['agency'] }[]): ShownRequest[] => {
    const now = requests.clock();
    return xs.map((x) => ({ ...x, late: lateness(x.row, now) }));
  };

  const myPage = async (req: FastifyRequest, reply: FastifyReply, form: FilingForm, status = 200) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const sent = Number((req.query as { sent?: string }).sent);
    const notice = Number.isInteger(sent) && sent > 0 ? ctx.t('requests.form.sent', { count: sent }) : null;
    const mine = shown(await requests.ofPerson(req.publicUser));
    return sendHtml(reply, page(<MyRequestsPage ctx={ctx} requests={mine} form={form} notice={notice} />), status);
  };

  app.get('/my-data/requests', { schema: hide, preHandler: citizen({ level: 2 }) }, (req, reply) =>
    myPage(req, reply, { kind: '', details: '', errors: [] }),
  );

  app.post(
    '/my-data/requests',
    { schema: hide, config: { publicSession: true }, preHandler: citizen({ level: 2 }) },
    async (req, reply) => {
      const ctx = pageContext(req, reply, d.baseUrl);
      const body = (req.body as FormBody | undefined) ?? {};
      const kind = formValue(body, 'kind', 40);
      const details = formValue(body, 'details', 10_000).trim();
      const form: FilingForm = { kind, details, errors: [] };
      if (!(REQUEST_KINDS as readonly string[]).includes(kind)) form.errors.push(ctx.t('requests.form.errKind'));
      if (!details || details.length > 4000) form.errors.push(ctx.t('requests.form.errDetails'));
      if (form.errors.length) return myPage(req, reply, form, 400);
      try {
        const hashes = await d.subjectHashes(req.publicUser);
        const filed = await requests.file(req.publicUser, hashes, { kind: kind as RequestFiling['kind'], details });
        return reply.redirect(`/my-data/requests?sent=${filed.length}`, 303);
      } catch (err) {
        if (!(err instanceof DomainError) || !SHOWN.includes(err.code)) throw err;
        return myPage(req, reply, { ...form, errors: [err.messages[ctx.lang]] }, err.status);
      }
    },
  );

  app.get(
    '/my-data/requests/:id',
    { schema: { ...hide, params: Id }, preHandler: citizen({ level: 2 }) },
    async (req, reply) => {
      const ctx = pageContext(req, reply, d.baseUrl);
      const [r] = shown([await requests.ownRequest(req.publicUser, req.params.id)]);
      return sendHtml(reply, page(<MyRequestPage ctx={ctx} r={r!} />));
    },
  );

  const inbox = async (
    req: FastifyRequest,
    reply: FastifyReply,
    user: User,
    notice: string | null,
    failed: FailedStep | null = null,
    status = 200,
  ) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const handles = [...user.roles.keys()].some((id) => hasAgencyRole(user, id, HANDLER_ROLE));
    const rows = shown(await requests.inbox(user));
    const supervisor = user.isPlatformAdmin && user.via === 'session';
    return sendHtml(
      reply,
      page(
        <InboxPage
          ctx={ctx}
          requests={rows}
          handles={handles}
          supervisor={supervisor}
          notice={notice}
          failed={failed}
        />,
      ),
      status,
    );
  };

  app.get('/dashboard/requests', { schema: hide, preHandler: signedInPage() }, async (req, reply) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const done = (req.query as { done?: string }).done === '1';
    return inbox(req, reply, userOf(req), done ? ctx.t('requests.step.done') : null);
  });

  /**
   * A step from the inbox. The forms post to the inbox's own address (the request named in the body, the anchor in
   * the action), so a mistake is shown at its request with the typed text, and the address stays the inbox's.
   */
  const takeStep = async (req: FastifyRequest, reply: FastifyReply, id: string) => {
    const user = userOf(req);
    const ctx = pageContext(req, reply, d.baseUrl);
    const body = (req.body as FormBody | undefined) ?? {};
    if (!UUID.test(id)) throw new DomainError('NOT_FOUND');
    try {
      await requests.step(user, id, readStep(body, ctx.t));
    } catch (err) {
      if (!(err instanceof DomainError) || !SHOWN.includes(err.code)) throw err;
      const messages = [err.messages[ctx.lang], ...err.details.map((x) => x[ctx.lang])];
      const values = Object.fromEntries(
        ['step', 'days', 'reason', 'note'].map((k) => [k, formValue(body, k, 4000)] as const),
      );
      return inbox(req, reply, user, null, { id, messages, values }, err.status);
    }
    return reply.redirect(`/dashboard/requests?done=1#req-${id}`, 303);
  };
  app.post('/dashboard/requests', { schema: hide, preHandler: signedInPage('/dashboard/requests') }, (req, reply) =>
    takeStep(req, reply, formValue((req.body as FormBody | undefined) ?? {}, 'request', 36)),
  );
  // the address the forms used before: kept for a page loaded before the change
  app.post(
    '/dashboard/requests/:id/steps',
    { schema: { ...hide, params: Id }, preHandler: signedInPage('/dashboard/requests') },
    (req, reply) => takeStep(req, reply, req.params.id),
  );

  app.get('/dashboard/requests/overdue', { schema: hide, preHandler: signedInPage() }, async (req, reply) => {
    const ctx = pageContext(req, reply, d.baseUrl);
    const rows = await requests.overdue(userOf(req));
    return sendHtml(reply, page(<OverdueRequestsPage ctx={ctx} requests={rows} />));
  });
}

/** A step from an inbox form, checked as the API's schema would check it; a mistake names the field in words. */
function readStep(body: FormBody, t: (key: string) => string): RequestStep {
  const step = formValue(body, 'step', 20);
  const on = formValue(body, 'thirdParty', 3) === 'on';
  const text = (key: string, min: number, max: number) => {
    const v = formValue(body, key, max * 2).trim();
    if (v.length < min || v.length > max)
      throw new DomainError('VALIDATION_FAILED', { vi: t('requests.step.errText'), en: t('requests.step.errText') });
    return v;
  };
  switch (step) {
    case 'acknowledge':
      return { step, thirdParty: on };
    case 'third_party':
      return { step, thirdParty: on };
    case 'extend': {
      const days = Number(formValue(body, 'days', 3));
      if (!Number.isInteger(days) || days < 1 || days > 15)
        throw new DomainError('VALIDATION_FAILED', { vi: t('requests.step.errDays'), en: t('requests.step.errDays') });
      return { step, days, reason: text('reason', 3, 2000) };
    }
    case 'complete':
      return { step, note: text('note', 1, 4000) };
    case 'refuse':
      return { step, reason: text('reason', 3, 4000) };
    default:
      throw new DomainError('VALIDATION_FAILED');
  }
}
