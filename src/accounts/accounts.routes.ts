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
      // JSON only: a form body can be posted cross-site by any page, which would sign the visitor in as the
      // attacker (login CSRF). The portal's own sign-in form has its CSRF-protected route, POST /signin.
      onRequest: async (req) => {
        const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        if (type !== 'application/json')
          throw new DomainError('UNSUPPORTED_MEDIA_TYPE', {
            vi: 'Đăng nhập qua API chỉ nhận nội dung JSON (Content-Type: application/json).',
            en: 'Sign-in through the API takes a JSON body only (Content-Type: application/json).',
          });
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
      schema: {
        tags,
        summary:
          'Create a user (an agency administrator gets 202 Accepted, the same whether or not the e-mail is registered)',
        body: CreateUserBody,
      },
      // a platform administrator, or for a user of one agency (not a platform administrator) that agency's admin
      preHandler: agencyRoleOrPlatformAdmin('agency_admin', (req) => {
        const b = req.body as CreateUserBody;
        return b.platform_admin ? undefined : b.agency_id;
      }),
    },
    async (req, reply) => {
      const b = req.body;
      const input = {
        email: b.email,
        name: b.name,
        password: b.password,
        agencyId: b.agency_id,
        role: b.role,
        platformAdmin: b.platform_admin,
      };
      const caller = userOf(req);
      if (caller.isPlatformAdmin && caller.via === 'session')
        return reply.status(201).send({ user: presentUser(await accounts.createUser(caller, input)) });
      // an agency administrator gets one answer whether or not the e-mail is registered (see requestUser)
      await accounts.requestUser(caller, { ...input, agencyId: b.agency_id ?? '' });
      return reply.status(202).send({
        request: { email: b.email, agency_id: b.agency_id, role: b.role ?? 'agency_editor', status: 'accepted' },
        message: {
          vi: 'Đã nhận yêu cầu. Nếu email chưa có tài khoản, tài khoản đã được tạo và có trong danh sách thành viên; nếu đã có, quản trị viên nền tảng sẽ liên hệ với người dùng để thêm họ vào cơ quan.',
          en: 'Request received. If the e-mail had no account, the account was created and is in the members list; if it had one, a platform administrator will ask its owner before adding them to the agency.',
        },
      });
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
      schema: {
        tags,
        summary: 'Add a member or change a role (an agency administrator adds only users who belong to no agency yet)',
        params: IdParam,
        body: MembershipBody,
      },
      preHandler: agencyAdmin,
    },
    async (req) => {
      await accounts.setMembership(userOf(req), req.body.user_id, req.params.id, req.body.role);
      return { ok: true };
    },
  );
}
