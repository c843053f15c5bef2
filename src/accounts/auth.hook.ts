import type { FastifyRequest } from 'fastify';
import { DomainError } from '../platform/errors.js';
import type { Server } from '../platform/http.js';
import { ANONYMOUS, type Principal } from './principal.js';
import { csrfMatches, type AccountsService } from './accounts.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
    csrfToken: string | null;
    /** set when a multipart upload carries its CSRF token as a form field, checked by the route */
    csrfDeferred: boolean;
  }
  interface FastifyContextConfig {
    /** the route reads `_csrf` from its multipart fields and calls verifyDeferredCsrf */
    multipartCsrf?: boolean;
    /** the route checks its own credential (its bearer token is not a user's): the caller stays anonymous here */
    ownCredential?: boolean;
    /**
     * a public user's form (identity/: a citizen or reuser): its unsafe requests carry the public session's CSRF
     * token, checked by identity's hook, and the staff principal stays anonymous on them
     */
    publicSession?: boolean;
  }
}

/** For multipart uploads from a page: the `_csrf` field comes before the file and is checked here. */
export function verifyDeferredCsrf(req: FastifyRequest, given: string | undefined): void {
  if (req.csrfDeferred && !csrfMatches(req.csrfToken ?? '', given)) throw new DomainError('CSRF_FAILED');
}

export const SESSION_COOKIE = 'ndp_session';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** CKAN clients send the bare token in Authorization or X-CKAN-API-Key; others use Bearer. */
function tokenFrom(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  if (auth) return auth.replace(/^Bearer\s+/i, '').trim();
  const ckan = req.headers['x-ckan-api-key'];
  return typeof ckan === 'string' ? ckan.trim() : undefined;
}

/**
 * Resolves who is calling before any handler runs. A token is checked strictly
 * (a bad token is an error, never anonymous); a session cookie that has expired
 * simply makes the caller anonymous. Unsafe requests on a session need the CSRF token.
 * It runs before schema validation, so the error page of a malformed address still knows who is signed in.
 */
export function registerAuth(app: Server, accounts: AccountsService): void {
  app.decorateRequest('principal', null as never);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('csrfDeferred', false);
  app.addHook('preValidation', async (req) => {
    req.principal = ANONYMOUS;
    if (req.routeOptions.config?.ownCredential) return;
    if (req.routeOptions.config?.publicSession && !SAFE.has(req.method)) return;
    const token = tokenFrom(req);
    if (token) {
      req.principal = await accounts.fromToken(token);
      return;
    }
    const sessionId = req.cookies[SESSION_COOKIE];
    if (!sessionId) return;
    const session = await accounts.fromSession(sessionId);
    if (!session) return;
    req.principal = session.principal;
    req.csrfToken = session.csrfToken;
    if (!SAFE.has(req.method)) {
      const body = req.body as Record<string, unknown> | undefined;
      const given =
        (req.headers['x-csrf-token'] as string | undefined) ??
        (typeof body?._csrf === 'string' ? body._csrf : undefined);
      const multipart = (req.headers['content-type'] ?? '').startsWith('multipart/form-data');
      if (!given && multipart && req.routeOptions.config?.multipartCsrf) {
        req.csrfDeferred = true;
        return;
      }
      if (!csrfMatches(session.csrfToken, given)) throw new DomainError('CSRF_FAILED');
    }
  });
}
