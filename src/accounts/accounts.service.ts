import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError, forbidden, notFound } from '../platform/errors.js';
import { recordAudit } from '../platform/audit.js';
import { AccountsRepository, type TokenRow, type UserRow } from './accounts.repository.js';
import { hashPassword, verifyPassword, DUMMY_HASH } from './passwords.js';
import { SignInThrottle } from './sign-in-throttle.js';
import {
  actorOf,
  requireAgencyRole,
  requirePlatformAdmin,
  requireUser,
  roleAtMost,
  type Principal,
  type Role,
  type User,
} from './principal.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const TOKEN_PATTERN = /^ndp_([a-z0-9]{8})_([A-Za-z0-9_-]{43})$/;
const USER = { vi: 'người dùng', en: 'User' };
const TOKEN = { vi: 'mã truy cập', en: 'API token' };
const SHORT_PASSWORD = new DomainError('VALIDATION_FAILED', {
  vi: 'Mật khẩu cần ít nhất 10 ký tự.',
  en: 'The password needs at least 10 characters.',
});

export interface AccountsDeps {
  db: Kysely<any>;
  sessionTtlHours: number;
  agencyExists(id: string): Promise<boolean>;
  now?: () => Date;
}

export class AccountsService {
  private readonly repo: AccountsRepository;
  /** One throttle for every sign-in form and endpoint of this process. */
  readonly throttle = new SignInThrottle();
  private readonly now: () => Date;
  constructor(private readonly deps: AccountsDeps) {
    this.repo = new AccountsRepository(deps.db);
    this.now = deps.now ?? (() => new Date());
  }

  /** Used by the CLI to make the first administrator; no principal exists yet. */
  async bootstrapUser(input: {
    email: string;
    name: string;
    password: string;
    platformAdmin: boolean;
  }): Promise<UserRow> {
    if (input.password.length < 10) throw SHORT_PASSWORD;
    if (await this.repo.findUserByEmail(input.email)) {
      throw new DomainError('CONFLICT', {
        vi: `Email ${input.email} đã được dùng.`,
        en: `E-mail ${input.email} is taken.`,
      });
    }
    return this.deps.db.transaction().execute(async (trx) => {
      const user = await this.repo.with(trx).insertUser({
        id: randomUUID(),
        email: input.email,
        name: input.name,
        password_hash: await hashPassword(input.password),
        is_platform_admin: input.platformAdmin,
      });
      await recordAudit(
        trx,
        { userId: null, tokenId: null },
        {
          action: 'user.create',
          entityType: 'user',
          entityId: user.id,
          after: { email: user.email, platformAdmin: input.platformAdmin },
        },
      );
      return user;
    });
  }

  /** A platform admin creates any user; an agency admin creates users of their own agency. */
  async createUser(
    p: Principal,
    input: { email: string; name: string; password: string; agencyId?: string; role?: Role; platformAdmin?: boolean },
  ): Promise<UserRow> {
    if (input.platformAdmin) requirePlatformAdmin(p);
    else if (input.agencyId) requireAgencyRole(p, input.agencyId, 'agency_admin');
    else requirePlatformAdmin(p);
    if (input.agencyId && !(await this.deps.agencyExists(input.agencyId)))
      throw notFound({ vi: 'cơ quan', en: 'Agency' }, input.agencyId);
    const user = await this.bootstrapUser({
      email: input.email,
      name: input.name,
      password: input.password,
      platformAdmin: !!input.platformAdmin,
    });
    if (input.agencyId) await this.setMembership(p, user.id, input.agencyId, input.role ?? 'agency_editor');
    return user;
  }

  /**
   * An agency administrator's request for an account: the same outcome to them whether or not the e-mail is
   * registered, so the form cannot be used to find out who has an account. A new e-mail gets its account and
   * membership (as createUser); for a registered one nothing changes, and the request goes to the audit trail
   * without an agency, which only platform administrators read: they may add the owner, with the owner's consent.
   */
  async requestUser(
    p: Principal,
    input: { email: string; name: string; password: string; agencyId: string; role?: Role },
  ): Promise<void> {
    requireAgencyRole(p, input.agencyId, 'agency_admin');
    // every check that does not depend on the e-mail comes first, so a refusal never tells whether it exists
    if (input.password.length < 10) throw SHORT_PASSWORD;
    if (!(await this.deps.agencyExists(input.agencyId)))
      throw notFound({ vi: 'cơ quan', en: 'Agency' }, input.agencyId);
    const existing = await this.repo.findUserByEmail(input.email);
    if (!existing) {
      await this.createUser(p, input);
      return;
    }
    // as long as creating one would take, so the time of the answer does not tell either
    await hashPassword(input.password);
    await recordAudit(this.deps.db, actorOf(p), {
      action: 'user.create_existing',
      entityType: 'user',
      entityId: existing.id,
      after: { requestedAgencyId: input.agencyId, role: input.role ?? 'agency_editor' },
    });
  }

