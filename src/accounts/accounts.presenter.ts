import type { TokenRow, UserRow } from './accounts.repository.js';
import type { User } from './principal.js';

export const presentUser = (u: UserRow) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  platform_admin: u.is_platform_admin,
  created_at: u.created_at.toISOString(),
});

export const presentMe = (p: User) => ({
  id: p.userId,
  email: p.email,
  name: p.name,
  platform_admin: p.isPlatformAdmin,
  via: p.via,
  roles: [...p.roles].map(([agency_id, role]) => ({ agency_id, role })),
});

export const presentToken = (t: TokenRow) => ({
  id: t.id,
  name: t.name,
  agency_id: t.agency_id,
  role: t.role,
  prefix: `ndp_${t.prefix}_…`,
  created_at: t.created_at.toISOString(),
  expires_at: t.expires_at.toISOString(),
  revoked_at: t.revoked_at?.toISOString() ?? null,
  last_used_at: t.last_used_at?.toISOString() ?? null,
});
