import { DomainError } from '../platform/errors.js';
import type { Actor } from '../platform/audit.js';

export const ROLES = ['viewer', 'agency_editor', 'agency_admin'] as const;
export type Role = (typeof ROLES)[number];
const RANK: Record<Role, number> = { viewer: 1, agency_editor: 2, agency_admin: 3 };

export type Principal =
  | { kind: 'anonymous' }
  | {
      kind: 'user';
      userId: string;
      name: string;
      email: string;
      isPlatformAdmin: boolean;
      /** agency id → role; for a token, only the token's agency. */
      roles: Map<string, Role>;
      via: 'session' | 'token';
      tokenId: string | null;
    };

export type User = Extract<Principal, { kind: 'user' }>;

export const ANONYMOUS: Principal = { kind: 'anonymous' };

export function requireUser(p: Principal): User {
  if (p.kind !== 'user') throw new DomainError('UNAUTHENTICATED');
  return p;
}

export function hasAgencyRole(p: Principal, agencyId: string, min: Role): boolean {
  if (p.kind !== 'user') return false;
  if (p.isPlatformAdmin && p.via === 'session') return true;
  const role = p.roles.get(agencyId);
  return role !== undefined && RANK[role] >= RANK[min];
}

/** Throws unless the principal holds at least `min` in the agency (platform admins always do). */
export function requireAgencyRole(p: Principal, agencyId: string, min: Role): User {
  const user = requireUser(p);
  if (!hasAgencyRole(user, agencyId, min)) {
    throw new DomainError('FORBIDDEN', {
      vi: 'Bạn không có quyền trên dữ liệu của cơ quan này.',
      en: "You have no rights on this agency's data.",
    });
  }
  return user;
}

export function requirePlatformAdmin(p: Principal): User {
  const user = requireUser(p);
  if (!(user.isPlatformAdmin && user.via === 'session')) {
    throw new DomainError('FORBIDDEN', {
      vi: 'Chỉ quản trị viên nền tảng được thực hiện thao tác này.',
      en: 'Only a platform administrator may do this.',
    });
  }
  return user;
}

export function roleAtMost(a: Role, b: Role): Role {
  return RANK[a] <= RANK[b] ? a : b;
}

export function actorOf(p: Principal): Actor {
  return p.kind === 'user' ? { userId: p.userId, tokenId: p.tokenId } : { userId: null, tokenId: null };
}
