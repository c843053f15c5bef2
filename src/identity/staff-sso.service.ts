import type { IdentityService } from './identity.service.js';
import { RelyingParty, signInFailed } from './relying-party.js';

/** What staff SSO needs of accounts/: a session for the staff account of a verified e-mail address, if there is one. */
export interface StaffSessions {
  signInVerified(
    email: string,
    via: { issuer: string },
  ): Promise<{ sessionId: string; csrfToken: string; expiresAt: Date } | null>;
}

/**
 * Agency staff signing in through their organisation's OpenID provider: the provider's verified `email` is matched
 * to an existing staff account (none is ever made here; roles stay with accounts/), and passwords keep working.
 */
export class StaffSso {
  constructor(
    private readonly rp: RelyingParty,
    private readonly identity: IdentityService,
    private readonly staff: StaffSessions,
  ) {}

  async start(next: string, clientAddress: string): Promise<{ attemptId: string; expiresAt: Date; url: URL }> {
    const checks = RelyingParty.newChecks();
    const url = await this.rp.authorizationUrl(checks, { scope: 'openid email profile' });
    const attempt = await this.identity.startAttempt(
      {
        provider: 'staff',
        state: checks.state,
        nonce: checks.nonce,
        code_verifier: checks.codeVerifier,
        level: 0,
        next,
      },
      clientAddress,
    );
    return { attemptId: attempt.id, expiresAt: attempt.expiresAt, url };
  }

  async finish(attemptId: string | undefined, currentUrl: URL) {
    const attempt = await this.identity.takeAttempt('staff', attemptId);
    const signed = await this.rp.complete(currentUrl, {
      state: attempt.state,
      nonce: attempt.nonce,
      codeVerifier: attempt.code_verifier,
    });
    const email = signed.claims.email;
    if (typeof email !== 'string' || signed.claims.email_verified !== true)
      throw signInFailed(
        'Nhà cung cấp đăng nhập không xác nhận địa chỉ email của bạn.',
        'The sign-in provider did not vouch for your e-mail address.',
      );
    const session = await this.staff.signInVerified(email, { issuer: signed.issuer });
    if (!session)
      throw signInFailed(
        `Không có tài khoản cán bộ nào dùng email ${email}. Hãy nhờ quản trị viên cơ quan tạo tài khoản.`,
        `No staff account uses ${email}. Ask your agency's administrator for one.`,
      );
    return { ...session, next: attempt.next };
  }
}
