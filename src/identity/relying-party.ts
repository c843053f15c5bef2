import * as oidc from 'openid-client';
import { DomainError } from '../platform/errors.js';

export interface ProviderSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** plain http to the provider: the stand-in e-ID on loopback only, never a real provider */
  allowHttp?: boolean;
  /** how the provider is reached (tests put a hand between ndp and the provider here) */
  fetch?: oidc.CustomFetch;
}

/** What an attempt remembers between sending the browser away and its return, to check the return against. */
export interface AttemptChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface SignedInClaims {
  issuer: string;
  subject: string;
  acr: string | null;
  /** the ID token's claims merged with the UserInfo's (same subject, checked) */
  claims: Record<string, unknown>;
}

export const signInFailed = (vi: string, en: string) => new DomainError('SIGN_IN_FAILED', { vi, en });

/**
 * One OpenID provider as seen by ndp (`openid-client`): discovery on first use, the authorization URL with PKCE
 * (S256), state and nonce, and the return checked — state, the code exchanged with the verifier, the ID token's
 * signature (non-repudiation checks on: a token endpoint's answer is verified against the provider's keys too),
 * issuer, audience, expiry and nonce — then the UserInfo for the same subject. What the tokens say is judged by the
 * caller (assurance level, e-mail).
 */
export class RelyingParty {
  private config: Promise<oidc.Configuration> | null = null;
  constructor(private readonly s: ProviderSettings) {}

  get issuer(): string {
    return this.s.issuer;
  }

  private configuration(): Promise<oidc.Configuration> {
    if (!this.config) {
      const options: oidc.DiscoveryRequestOptions = {};
      if (this.s.allowHttp) options.execute = [oidc.allowInsecureRequests];
      if (this.s.fetch) options[oidc.customFetch] = this.s.fetch;
      this.config = oidc
        .discovery(
          new URL(this.s.issuer),
          this.s.clientId,
          undefined,
          oidc.ClientSecretBasic(this.s.clientSecret),
          options,
        )
        .then((c) => {
          oidc.enableNonRepudiationChecks(c);
          return c;
        });
      // a provider down at the first sign-in is asked again at the next one
      this.config.catch(() => {
        this.config = null;
      });
    }
    return this.config;
  }

  static newChecks(): AttemptChecks {
    return { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
  }

  async authorizationUrl(
    checks: AttemptChecks,
    ask: { scope: string; acrValues?: string[]; uiLocales?: string; prompt?: string },
  ): Promise<URL> {
    const config = await this.reach(() => this.configuration());
    const params: Record<string, string> = {
      redirect_uri: this.s.redirectUri,
      scope: ask.scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
      state: checks.state,
      nonce: checks.nonce,
    };
    if (ask.acrValues?.length) params.acr_values = ask.acrValues.join(' ');
    if (ask.uiLocales) params.ui_locales = ask.uiLocales;
    if (ask.prompt) params.prompt = ask.prompt;
    return oidc.buildAuthorizationUrl(config, params);
  }

  /** The browser's return (`currentUrl`, with its code and state) checked against the attempt; throws SIGN_IN_FAILED. */
  async complete(currentUrl: URL, checks: AttemptChecks): Promise<SignedInClaims> {
    const config = await this.reach(() => this.configuration());
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        pkceCodeVerifier: checks.codeVerifier,
        idTokenExpected: true,
      });
    } catch (err) {
      throw refusal(err);
    }
    const idToken = tokens.claims();
    if (!idToken) throw signInFailed('Không nhận được ID token.', 'No ID token was returned.');
    let info: Record<string, unknown> = {};
    try {
      info = (await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub)) as Record<string, unknown>;
    } catch (err) {
      throw refusal(err);
    }
    return {
      issuer: String(idToken.iss),
      subject: idToken.sub,
      acr: typeof idToken.acr === 'string' ? idToken.acr : null,
      claims: { ...info, ...idToken },
    };
  }

  private async reach<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch {
      throw signInFailed(
        'Không kết nối được với nhà cung cấp định danh. Vui lòng thử lại sau ít phút.',
        'The identity provider cannot be reached. Please try again in a few minutes.',
      );
    }
  }
}

/** What the provider or the checks said, in words a person can act on (the details go to the log through `cause`). */
function refusal(err: unknown): DomainError {
  if (err instanceof oidc.AuthorizationResponseError) {
    if (err.error === 'access_denied') return signInFailed('Bạn đã huỷ đăng nhập.', 'You cancelled the sign-in.');
    return signInFailed(
      `Nhà cung cấp định danh từ chối yêu cầu (${err.error}).`,
      `The identity provider refused the request (${err.error}).`,
    );
  }
  if (err instanceof oidc.ResponseBodyError && err.error === 'invalid_grant')
    return signInFailed(
      'Mã đăng nhập không hợp lệ, đã dùng hoặc đã hết hạn.',
      'The sign-in code is not valid, already used or expired.',
    );
  return new DomainError('SIGN_IN_FAILED', {
    vi: 'Phản hồi của nhà cung cấp định danh không qua được kiểm tra (chữ ký, tổ chức phát hành, đối tượng, thời hạn hoặc nonce).',
    en: "The identity provider's answer failed its checks (signature, issuer, audience, expiry or nonce).",
  });
}
