import { SESSION_COOKIE } from '../accounts/auth.hook.js';
import type { Server } from '../platform/http.js';
import { CallbackQuery, NextQuery, safeNext } from './identity.schema.js';
import type { StaffSso } from './staff-sso.service.js';

const ATTEMPT_COOKIE = 'ndp_sso_attempt';

/** Agency staff's SSO: `/signin/sso` sends them to their provider, `/signin/sso/callback` opens a staff session. */
export function staffSsoRoutes(app: Server, sso: StaffSso, opts: { baseUrl: string; secureCookies: boolean }) {
  app.get('/signin/sso', { schema: { hide: true, querystring: NextQuery } }, async (req, reply) => {
    const started = await sso.start(safeNext(req.query.next, '/dashboard'), req.ip);
    reply.setCookie(ATTEMPT_COOKIE, started.attemptId, {
      path: '/signin/sso',
      httpOnly: true,
      sameSite: 'lax',
      secure: opts.secureCookies,
      expires: started.expiresAt,
    });
    return reply.redirect(started.url.href, 303);
  });

  app.get('/signin/sso/callback', { schema: { hide: true, querystring: CallbackQuery } }, async (req, reply) => {
    const attemptId = req.cookies[ATTEMPT_COOKIE];
    reply.clearCookie(ATTEMPT_COOKIE, { path: '/signin/sso' });
    const s = await sso.finish(attemptId, new URL(req.url, opts.baseUrl));
    reply.setCookie(SESSION_COOKIE, s.sessionId, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: opts.secureCookies,
      expires: s.expiresAt,
    });
    return reply.redirect(s.next, 303);
  });
}
