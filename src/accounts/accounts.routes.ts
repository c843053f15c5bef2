import type { Server } from '../platform/http.js';
import { DomainError } from '../platform/errors.js';
import { agencyRole, agencyRoleOrPlatformAdmin, signedIn, userOf } from './guards.js';
import type { AccountsService } from './accounts.service.js';
import { SESSION_COOKIE } from './auth.hook.js';
import {
  CreateTokenBody,
  CreateUserBody,
  IdParam,
  MembershipBody,
  SignInBody,
  TokenListQuery,
} from './accounts.schema.js';
import { presentMe, presentToken, presentUser } from './accounts.presenter.js';

export function accountsRoutes(app: Server, accounts: AccountsService, opts: { secureCookies: boolean }): void {
  const tags = ['accounts'];

  const { throttle } = accounts;
  const agencyAdmin = agencyRole('agency_admin', (req) => (req.params as { id: string }).id);
  app.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags,
        summary: 'Sign in with e-mail and password (10 failures in 15 minutes lock the address for a while)',
        body: SignInBody,
      },
    },
    async (req, reply) => {
      const wait = throttle.retryAfter(req.body.email, req.ip);
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        throw new DomainError('TOO_MANY_ATTEMPTS');
      }
      let s: Awaited<ReturnType<AccountsService['signIn']>>;
      try {
        s = await accounts.signIn(req.body.email, req.body.password);
      } catch (err) {
        if (err instanceof DomainError && err.code === 'INVALID_CREDENTIALS') throttle.fail(req.body.email, req.ip);
        throw err;
      }
      throttle.succeed(req.body.email, req.ip);
      reply.setCookie(SESSION_COOKIE, s.sessionId, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: opts.secureCookies,
        expires: s.expiresAt,
      });
      return { user: presentUser(s.user), csrf_token: s.csrfToken, expires_at: s.expiresAt.toISOString() };
    },
  );

  app.post('/api/v1/auth/logout', { schema: { tags, summary: 'Sign out' } }, async (req, reply) => {
    const sid = req.cookies[SESSION_COOKIE];
    if (sid) await accounts.signOut(sid);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get('/api/v1/auth/me', { schema: { tags, summary: 'Who am I' }, preHandler: signedIn }, async (req) => {
    return { user: presentMe(userOf(req)), csrf_token: req.csrfToken };
  });

  app.post(
    '/api/v1/tokens',
    { schema: { tags, summary: 'Create an API token (shown once)', body: CreateTokenBody }, preHandler: signedIn },
    async (req, reply) => {
      const { token, secret } = await accounts.createToken(userOf(req), {
        agencyId: req.body.agency_id,
        name: req.body.name,
        role: req.body.role ?? 'agency_editor',
        expiresInDays: req.body.expires_in_days ?? 90,
      });
      return reply.status(201).send({ token: presentToken(token), secret });
    },
  );

  app.get(
    '/api/v1/tokens',
    { schema: { tags, summary: 'List my tokens, or an agency’s', querystring: TokenListQuery }, preHandler: signedIn },
    async (req) => {
      return { tokens: (await accounts.listTokens(userOf(req), req.query.agency_id)).map(presentToken) };
    },
  );

  app.delete(
    '/api/v1/tokens/:id',
    { schema: { tags, summary: 'Revoke a token', params: IdParam }, preHandler: signedIn },
    async (req) => {
      return { token: presentToken(await accounts.revokeToken(userOf(req), req.params.id)) };
    },
  );

  app.post(
    '/api/v1/users',
    {
      schema: { tags, summary: 'Create a user', body: CreateUserBody },
      // a platform administrator, or for a user of one agency (not a platform administrator) that agency's admin
      preHandler: agencyRoleOrPlatformAdmin('agency_admin', (req) => {
        const b = req.body as CreateUserBody;
        return b.platform_admin ? undefined : b.agency_id;
      }),
    },
    async (req, reply) => {
      const b = req.body;
      const user = await accounts.createUser(userOf(req), {
        email: b.email,
        name: b.name,
        password: b.password,
        agencyId: b.agency_id,
        role: b.role,
        platformAdmin: b.platform_admin,
      });
      return reply.status(201).send({ user: presentUser(user) });
    },
  );

  app.get(
    '/api/v1/agencies/:id/members',
    { schema: { tags, summary: 'Members of an agency', params: IdParam }, preHandler: agencyAdmin },
    async (req) => {
      const rows = await accounts.members(userOf(req), req.params.id);
      return { members: rows.map((m) => ({ user_id: m.id, email: m.email, name: m.name, role: m.role })) };
    },
  );

  app.put(
    '/api/v1/agencies/:id/members',
    {
      schema: { tags, summary: 'Add a member or change a role', params: IdParam, body: MembershipBody },
      preHandler: agencyAdmin,
    },
    async (req) => {
      await accounts.setMembership(userOf(req), req.body.user_id, req.params.id, req.body.role);
      return { ok: true };
    },
  );
}
