import { DomainError } from '../platform/errors.js';
import type { IdentityService, NewSession } from './identity.service.js';
import type { AssuranceLevel } from './public-principal.js';
import { RelyingParty, signInFailed } from './relying-party.js';
import { ID_NUMBER_SCOPE } from './eid-claims.js';

const ID_NUMBER = /^[0-9]{12}$/;

/** The assurance level an `acr` value stands for at this provider (`levels`: level 1's value, level 2's), or null. */
export function levelOf(acr: string | null, levels: readonly [string, string]): AssuranceLevel | null {
  if (acr === levels[1]) return 2;
  if (acr === levels[0]) return 1;
  return null;
}

/**
 * Sign-in with the national e-ID (OpenID Connect, authorization code + PKCE). Level 1 asks for the person's name;
 * level 2 also asks the `cccd` scope for the id number, which is turned into the exchange's keyed hashes at once
 * and otherwise kept only sealed on the session (see `IdentityService.citizenSignedIn`). The level the provider
 * vouches for (`acr`) must be at least the level asked.
 */
export class EidSignIn {
  constructor(
    private readonly rp: RelyingParty,
    private readonly identity: IdentityService,
    private readonly levels: readonly [string, string],
  ) {}

  get issuer(): string {
    return this.rp.issuer;
  }

  async start(
    level: AssuranceLevel,
    next: string,
    lang: 'vi' | 'en',
    clientAddress: string,
  ): Promise<{ attemptId: string; expiresAt: Date; url: URL }> {
    const checks = RelyingParty.newChecks();
    const url = await this.rp.authorizationUrl(checks, {
      scope: level === 2 ? `openid profile ${ID_NUMBER_SCOPE}` : 'openid profile',
      acrValues: level === 2 ? [this.levels[1]] : [...this.levels],
      uiLocales: lang,
      // the person says who they are at every sign-in: a shared computer's last citizen is never signed in again
      prompt: 'login',
    });
    const attempt = await this.identity.startAttempt(
      {
        provider: 'eid',
        state: checks.state,
        nonce: checks.nonce,
        code_verifier: checks.codeVerifier,
        level,
        next,
      },
      clientAddress,
    );
    return { attemptId: attempt.id, expiresAt: attempt.expiresAt, url };
  }

  async finish(attemptId: string | undefined, currentUrl: URL): Promise<NewSession & { next: string }> {
    const attempt = await this.identity.takeAttempt('eid', attemptId);
    const signed = await this.rp.complete(currentUrl, {
      state: attempt.state,
      nonce: attempt.nonce,
      codeVerifier: attempt.code_verifier,
    });
    const level = levelOf(signed.acr, this.levels);
    if (level === null)
      throw signInFailed(
        `Nhà cung cấp định danh trả về mức định danh không xác định (acr “${signed.acr ?? ''}”).`,
        `The identity provider answered an unknown assurance level (acr “${signed.acr ?? ''}”).`,
      );
    if (level < attempt.level) throw new AssuranceTooLow(level, attempt.level, attempt.next);
    const c = signed.claims;
    const name =
      typeof c.name === 'string' && c.name.trim()
        ? c.name.trim()
        : [c.family_name, c.given_name].filter((x) => typeof x === 'string').join(' ') || '—';
    const released = c[ID_NUMBER_SCOPE];
    const idNumber = attempt.level === 2 && typeof released === 'string' && ID_NUMBER.test(released) ? released : null;
    const session = await this.identity.citizenSignedIn({
      issuer: signed.issuer,
      subject: signed.subject,
      name: name.slice(0, 200),
      level,
      idNumber,
    });
    return { ...session, next: attempt.next };
  }
}

/** A sign-in answered at a lower level than the page asked: the way back to where it was going, to try again. */
export class AssuranceTooLow extends DomainError {
  constructor(
    level: number,
    readonly wanted: number,
    readonly next: string,
  ) {
    super('ASSURANCE_TOO_LOW', {
      vi: `Tài khoản định danh điện tử đã xác thực ở mức ${level}; trang này cần mức ${wanted}.`,
      en: `The electronic identity was confirmed at level ${level}; this page needs level ${wanted}.`,
    });
  }
}
