import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfMatches } from '../accounts/accounts.service.js';
import { DomainError } from '../platform/errors.js';
import type { Server } from '../platform/http.js';
import { page } from '../web/layout.js';
import { formValue, sendHtml, type FormBody } from '../web/session.js';
import { pageContext } from '../web/web.context.js';
import { AssuranceTooLow, type EidSignIn } from './eid.service.js';
import { publicUser, publicUserOf } from './guards.js';
import { presentPublicUser } from './identity.presenter.js';
import { CallbackQuery, EidStartQuery, EMAIL, NextQuery, safeNext, TokenQuery } from './identity.schema.js';
import type { IdentityService } from './identity.service.js';
import { AccountPage } from './pages/account.js';
import { ConfirmEmailPage, EmailSentPage, PublicSignInPage, StepUpPage, type EmailFormState } from './pages/auth.js';
import { PUBLIC_SESSION_COOKIE, setPublicSessionCookie } from './public-auth.hook.js';

/** The browser's half of an e-ID attempt (the server keeps the rest, found by this cookie's hash). */
const ATTEMPT_COOKIE = 'ndp_eid_attempt';
/** Before there is a session, the e-mail forms are protected by a double-submit token (cookie and field). */
const FORM_COOKIE = 'ndp_public_form';

export interface IdentityRouteDeps {
  identity: IdentityService;
  /** the e-ID sign-in, or null when none is configured (no NDP_OIDC_ISSUER and no stand-in) */
  eid: () => EidSignIn | null;
}