  /**
   * Without the user's consent an agency administrator may only add a user who belongs to no agency yet (an account
   * made for them, or left without one), or change the role of their own members; a user of another agency, or a
   * platform administrator, is added by a platform administrator. Unknown and off-limits users answer alike.
   */
  async setMembership(p: Principal, userId: string, agencyId: string, role: Role): Promise<void> {
    requireAgencyRole(p, agencyId, 'agency_admin');
    const target = await this.repo.findUser(userId);
    if (!(p.kind === 'user' && p.isPlatformAdmin && p.via === 'session')) {
      const theirs = target ? await this.repo.memberships(userId) : [];
      if (!target || target.is_platform_admin || theirs.some((m) => m.agency_id !== agencyId))
        throw forbidden(
          'Quản trị viên cơ quan chỉ thêm được người dùng chưa thuộc cơ quan nào; người dùng của cơ quan khác do quản trị viên nền tảng thêm, khi họ đồng ý.',
          'An agency administrator can add only users who belong to no agency yet; a user of another agency is added by a platform administrator, with their consent.',
        );
    }
    if (!target) throw notFound(USER, userId);
    if (!(await this.deps.agencyExists(agencyId))) throw notFound({ vi: 'cơ quan', en: 'Agency' }, agencyId);
    await this.deps.db.transaction().execute(async (trx) => {
      await this.repo.with(trx).upsertMembership(userId, agencyId, role);
      await recordAudit(trx, actorOf(p), {
        action: 'membership.set',
        entityType: 'user',
        entityId: userId,
        agencyId,
        after: { role },
      });
    });
  }

