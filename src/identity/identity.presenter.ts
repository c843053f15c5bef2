import type { PublicUser } from './public-principal.js';

/** A public user as the API shows them to themselves. */
export function presentPublicUser(u: PublicUser) {
  return {
    id: u.userId,
    kind: u.kind,
    name: u.name,
    email: u.email,
    signed_in_with: u.method,
    level: u.level,
    expires_at: u.expiresAt.toISOString(),
  };
}
