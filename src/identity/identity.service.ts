import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordAudit } from '../platform/audit.js';
import { DomainError } from '../platform/errors.js';
import { SignInThrottle } from '../accounts/sign-in-throttle.js';
import { IdentityRepository, type SignInAttemptRow, type SignInMethod } from './identity.repository.js';
import { requireCitizen, withIdNumber, type PublicUser } from './public-principal.js';
import { openIdNumber, sealIdNumber } from './id-number-seal.js';
import type { Mailer } from './mailer.js';
import { signInLinkMail } from './mail-text.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const NOBODY = { userId: null, tokenId: null };
/** An e-mailed link lives this long; an OpenID attempt (the browser away at the provider) this long. */
const LINK_MINUTES = 30;
const ATTEMPT_MINUTES = 10;

export interface IdentityDeps {
  db: Kysely<any>;
  baseUrl: string;
  publicSessionTtlHours: number;
  mailer: Mailer;
  /**
   * the exchange's keyed hashes of a person, under every subject key it keeps (`app.ts` wires the registry); the
   * person is named as the exchange's access records name them, by X-Road-UserId: "VN" and the id number
   */
  subjectHashes(xRoadUserId: string): Promise<string[]>;
  now?: () => Date;
}

export interface NewSession {
  sessionId: string;
  csrfToken: string;
  expiresAt: Date;
  user: PublicUser;
}

/**
 * Public users — citizens signed in with the e-ID, reusers signed in with e-mailed links — their sessions, and the
 * attempts and links that lead to one. Staff accounts are `accounts/`'s; nothing here gives a role in an agency.
 */
export class IdentityService {
  private readonly repo: IdentityRepository;
  private readonly now: () => Date;
  /** e-mailed links: 10 requests per address and 5 per e-mail address in 15 minutes */
  readonly mailThrottle = new SignInThrottle({ perAddress: 10, perAccount: 5 });
  /** OpenID attempts: each keeps a row for ten minutes, so one client address may start 30 in 15 minutes */
  private readonly attemptThrottle = new SignInThrottle({ perAddress: 30, perAccount: 30 });

  constructor(private readonly deps: IdentityDeps) {
    this.repo = new IdentityRepository(deps.db);
    this.now = deps.now ?? (() => new Date());
  }