  /**
   * A membership set by the operator at the console (`ndp admin create-user --agency`): trusted, so no principal;
   * the audit record names no actor and says it came from the command line.
   */
  async setMembershipAsOperator(userId: string, agencyId: string, role: Role): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      await this.repo.with(trx).upsertMembership(userId, agencyId, role);
      await recordAudit(
        trx,
        { userId: null, tokenId: null },
        { action: 'membership.set', entityType: 'user', entityId: userId, agencyId, after: { role, via: 'cli' } },
      );
    });
  }

  async members(p: Principal, agencyId: string) {
    requireAgencyRole(p, agencyId, 'agency_admin');
    return this.repo.agencyMembers(agencyId);
  }

  /** Everyone with a role in an agency, with their e-mail: trusted callers only (the portal telling an agency's staff). */
  agencyStaff(agencyId: string): Promise<{ id: string; email: string; name: string }[]> {
    return this.repo.agencyMembers(agencyId);
  }

  async signIn(
    email: string,
    password: string,
  ): Promise<{ sessionId: string; csrfToken: string; expiresAt: Date; user: UserRow }> {
    const user = await this.repo.findUserByEmail(email);
    const ok = await verifyPassword(user?.password_hash ?? DUMMY_HASH, password);
    if (!user || !ok || user.disabled) throw new DomainError('INVALID_CREDENTIALS');
    const sessionId = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = new Date(this.now().getTime() + this.deps.sessionTtlHours * 3600_000);
    await this.deps.db.transaction().execute(async (trx) => {
      await this.repo
        .with(trx)
        .insertSession({ id_hash: sha256(sessionId), user_id: user.id, csrf_token: csrfToken, expires_at: expiresAt });
      await recordAudit(
        trx,
        { userId: user.id, tokenId: null },
        { action: 'session.create', entityType: 'user', entityId: user.id },
      );
    });
    return { sessionId, csrfToken, expiresAt, user };
  }

  /**
   * A session for the staff account of an e-mail address an OpenID provider has verified (agency SSO, identity/):
   * null when no enabled account has it. No account is ever made this way, and roles stay as they are.
   */
  async signInVerified(
    email: string,
    via: { issuer: string },
  ): Promise<{ sessionId: string; csrfToken: string; expiresAt: Date } | null> {
    const user = await this.repo.findUserByEmail(email);
    if (!user || user.disabled) return null;
    const sessionId = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = new Date(this.now().getTime() + this.deps.sessionTtlHours * 3600_000);
    await this.deps.db.transaction().execute(async (trx) => {
      await this.repo
        .with(trx)
        .insertSession({ id_hash: sha256(sessionId), user_id: user.id, csrf_token: csrfToken, expires_at: expiresAt });
      await recordAudit(
        trx,
        { userId: user.id, tokenId: null },
        { action: 'session.create', entityType: 'user', entityId: user.id, after: { via: 'sso', issuer: via.issuer } },
      );
    });
    return { sessionId, csrfToken, expiresAt };
  }

  async signOut(sessionId: string): Promise<void> {
    await this.repo.deleteSession(sha256(sessionId));
  }

  /** Resolves a session cookie; returns the principal and the session's CSRF token. */
  async fromSession(sessionId: string): Promise<{ principal: User; csrfToken: string } | null> {
    const s = await this.repo.findSession(sha256(sessionId));
    if (!s || s.expires_at.getTime() <= this.now().getTime()) return null;
    const user = await this.repo.findUser(s.user_id);
    if (!user || user.disabled) return null;
    const roles = new Map((await this.repo.memberships(user.id)).map((m) => [m.agency_id, m.role]));
    return {
      principal: {
        kind: 'user',
        userId: user.id,
        name: user.name,
        email: user.email,
        isPlatformAdmin: user.is_platform_admin,
        roles,
        via: 'session',
        tokenId: null,
      },
      csrfToken: s.csrf_token,
    };
  }

  /** The principal of a user acting from the console (`ndp import --user`); no password, the operator is trusted. */
  async principalFor(email: string): Promise<User> {
    const user = await this.repo.findUserByEmail(email);
    if (!user || user.disabled) throw notFound(USER, email);
    const roles = new Map((await this.repo.memberships(user.id)).map((m) => [m.agency_id, m.role]));
    return {
      kind: 'user',
      userId: user.id,
      name: user.name,
      email: user.email,
      isPlatformAdmin: user.is_platform_admin,
      roles,
      via: 'session',
      tokenId: null,
    };
  }

  /** Resolves an API token; an expired or revoked one is refused with its own error code. */
  async fromToken(raw: string): Promise<User> {
    if (!TOKEN_PATTERN.test(raw)) throw new DomainError('UNAUTHENTICATED');
    const token = await this.repo.findTokenBySecret(sha256(raw));
    if (!token) throw new DomainError('UNAUTHENTICATED');
    if (token.revoked_at) throw new DomainError('TOKEN_REVOKED');
    if (token.expires_at.getTime() <= this.now().getTime()) throw new DomainError('TOKEN_EXPIRED');
    const user = await this.repo.findUser(token.user_id);
    if (!user || user.disabled) throw new DomainError('UNAUTHENTICATED');
    // The token never outranks its owner's current role in the agency.
    const membership = (await this.repo.memberships(user.id)).find((m) => m.agency_id === token.agency_id);
    const current: Role | undefined = user.is_platform_admin ? token.role : membership?.role;
    const roles = new Map<string, Role>();
    if (current) roles.set(token.agency_id, roleAtMost(token.role, current));
    await this.repo.touchToken(token.id, this.now());
    return {
      kind: 'user',
      userId: user.id,
      name: user.name,
      email: user.email,
      isPlatformAdmin: false,
      roles,
      via: 'token',
      tokenId: token.id,
    };
  }

  /** Creates an API token; the secret is returned once and only its hash is kept. */
  async createToken(
    p: Principal,
    input: { agencyId: string; name: string; role: Role; expiresInDays: number },
  ): Promise<{ token: TokenRow; secret: string }> {
    const user = requireUser(p);
    if (user.via === 'token') {
      throw new DomainError('FORBIDDEN', {
        vi: 'Không thể dùng mã truy cập để tạo mã mới.',
        en: 'An API token cannot create tokens.',
      });
    }
    requireAgencyRole(user, input.agencyId, input.role === 'agency_admin' ? 'agency_admin' : input.role);
    const prefix = randomBytes(6).toString('hex').slice(0, 8);
    const secret = `ndp_${prefix}_${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(this.now().getTime() + input.expiresInDays * 86400_000);
    const token = await this.deps.db.transaction().execute(async (trx) => {
      const row = await this.repo.with(trx).insertToken({
        id: randomUUID(),
        user_id: user.userId,
        agency_id: input.agencyId,
        role: input.role,
        name: input.name,
        prefix,
        secret_hash: sha256(secret),
        expires_at: expiresAt,
      });
      await recordAudit(trx, actorOf(p), {
        action: 'token.create',
        entityType: 'api_token',
        entityId: row.id,
        agencyId: input.agencyId,
        after: { name: input.name, role: input.role, expiresAt },
      });
      return row;
    });
    return { token, secret };
  }

  async listTokens(p: Principal, agencyId?: string): Promise<TokenRow[]> {
    const user = requireUser(p);
    if (agencyId) {
      requireAgencyRole(user, agencyId, 'agency_admin');
      return this.repo.listTokens({ agencyId });
    }
    return this.repo.listTokens({ userId: user.userId });
  }

  /** The owner, an admin of the token's agency, or a platform admin may revoke. */
  async revokeToken(p: Principal, id: string): Promise<TokenRow> {
    const user = requireUser(p);
    const token = await this.repo.findToken(id);
    if (!token) throw notFound(TOKEN, id);
    if (token.user_id !== user.userId) requireAgencyRole(user, token.agency_id, 'agency_admin');
    if (token.revoked_at) return token;
    const at = this.now();
    await this.deps.db.transaction().execute(async (trx) => {
      await this.repo.with(trx).revokeToken(id, at);
      await recordAudit(trx, actorOf(p), {
        action: 'token.revoke',
        entityType: 'api_token',
        entityId: id,
        agencyId: token.agency_id,
        before: { revokedAt: null },
        after: { revokedAt: at },
      });
    });
    return { ...token, revoked_at: at };
  }
}

export function csrfMatches(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
