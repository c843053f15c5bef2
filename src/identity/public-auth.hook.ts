import type { FastifyReply } from 'fastify';
import { csrfMatches } from '../accounts/accounts.service.js';
import { DomainError } from '../platform/errors.js';
import type { Server } from '../platform/http.js';
import type { IdentityService } from './identity.service.js';
import type { PublicUser } from './public-principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** the public user (citizen or reuser) of this request, or null */
    publicUser: PublicUser | null;
    /** the public session's CSRF token, for the forms of a page */
    publicCsrf: string | null;
  }
}

/** The public users' cookie: apart from staff's `ndp_session`, with its own lifetime. */
export const PUBLIC_SESSION_COOKIE = 'ndp_public';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function setPublicSessionCookie(
  reply: FastifyReply,
  s: { sessionId: string; expiresAt: Date },
  secure: boolean,
): void {
  reply.setCookie(PUBLIC_SESSION_COOKIE, s.sessionId, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    expires: s.expiresAt,
  });
}

/**
 * Resolves the public user after the staff principal (`accounts/auth.hook.ts`). Pages read it on every safe request
 * (the header shows who is signed in); an unsafe request acts as the public user only on a route that declares
 * `config: { publicSession: true }`, and only with the public session's CSRF token (`X-CSRF-Token` or `_csrf`).
 */
export function registerPublicAuth(app: Server, identity: IdentityService): void {
  app.decorateRequest('publicUser', null);
  app.decorateRequest('publicCsrf', null);
  app.addHook('preValidation', async (req) => {
    req.publicUser = null;
    req.publicCsrf = null;
    const sessionId = req.cookies[PUBLIC_SESSION_COOKIE];
    if (!sessionId) return;
    const safe = SAFE.has(req.method);
    if (!safe && !req.routeOptions.config?.publicSession) return;
    const session = await identity.fromSession(sessionId);
    if (!session) return;
    if (!safe) {
      const body = req.body as Record<string, unknown> | undefined;
      const given =
        (req.headers['x-csrf-token'] as string | undefined) ??
        (typeof body?._csrf === 'string' ? body._csrf : undefined);
      if (!csrfMatches(session.csrfToken, given)) throw new DomainError('CSRF_FAILED');
    }
    req.publicUser = session.user;
    req.publicCsrf = session.csrfToken;
  });
}