  // ── OpenID attempts ─────────────────────────────────────────────────────
  /** Keeps an attempt under a new random id the browser holds in a cookie; returns that id. */
  async startAttempt(
    a: Omit<SignInAttemptRow, 'id_hash' | 'expires_at'>,
    clientAddress: string,
  ): Promise<{ id: string; expiresAt: Date }> {
    // keyed by the address alone (as account and address both): no other client's attempts count against it
    if (this.attemptThrottle.retryAfter(clientAddress, clientAddress) > 0) throw new DomainError('TOO_MANY_ATTEMPTS');
    this.attemptThrottle.fail(clientAddress, clientAddress);
    const id = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.now().getTime() + ATTEMPT_MINUTES * 60_000);
    await this.repo.dropExpired(this.now());
    await this.repo.insertAttempt({ ...a, id_hash: sha256(id), expires_at: expiresAt });
    return { id, expiresAt };
  }

  /** The attempt of this browser, taken out so it serves once; a missing, spent or stale one is refused. */
  async takeAttempt(provider: 'eid' | 'staff', id: string | undefined): Promise<SignInAttemptRow> {
    const row = id ? await this.repo.takeAttempt(sha256(id)) : undefined;
    if (!row || row.provider !== provider || row.expires_at.getTime() <= this.now().getTime())
      throw new DomainError('SIGN_IN_FAILED', {
        vi: 'Không tìm thấy yêu cầu đăng nhập của trình duyệt này (đã dùng, hết hạn hoặc được mở ở nơi khác). Hãy đăng nhập lại.',
        en: 'No sign-in started in this browser matches (already used, expired or started elsewhere). Please sign in again.',
      });
    return row;
  }

  // ── citizens (e-ID) ──────────────────────────────────────────────────────
  /**
   * A citizen the e-ID vouched for: found by issuer and subject (made on first sign-in), their id number — when the
   * provider released it — kept as the exchange's keyed hashes, and a session at the level signed in with; a level-2
   * session also keeps the id number itself, sealed under its cookie secret, for as long as it lives.
   */
  async citizenSignedIn(s: {
    issuer: string;
    subject: string;
    name: string;
    level: 1 | 2;
    idNumber: string | null;
  }): Promise<NewSession> {
    const hashes = s.idNumber ? await this.deps.subjectHashes(`VN${s.idNumber}`) : null;
    return this.deps.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      let userId = await repo.userIdOfIdentity(s.issuer, s.subject);
      const created = !userId;
      if (!userId) {
        userId = (await repo.insertUser({ id: randomUUID(), kind: 'citizen', name: s.name, email: null })).id;
      }
      await repo.linkIdentity(s.issuer, s.subject, userId);
      if (hashes) await repo.replaceSubjects(userId, hashes);
      const idNumber = s.level === 2 ? (s.idNumber ?? undefined) : undefined;
      const session = await this.openSession(trx, userId, s.name, 'eid', s.level, idNumber);
      if (session.user.kind !== 'citizen') throw new DomainError('SIGN_IN_FAILED');
      await recordAudit(trx, NOBODY, {
        action: created ? 'public_user.create' : 'public_user.sign_in',
        entityType: 'public_user',
        entityId: userId,
        after: { method: 'eid', issuer: s.issuer, level: s.level, idNumberHashed: !!hashes },
      });
      return session;
    });
  }

  /** The keyed hashes of a level-2 citizen's id number, for their own records (the privacy part's "my data"). */
  async subjectHashes(u: PublicUser | null): Promise<string[]> {
    const user = requireCitizen(u, 2);
    return this.repo.subjects(user.userId);
  }

  /** A public user's name and e-mail, for a trusted caller telling them something (the portal's notices). */
  async contact(userId: string): Promise<{ name: string; email: string | null } | null> {
    const u = await this.repo.findUser(userId);
    return u ? { name: u.name, email: u.email } : null;
  }

  // ── reusers (e-mailed links) ─────────────────────────────────────────────
  /**
   * Sends a link that signs the owner of `email` up (a new address: the account is made when the link is used) or
   * in (a known one). The caller hears the same either way and the mail goes out after the answer, so neither the
   * words nor the time tell whether an address has an account. Throttled per client address and per e-mail.
   * `next`: a path of this site (the route has checked it) the used link returns to.
   */
  async requestEmailLink(input: { email: string; name: string; next?: string; clientAddress: string }): Promise<void> {
    const email = input.email.trim().toLowerCase();
    const wait = this.mailThrottle.retryAfter(email, input.clientAddress);
    if (wait > 0)
      throw new DomainError('TOO_MANY_ATTEMPTS', {
        vi: `Đã gửi nhiều liên kết tới địa chỉ này hoặc từ máy của bạn. Vui lòng đợi ${Math.ceil(wait / 60)} phút.`,
        en: `Many links were sent to this address or from your computer. Please wait ${Math.ceil(wait / 60)} minutes.`,
      });
    this.mailThrottle.fail(email, input.clientAddress);
    const token = randomBytes(32).toString('base64url');
    await this.repo.dropExpired(this.now());
    await this.repo.insertEmailLink({
      token_hash: sha256(token),
      email,
      name: input.name.trim(),
      expires_at: new Date(this.now().getTime() + LINK_MINUTES * 60_000),
    });
    const known = await this.repo.findUserByEmail(email);
    const back = input.next && input.next !== '/account' ? `&next=${encodeURIComponent(input.next)}` : '';
    const link = `${this.deps.baseUrl}/auth/email/confirm?token=${token}${back}`;
    const mail = signInLinkMail({ link, minutes: LINK_MINUTES, known: !!known });
    void this.deps.mailer.send({ to: email, ...mail }).catch(() => {
      // the mailer logs its own failures; the person asks again
    });
  }

  /** Whether a link can still be used (the confirmation page shows its button only then; using it checks again). */
  emailLinkLive(token: string): Promise<boolean> {
    return this.repo.emailLinkLive(sha256(token), this.now());
  }

  /** Uses a link once: the reuser's account is made on first use (the address is then verified), and a session opened. */
  async emailLinkUsed(token: string): Promise<NewSession> {
    return this.deps.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      const link = await repo.useEmailLink(sha256(token), this.now());
      if (!link) throw new DomainError('LINK_INVALID');
      let user = await repo.findUserByEmail(link.email);
      const created = !user;
      if (!user) user = await repo.insertUser({ id: randomUUID(), kind: 'reuser', name: link.name, email: link.email });
      if (user.disabled) throw new DomainError('LINK_INVALID');
      const session = await this.openSession(trx, user.id, null, 'email', 0);
      await recordAudit(trx, NOBODY, {
        action: created ? 'public_user.create' : 'public_user.sign_in',
        entityType: 'public_user',
        entityId: user.id,
        after: { method: 'email', level: 0 },
      });
      return session;
    });
  }

  // ── sessions ─────────────────────────────────────────────────────────────
  private async openSession(
    trx: Kysely<any>,
    userId: string,
    name: string | null,
    method: SignInMethod,
    level: 0 | 1 | 2,
    idNumber?: string,
  ): Promise<NewSession> {
    const repo = this.repo.with(trx);
    const at = this.now();
    await repo.touchUser(userId, name, at);
    await repo.dropExpired(at);
    const sessionId = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = new Date(at.getTime() + this.deps.publicSessionTtlHours * 3600_000);
    const idHash = sha256(sessionId);
    await repo.insertSession({
      id_hash: idHash,
      user_id: userId,
      csrf_token: csrfToken,
      method,
      level,
      expires_at: expiresAt,
      id_number_sealed: idNumber ? sealIdNumber(idNumber, sessionId, idHash) : null,
    });
    const row = (await repo.findUser(userId))!;
    return {
      sessionId,
      csrfToken,
      expiresAt,
      user: withIdNumber(
        { userId, kind: row.kind, name: row.name, email: row.email, method, level, expiresAt },
        idNumber,
      ),
    };
  }

  /**
   * Resolves a public session cookie: the user and the session's CSRF token, or null (expired, unknown, disabled). A
   * level-2 e-ID session's user carries the id number, opened with the cookie's secret.
   */
  async fromSession(sessionId: string): Promise<{ user: PublicUser; csrfToken: string } | null> {
    const s = await this.repo.findSession(sha256(sessionId));
    if (!s || s.expires_at.getTime() <= this.now().getTime()) return null;
    const row = await this.repo.findUser(s.user_id);
    if (!row || row.disabled) return null;
    const sealed = s.method === 'eid' && s.level === 2 ? s.id_number_sealed : null;
    const user: PublicUser = {
      userId: row.id,
      kind: row.kind,
      name: row.name,
      email: row.email,
      method: s.method,
      level: s.level as 0 | 1 | 2,
      expiresAt: s.expires_at,
    };
    return {
      user: withIdNumber(user, sealed ? openIdNumber(sealed, sessionId, s.id_hash) : undefined),
      csrfToken: s.csrf_token,
    };
  }

  async signOut(sessionId: string): Promise<void> {
    const s = await this.repo.findSession(sha256(sessionId));
    if (!s) return;
    await this.deps.db.transaction().execute(async (trx) => {
      await this.repo.with(trx).deleteSession(s.id_hash);
      await recordAudit(trx, NOBODY, {
        action: 'public_user.sign_out',
        entityType: 'public_user',
        entityId: s.user_id,
      });
    });
  }
}
