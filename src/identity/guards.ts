import type { FastifyRequest } from 'fastify';
import type { Guard } from '../accounts/guards.js';
import { requireCitizen, requirePublicUser, type AssuranceLevel, type PublicUser } from './public-principal.js';

/**
 * Route guards for public users, beside accounts/'s staff guards (which never let a public user through, nor these
 * a staff member). A page sends whoever falls short to sign in and back; an API (`api: true`) answers 401 or 403.
 *
 *   app.get('/my-data', { preHandler: citizen({ level: 2 }) }, handler)        // the e-ID at level 2
 *   app.post('/follow', { config: { publicSession: true }, preHandler: publicUser() }, handler)
 *   app.get('/api/v1/my/records', { preHandler: citizen({ level: 2, api: true }) }, handler)
 *
 * Writes need `config: { publicSession: true }`: the public user is known on an unsafe request only there.
 */
const here = (req: FastifyRequest, fallback: string) =>
  encodeURIComponent(req.method === 'GET' || req.method === 'HEAD' ? req.url : fallback);

/** A citizen signed in with the e-ID at `level` or above; a page asks for that level's sign-in (a step up if lower). */
export function citizen(o: { level: AssuranceLevel; api?: boolean }): Guard {
  return async (req, reply) => {
    if (o.api) {
      requireCitizen(req.publicUser, o.level);
      return;
    }
    const u = req.publicUser;
    if (u && u.kind === 'citizen' && u.method === 'eid' && u.level >= o.level) return;
    return reply.redirect(`/auth/eid?level=${o.level}&next=${here(req, '/account')}`, 303);
  };
}

/** Any public user: a citizen (any level) or a reuser signed in with an e-mailed link. */
export function publicUser(o: { api?: boolean } = {}): Guard {
  return async (req, reply) => {
    if (o.api) {
      requirePublicUser(req.publicUser);
      return;
    }
    if (req.publicUser) return;
    return reply.redirect(`/auth?next=${here(req, '/account')}`, 303);
  };
}

/** The public user of a guarded route: the guard has made sure there is one. */
export function publicUserOf(req: FastifyRequest): PublicUser {
  return requirePublicUser(req.publicUser);
}