/** Public users' sign-in pages: the e-ID (start, return), e-mailed links (ask, confirm), sign-out, the account page. */
export function identityRoutes(app: Server, d: IdentityRouteDeps, opts: { baseUrl: string; secureCookies: boolean }) {
  const { identity } = d;
  const hide = { hide: true };
  const formToken = (reply: FastifyReply) => {
    const token = randomBytes(24).toString('base64url');
    reply.setCookie(FORM_COOKIE, token, { path: '/auth', httpOnly: true, sameSite: 'lax', secure: opts.secureCookies });
    return token;
  };
  const checkFormToken = (req: FastifyRequest, body: FormBody) => {
    if (!csrfMatches(req.cookies[FORM_COOKIE] ?? '', formValue(body, '_csrf', 200) || undefined))
      throw new DomainError('CSRF_FAILED');
  };
  const signInPage = (req: FastifyRequest, reply: FastifyReply, form: EmailFormState, next: string, status = 200) => {
    const ctx = pageContext(req, reply, opts.baseUrl);
    return sendHtml(
      reply,
      page(<PublicSignInPage ctx={ctx} eid={!!d.eid()} next={next} token={formToken(reply)} form={form} />),
      status,
    );
  };

  app.get('/auth', { schema: { ...hide, querystring: NextQuery } }, async (req, reply) =>
    signInPage(req, reply, { email: '', name: '', errors: {} }, safeNext(req.query.next)),
  );

  app.get('/auth/eid', { schema: { ...hide, querystring: EidStartQuery } }, async (req, reply) => {
    const eid = d.eid();
    if (!eid)
      throw new DomainError('NOT_FOUND', {
        vi: 'Đăng nhập bằng VNeID chưa được cấu hình trên hệ thống này.',
        en: 'Sign-in with VNeID is not set up on this platform.',
      });
    const lang = pageContext(req, reply, opts.baseUrl).lang;
    const started = await eid.start(req.query.level ?? 1, safeNext(req.query.next), lang, req.ip);
    reply.setCookie(ATTEMPT_COOKIE, started.attemptId, {
      path: '/auth/eid',
      httpOnly: true,
      // Lax: the provider's redirect back is a top-level GET from another site, which Lax cookies follow
      sameSite: 'lax',
      secure: opts.secureCookies,
      expires: started.expiresAt,
    });
    return reply.redirect(started.url.href, 303);
  });

  app.get('/auth/eid/callback', { schema: { ...hide, querystring: CallbackQuery } }, async (req, reply) => {
    const eid = d.eid();
    if (!eid) throw new DomainError('NOT_FOUND');
    const attemptId = req.cookies[ATTEMPT_COOKIE];
    reply.clearCookie(ATTEMPT_COOKIE, { path: '/auth/eid' });
    let s: Awaited<ReturnType<EidSignIn['finish']>>;
    try {
      s = await eid.finish(attemptId, new URL(req.url, opts.baseUrl));
    } catch (err) {
      // a lower level than the page needs is no dead end: the same page again, with the way to sign in at its level
      if (!(err instanceof AssuranceTooLow)) throw err;
      const ctx = pageContext(req, reply, opts.baseUrl);
      const again = `/auth/eid?level=${err.wanted}&next=${encodeURIComponent(err.next)}`;
      return sendHtml(reply, page(<StepUpPage ctx={ctx} message={err.messages[ctx.lang]} again={again} />), 403);
    }
    setPublicSessionCookie(reply, s, opts.secureCookies);
    return reply.redirect(s.next, 303);
  });

  app.post('/auth/email', { schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as FormBody;
    checkFormToken(req, body);
    const form: EmailFormState = {
      email: formValue(body, 'email', 254),
      name: formValue(body, 'name', 201),
      errors: {},
    };
    if (!EMAIL.test(form.email)) form.errors.email = true;
    if (!form.name || form.name.length > 200) form.errors.name = true;
    const next = safeNext(formValue(body, 'next', 2000));
    if (form.errors.email || form.errors.name) return signInPage(req, reply, form, next, 400);
    await identity.requestEmailLink({ email: form.email, name: form.name, next, clientAddress: req.ip });
    return reply.redirect('/auth/email/sent', 303);
  });

  app.get('/auth/email/sent', { schema: hide }, async (req, reply) =>
    sendHtml(reply, page(<EmailSentPage ctx={pageContext(req, reply, opts.baseUrl)} />)),
  );

  app.get('/auth/email/confirm', { schema: { ...hide, querystring: TokenQuery } }, async (req, reply) => {
    const link = req.query.token ?? '';
    if (!link || !(await identity.emailLinkLive(link))) throw new DomainError('LINK_INVALID');
    const ctx = pageContext(req, reply, opts.baseUrl);
    // the token stays out of the next page's Referer: the confirmation posts it, and this page's address is not sent
    reply.header('referrer-policy', 'no-referrer');
    const next = safeNext(req.query.next);
    return sendHtml(reply, page(<ConfirmEmailPage ctx={ctx} link={link} next={next} token={formToken(reply)} />));
  });

  app.post('/auth/email/confirm', { schema: hide }, async (req, reply) => {
    const body = (req.body ?? {}) as FormBody;
    checkFormToken(req, body);
    const s = await identity.emailLinkUsed(formValue(body, 'token', 200));
    reply.clearCookie(FORM_COOKIE, { path: '/auth' });
    setPublicSessionCookie(reply, s, opts.secureCookies);
    return reply.redirect(safeNext(formValue(body, 'next', 2000)), 303);
  });

  app.post('/auth/signout', { schema: hide, config: { publicSession: true } }, async (req, reply) => {
    const sid = req.cookies[PUBLIC_SESSION_COOKIE];
    // the hook has checked the CSRF token when the session is live; a stale cookie is simply dropped
    if (sid && req.publicUser) await identity.signOut(sid);
    reply.clearCookie(PUBLIC_SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });

  app.get('/account', { schema: hide, preHandler: publicUser() }, async (req, reply) => {
    const ctx = pageContext(req, reply, opts.baseUrl);
    return sendHtml(reply, page(<AccountPage ctx={ctx} user={publicUserOf(req)} eid={!!d.eid()} />));
  });

  app.get(
    '/api/v1/public/me',
    {
      schema: {
        tags: ['identity'],
        summary: 'The signed-in public user (citizen or reuser), with the level of this sign-in',
      },
      preHandler: publicUser({ api: true }),
    },
    async (req) => ({ user: presentPublicUser(publicUserOf(req)), csrf_token: req.publicCsrf }),
  );
}
