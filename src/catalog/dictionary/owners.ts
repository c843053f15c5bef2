import { DomainError } from '../../platform/errors.js';
import { hasAgencyRole, requireUser, type Principal, type User } from '../../accounts/principal.js';

/**
 * Who keeps a field: the editors and administrators of its owning agency, or, for the platform's shared fields (no
 * agency), the platform administrators (by session, as every platform-wide act).
 */
export function keepsField(p: Principal, owner: string | null): boolean {
  if (p.kind !== 'user') return false;
  return owner ? hasAgencyRole(p, owner, 'agency_editor') : p.isPlatformAdmin && p.via === 'session';
}

export function requireKeeper(p: Principal, owner: string | null): User {
  const user = requireUser(p);
  if (!keepsField(user, owner))
    throw new DomainError(
      'FORBIDDEN',
      owner
        ? {
            vi: 'Chỉ biên tập viên hoặc quản trị viên của cơ quan sở hữu trường này được duyệt hoặc sửa trường.',
            en: 'Only the editors and administrators of the agency that owns this field may approve or change it.',
          }
        : {
            vi: 'Trường dùng chung của nền tảng do quản trị viên nền tảng duyệt.',
            en: 'The platform’s shared fields are approved by platform administrators.',
          },
    );
  return user;
}

/** The agency a proposal comes from: the owner's, if the proposer works there, else the first where they edit. */
export function proposingAgency(user: User, owner: string | null): string | null {
  if (owner && hasAgencyRole(user, owner, 'agency_editor') && user.roles.has(owner)) return owner;
  for (const [agency, role] of user.roles) if (role !== 'viewer') return agency;
  if (user.isPlatformAdmin && user.via === 'session') return null;
  throw new DomainError('FORBIDDEN', {
    vi: 'Chỉ cán bộ dữ liệu (biên tập viên) của một cơ quan được đề xuất trường cho từ điển.',
    en: 'Only an agency’s data officers (editors) may propose dictionary fields.',
  });
}

/** A change may move a field to another owner only when made by its keeper or a platform administrator. */
export function requireOwnerMove(user: User, owner: string | null): void {
  if (keepsField(user, owner) || (user.isPlatformAdmin && user.via === 'session')) return;
  throw new DomainError('FORBIDDEN', {
    vi: 'Chỉ cơ quan sở hữu trường (hoặc quản trị viên nền tảng) được đổi cơ quan sở hữu.',
    en: 'Only the agency that owns the field (or a platform administrator) may change its owner.',
  });
}

/** A new field proposed under an id the dictionary already has: propose a change of that field instead. */
export const fieldExists = (id: string) =>
  new DomainError(
    'CONFLICT',
    {
      vi: `Trường “${id}” đã có trong từ điển; hãy đề xuất thay đổi trường đó.`,
      en: `The field “${id}” exists; propose a change to it.`,
    },
    [
      {
        field: 'id',
        vi: `Trường “${id}” đã có trong từ điển; hãy đề xuất thay đổi trường đó.`,
        en: `The field “${id}” exists; propose a change to it.`,
      },
    ],
  );
