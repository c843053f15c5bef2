import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Role, requireAgencyRole, requirePlatformAdmin, requireUser, type User } from './principal.js';

/**
 * Route guards: sign-in and role requirements declared on a route as Fastify `preHandler`s, so a handler starts
 * where its work starts. They run after `auth.hook.ts` has resolved `req.principal` (route hooks follow the app's).
 * The services check again: a guard is the first of two locks, never the only one.
 *
 *   app.get('/api/v1/x', { preHandler: signedIn }, handler)
 *   app.get('/dashboard/x', { preHandler: signedInPage() }, handler)
 *   app.post('/admin/agency/:slug/users', { preHandler: [signedInPage('/dashboard'), agencyRole('agency_admin', bySlug)] }, handler)
 */
export type Guard = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** API: a signed-in caller, by session or token; anyone else gets 401 UNAUTHENTICATED. */
export const signedIn: Guard = async (req) => {
  requireUser(req.principal);
};

/** API and pages: a platform administrator signed in by session (a token never is one). */
export const platformAdmin: Guard = async (req) => {
  requirePlatformAdmin(req.principal);
};

/**
 * Pages: a user signed in by session; anyone else is sent to the sign-in page, which brings them back to `back`
 * (by default the page itself for a GET, the dashboard for a form's POST, whose address shows nothing).
 */
export function signedInPage(back?: string): Guard {
  return async (req, reply) => {
    const p = req.principal;
    if (p.kind === 'user' && p.via === 'session') return;
    const next = back ?? (req.method === 'GET' || req.method === 'HEAD' ? req.url : '/dashboard');
    return reply.redirect(`/signin?next=${encodeURIComponent(next)}`, 303);
  };
}

/** At least `min` in the agency the route names (`agencyOf` reads it from the request: a slug, an id, a record). */
export function agencyRole(min: Role, agencyOf: (req: FastifyRequest) => Promise<string> | string): Guard {
  return async (req) => {
    requireAgencyRole(req.principal, await agencyOf(req), min);
  };
}

/**
 * At least `min` in the agency the request names or, where it names none, a platform administrator: the rule of
 * whatever belongs to one agency or else to the whole platform (audit trail, dictionary fields, new users).
 */
export function agencyRoleOrPlatformAdmin(
  min: Role,
  agencyOf: (req: FastifyRequest) => Promise<string | null | undefined> | string | null | undefined,
): Guard {
  return async (req) => {
    const agencyId = await agencyOf(req);
    if (agencyId) requireAgencyRole(req.principal, agencyId, min);
    else requirePlatformAdmin(req.principal);
  };
}

/**
 * A record the route names, read once per request: the guard checks it and the handler uses it without a second
 * read (`const agency = perRequest((req) => md.agency(slug))`, then `agencyRole(min, async (r) => (await agency(r)).id)`).
 */
export function perRequest<T>(read: (req: FastifyRequest) => Promise<T>): (req: FastifyRequest) => Promise<T> {
  const seen = new WeakMap<FastifyRequest, Promise<T>>();
  return (req) => {
    let value = seen.get(req);
    if (!value) {
      value = read(req);
      seen.set(req, value);
    }
    return value;
  };
}

/** The caller of a guarded route: the guard has made sure there is one. */
export function userOf(req: FastifyRequest): User {
  return requireUser(req.principal);
}
