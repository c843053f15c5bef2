import type { Kysely } from 'kysely';
import { RegistryTables } from './registry-tables.js';
import type { SubsystemRow } from './registry.rows.js';

/** Members' subsystems and their credentials (API key hashes, client certificate pins). */
export class MembersRepository extends RegistryTables {
  private subsystems(db: Kysely<any> = this.db) {
    return db
      .selectFrom('exchange_subsystems as s')
      .innerJoin('agencies as a', 'a.id', 's.agency_id')
      .select([
        's.id',
        's.agency_id',
        's.code',
        's.name',
        'a.code as member_code',
        'a.name_vi as agency_name',
        'a.name_en as agency_name_en',
      ]);
  }
  listSubsystems(agencyId?: string) {
    let q = this.subsystems();
    if (agencyId) q = q.where('s.agency_id', '=', agencyId);
    return q.orderBy('a.code').orderBy('s.code').execute() as Promise<SubsystemRow[]>;
  }
  subsystem(id: string) {
    return this.subsystems().where('s.id', '=', id).executeTakeFirst() as Promise<SubsystemRow | undefined>;
  }
  subsystemByCode(memberCode: string, code: string) {
    return this.subsystems().where('a.code', '=', memberCode).where('s.code', '=', code).executeTakeFirst() as Promise<
      SubsystemRow | undefined
    >;
  }
  async subsystemCodeTaken(trx: Kysely<any>, agencyId: string, code: string): Promise<boolean> {
    return !!(await trx
      .selectFrom('exchange_subsystems')
      .select('id')
      .where('agency_id', '=', agencyId)
      .where('code', '=', code)
      .executeTakeFirst());
  }
  async insertSubsystem(
    trx: Kysely<any>,
    row: { id: string; agency_id: string; code: string; name: string },
  ): Promise<void> {
    await trx.insertInto('exchange_subsystems').values(row).execute();
  }
  async members() {
    return this.db
      .selectFrom('agencies as a')
      .innerJoin('exchange_subsystems as s', 's.agency_id', 'a.id')
      .select(['a.code as member_code', 'a.name_vi as name', 's.code as subsystem_code', 's.name as subsystem_name'])
      .orderBy('a.code')
      .orderBy('s.code')
      .execute() as Promise<{ member_code: string; name: string; subsystem_code: string; subsystem_name: string }[]>;
  }
  async insertClientKey(
    trx: Kysely<any>,
    row: { id: string; subsystem_id: string; key_hash: string; label: string },
  ): Promise<void> {
    await trx.insertInto('exchange_client_keys').values(row).execute();
  }
  clientKeys(agencyId: string) {
    return this.db
      .selectFrom('exchange_client_keys as k')
      .innerJoin('exchange_subsystems as s', 's.id', 'k.subsystem_id')
      .select(['s.code as subsystem_code', 'k.key_hash'])
      .where('s.agency_id', '=', agencyId)
      .where('k.revoked_at', 'is', null)
      .execute() as Promise<{ subsystem_code: string; key_hash: string }[]>;
  }
  /** Whether the hash is of a live API key of the subsystem. */
  async liveClientKey(subsystemId: string, keyHash: string): Promise<boolean> {
    return !!(await this.db
      .selectFrom('exchange_client_keys')
      .select('id')
      .where('subsystem_id', '=', subsystemId)
      .where('key_hash', '=', keyHash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst());
  }
  async insertClientCertificate(
    trx: Kysely<any>,
    row: { id: string; subsystem_id: string; fingerprint: string; subject: string; not_after: Date; label: string },
  ): Promise<void> {
    await trx.insertInto('exchange_client_certificates').values(row).execute();
  }
  async liveCertificate(trx: Kysely<any>, subsystemId: string, fingerprint: string): Promise<boolean> {
    return !!(await trx
      .selectFrom('exchange_client_certificates')
      .select('id')
      .where('subsystem_id', '=', subsystemId)
      .where('fingerprint', '=', fingerprint)
      .where('revoked_at', 'is', null)
      .executeTakeFirst());
  }
  /** The live client certificates of an agency's systems (unrevoked, unexpired), for its gateway's configuration. */
  clientCertificates(agencyId: string) {
    return this.db
      .selectFrom('exchange_client_certificates as c')
      .innerJoin('exchange_subsystems as s', 's.id', 'c.subsystem_id')
      .select(['s.code as subsystem_code', 'c.fingerprint'])
      .where('s.agency_id', '=', agencyId)
      .where('c.revoked_at', 'is', null)
      .where('c.not_after', '>', new Date())
      .execute() as Promise<{ subsystem_code: string; fingerprint: string }[]>;
  }
  /** A subsystem's API keys and client certificates, revoked ones too (never a key itself: only its label and dates). */
  async credentials(subsystemId: string) {
    const keys = (await this.db
      .selectFrom('exchange_client_keys')
      .select(['id', 'label', 'created_at', 'revoked_at'])
      .where('subsystem_id', '=', subsystemId)
      .orderBy('created_at')
      .execute()) as { id: string; label: string; created_at: Date; revoked_at: Date | null }[];
    const certificates = (await this.db
      .selectFrom('exchange_client_certificates')
      .select(['id', 'label', 'fingerprint', 'subject', 'not_after', 'created_at', 'revoked_at'])
      .where('subsystem_id', '=', subsystemId)
      .orderBy('created_at')
      .execute()) as {
      id: string;
      label: string;
      fingerprint: string;
      subject: string;
      not_after: Date;
      created_at: Date;
      revoked_at: Date | null;
    }[];
    return { keys, certificates };
  }
  /** Revokes a live credential of the subsystem; false when there is none by that id (or it was revoked before). */
  async revokeCredential(
    trx: Kysely<any>,
    kind: 'key' | 'certificate',
    subsystemId: string,
    id: string,
  ): Promise<boolean> {
    const table = kind === 'key' ? 'exchange_client_keys' : 'exchange_client_certificates';
    const r = await trx
      .updateTable(table)
      .set({ revoked_at: new Date() })
      .where('id', '=', id)
      .where('subsystem_id', '=', subsystemId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
