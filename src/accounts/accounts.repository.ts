import type { Kysely } from 'kysely';
import type { Role } from './principal.js';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  is_platform_admin: boolean;
  disabled: boolean;
  created_at: Date;
}

export interface TokenRow {
  id: string;
  user_id: string;
  agency_id: string;
  role: Role;
  name: string;
  prefix: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const TOKEN_COLUMNS = [
  'id',
  'user_id',
  'agency_id',
  'role',
  'name',
  'prefix',
  'created_at',
  'expires_at',
  'revoked_at',
  'last_used_at',
] as const;

export class AccountsRepository {
  constructor(private readonly db: Kysely<any>) {}

  with(trx: Kysely<any>) {
    return new AccountsRepository(trx);
  }

  findUserByEmail(email: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst() as Promise<UserRow | undefined>;
  }

  findUser(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst() as Promise<
      UserRow | undefined
    >;
  }

  async insertUser(u: Omit<UserRow, 'created_at' | 'disabled'>): Promise<UserRow> {
    return (await this.db
      .insertInto('users')
      .values({ ...u, email: u.email.toLowerCase() })
      .returningAll()
      .executeTakeFirstOrThrow()) as UserRow;
  }

  async memberships(userId: string): Promise<{ agency_id: string; role: Role }[]> {
    return this.db.selectFrom('memberships').select(['agency_id', 'role']).where('user_id', '=', userId).execute();
  }

  async upsertMembership(userId: string, agencyId: string, role: Role): Promise<void> {
    await this.db
      .insertInto('memberships')
      .values({ user_id: userId, agency_id: agencyId, role })
      .onConflict((oc) => oc.columns(['user_id', 'agency_id']).doUpdateSet({ role }))
      .execute();
  }

  async agencyMembers(agencyId: string) {
    return this.db
      .selectFrom('memberships as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['u.id', 'u.email', 'u.name', 'm.role', 'm.created_at'])
      .where('m.agency_id', '=', agencyId)
      .orderBy('u.email')
      .execute();
  }

  async insertSession(s: { id_hash: string; user_id: string; csrf_token: string; expires_at: Date }): Promise<void> {
    await this.db.insertInto('sessions').values(s).execute();
  }

  findSession(idHash: string): Promise<{ user_id: string; csrf_token: string; expires_at: Date } | undefined> {
    return this.db
      .selectFrom('sessions')
      .select(['user_id', 'csrf_token', 'expires_at'])
      .where('id_hash', '=', idHash)
      .executeTakeFirst();
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  async insertToken(
    t: Omit<TokenRow, 'created_at' | 'revoked_at' | 'last_used_at'> & { secret_hash: string },
  ): Promise<TokenRow> {
    return this.db
      .insertInto('api_tokens')
      .values(t)
      .returning([...TOKEN_COLUMNS])
      .executeTakeFirstOrThrow();
  }

  findTokenBySecret(secretHash: string): Promise<TokenRow | undefined> {
    return this.db
      .selectFrom('api_tokens')
      .select([...TOKEN_COLUMNS])
      .where('secret_hash', '=', secretHash)
      .executeTakeFirst();
  }

  findToken(id: string): Promise<TokenRow | undefined> {
    return this.db
      .selectFrom('api_tokens')
      .select([...TOKEN_COLUMNS])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  listTokens(filter: { userId?: string; agencyId?: string }): Promise<TokenRow[]> {
    let q = this.db
      .selectFrom('api_tokens')
      .select([...TOKEN_COLUMNS])
      .orderBy('created_at', 'desc');
    if (filter.userId) q = q.where('user_id', '=', filter.userId);
    if (filter.agencyId) q = q.where('agency_id', '=', filter.agencyId);
    return q.execute();
  }

  async revokeToken(id: string, at: Date): Promise<void> {
    await this.db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).execute();
  }

  async touchToken(id: string, at: Date): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}
