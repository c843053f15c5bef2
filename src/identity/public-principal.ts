import { DomainError } from '../platform/errors.js';
import type { PublicUserKind, SignInMethod } from './identity.repository.js';

/**
 * A public user of this request: a citizen signed in with the e-ID, or a reuser signed in with an e-mail link.
 * Separate from the staff `Principal` (accounts/): a public user has no role in any agency.
 *
 * `level` is the assurance of this session's sign-in: 0 for an e-mail link, 1 or 2 for the e-ID's levels. Level 1
 * may follow data and ask for data; seeing one's own personal-data records needs level 2.
 */
export interface PublicUser {
  userId: string;
  kind: PublicUserKind;
  name: string;
  email: string | null;
  method: SignInMethod;
  level: 0 | 1 | 2;
  expiresAt: Date;
  /**
   * The id number (CCCD) of a level-2 e-ID session, for calls to registers that name the person (a prefill's
   * `X-Road-UserId`). Not enumerable (`withIdNumber`): JSON, logs, presenters and spreads of the user leave it out.
   */
  readonly idNumber?: string;
}

/** Puts the id number on a user without it ever being serialised with them. */
export function withIdNumber<U extends PublicUser>(user: U, idNumber: string | undefined): U {
  if (idNumber) Object.defineProperty(user, 'idNumber', { value: idNumber, enumerable: false });
  return user;
}

export type AssuranceLevel = 1 | 2;

export function requirePublicUser(u: PublicUser | null): PublicUser {
  if (!u) throw new DomainError('UNAUTHENTICATED');
  return u;
}

/** A citizen signed in with the e-ID at `level` or above (the services' own check, beside the route's guard). */
export function requireCitizen(u: PublicUser | null, level: AssuranceLevel): PublicUser {
  const user = requirePublicUser(u);
  if (user.kind !== 'citizen' || user.method !== 'eid' || user.level < level) {
    if (level === 1)
      throw new DomainError('ASSURANCE_TOO_LOW', {
        vi: 'Cần đăng nhập bằng tài khoản định danh điện tử (VNeID).',
        en: 'This needs a sign-in with the electronic identity (VNeID).',
      });
    throw new DomainError('ASSURANCE_TOO_LOW');
  }
  return user;
}
