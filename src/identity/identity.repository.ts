import { sql, type Kysely } from 'kysely';

export type PublicUserKind = 'citizen' | 'reuser';
export type SignInMethod = 'eid' | 'email';

export interface PublicUserRow {
  id: string;
  kind: PublicUserKind;
  name: string;
  email: string | null;
  disabled: boolean;
  created_at: Date;
  last_sign_in_at: Date | null;
}

export interface PublicSessionRow {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  method: SignInMethod;
  level: number;
  created_at: Date;
  expires_at: Date;
  /** a level-2 e-ID session's id number, sealed under the cookie secret (`id-number-seal.ts`) */
  id_number_sealed: string | null;
}

export interface SignInAttemptRow {
  id_hash: string;
  provider: 'eid' | 'staff';
  state: string;
  nonce: string;
  code_verifier: string;
  level: number;
  next: string;
  expires_at: Date;
}

export interface EmailLinkRow {
  token_hash: string;
  email: string;
  name: string;
  expires_at: Date;
  used_at: Date | null;
}

/** The only SQL of identity; private to `IdentityService`. */
export class IdentityRepository {
  constructor(private readonly db: Kysely<any>) {}

  with(trx: Kysely<any>) {
    return new IdentityRepository(trx);
  }

  findUser(id: string): Promise<PublicUserRow | undefined> {
    return this.db.selectFrom('public_users').selectAll().where('id', '=', id).executeTakeFirst() as Promise<
      PublicUserRow | undefined
    >;
  }

  findUserByEmail(email: string): Promise<PublicUserRow | undefined> {
    return this.db
      .selectFrom('public_users')
      .selectAll()
      .where('email', '=', email.toLowerCase())
      .executeTakeFirst() as Promise<PublicUserRow | undefined>;
  }

  async insertUser(u: {
    id: string;
    kind: PublicUserKind;
    name: string;
    email: string | null;
  }): Promise<PublicUserRow> {
    return (await this.db
      .insertInto('public_users')
      .values({ ...u, email: u.email?.toLowerCase() ?? null })
      .returningAll()
      .executeTakeFirstOrThrow()) as PublicUserRow;
  }

  /** The name the provider gives at each sign-in is the one shown (people change names; the provider knows). */
  async touchUser(id: string, name: string | null, at: Date): Promise<void> {
    await this.db
      .updateTable('public_users')
      .set(name ? { name, last_sign_in_at: at } : { last_sign_in_at: at })
      .where('id', '=', id)
      .execute();
  }

  async userIdOfIdentity(issuer: string, subject: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('public_identities')
      .select('user_id')
      .where('issuer', '=', issuer)
      .where('subject', '=', subject)
      .executeTakeFirst();
    return row?.user_id as string | undefined;
  }

  async linkIdentity(issuer: string, subject: string, userId: string): Promise<void> {
    await this.db
      .insertInto('public_identities')
      .values({ issuer, subject, user_id: userId })
      .onConflict((oc) => oc.columns(['issuer', 'subject']).doUpdateSet({ last_used_at: sql`now()` }))
      .execute();
  }

  /** Replaces the keyed hashes of a citizen's id number with those of this sign-in. */
  async replaceSubjects(userId: string, hashes: string[]): Promise<void> {
    await this.db.deleteFrom('public_user_subjects').where('user_id', '=', userId).execute();
    if (hashes.length)
      await this.db
        .insertInto('public_user_subjects')
        .values(hashes.map((subject_hash) => ({ user_id: userId, subject_hash })))
        .execute();
  }

  async subjects(userId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('public_user_subjects')
      .select('subject_hash')
      .where('user_id', '=', userId)
      .orderBy('recorded_at')
      .orderBy('subject_hash')
      .execute();
    return rows.map((r) => r.subject_hash as string);
  }

  async insertSession(s: Omit<PublicSessionRow, 'created_at'>): Promise<void> {
    await this.db.insertInto('public_sessions').values(s).execute();
  }

  findSession(idHash: string): Promise<PublicSessionRow | undefined> {
    return this.db
      .selectFrom('public_sessions')
      .selectAll()
      .where('id_hash', '=', idHash)
      .executeTakeFirst() as Promise<PublicSessionRow | undefined>;
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('public_sessions').where('id_hash', '=', idHash).execute();
  }

  /** Expired sessions, attempts and links go when new ones are made: the tables stay the size of what is live. */
  async dropExpired(at: Date): Promise<void> {
    for (const table of ['public_sessions', 'sign_in_attempts', 'email_links'])
      await this.db.deleteFrom(table).where('expires_at', '<', at).execute();
  }

  async insertAttempt(a: SignInAttemptRow): Promise<void> {
    await this.db.insertInto('sign_in_attempts').values(a).execute();
  }

  /** Takes an attempt out (one callback per attempt, however many arrive at once): the row, if it was there. */
  async takeAttempt(idHash: string): Promise<SignInAttemptRow | undefined> {
    return (await this.db
      .deleteFrom('sign_in_attempts')
      .where('id_hash', '=', idHash)
      .returningAll()
      .executeTakeFirst()) as SignInAttemptRow | undefined;
  }

  async insertEmailLink(l: Omit<EmailLinkRow, 'used_at'>): Promise<void> {
    await this.db.insertInto('email_links').values(l).execute();
  }

  /** Marks a live link used, in one statement, so two clicks cannot both succeed: the row if this use won. */
  async useEmailLink(tokenHash: string, at: Date): Promise<EmailLinkRow | undefined> {
    return (await this.db
      .updateTable('email_links')
      .set({ used_at: at })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', at)
      .returningAll()
      .executeTakeFirst()) as EmailLinkRow | undefined;
  }

  /** A link is live when unused and unexpired: the confirmation page checks before showing its button. */
  async emailLinkLive(tokenHash: string, at: Date): Promise<boolean> {
    const row = await this.db
      .selectFrom('email_links')
      .select('token_hash')
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', at)
      .executeTakeFirst();
    return !!row;
  }
}
