import type { Config } from '../platform/config.js';
import { openForCommand } from './database.commands.js';
import { AccountsService } from '../accounts/accounts.service.js';
import { MasterDataService } from '../masterdata/masterdata.service.js';
import { DomainError } from '../platform/errors.js';
import { ROLES, type Role } from '../accounts/principal.js';

export async function createUserCommand(
  config: Config,
  o: { email: string; name: string; password?: string; platformAdmin: boolean; agency?: string; role: string },
): Promise<void> {
  const password = o.password ?? process.env.NDP_ADMIN_PASSWORD;
  if (!password)
    throw new DomainError('VALIDATION_FAILED', {
      vi: 'Cần --password hoặc biến NDP_ADMIN_PASSWORD.',
      en: 'Give --password or set NDP_ADMIN_PASSWORD.',
    });
  if (!ROLES.includes(o.role as Role))
    throw new DomainError('VALIDATION_FAILED', {
      vi: `Vai trò phải là ${ROLES.join(', ')}.`,
      en: `Role must be one of ${ROLES.join(', ')}.`,
    });
  const database = await openForCommand(config);
  try {
    const md = new MasterDataService(database.db);
    const accounts = new AccountsService({
      db: database.db,
      sessionTtlHours: config.sessionTtlHours,
      agencyExists: (id) => md.agencyExists(id),
    });
    const agency = o.agency ? await md.agency(o.agency) : undefined;
    const user = await accounts.bootstrapUser({
      email: o.email,
      name: o.name,
      password,
      platformAdmin: o.platformAdmin,
    });
    // The operator at the console is trusted: the membership is written directly, with its audit record.
    if (agency) await accounts.setMembershipAsOperator(user.id, agency.id, o.role as Role);
    process.stdout.write(
      `Created user ${user.email} (${user.id})${o.platformAdmin ? ' as platform admin' : ''}${agency ? ` in ${agency.name_vi} as ${o.role}` : ''}\n`,
    );
  } finally {
    await database.close();
  }
}
