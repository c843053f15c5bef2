import { sql, type Kysely } from 'kysely';
import { RegistryTables } from './registry-tables.js';
import type { PreviousSubjectKey } from './registry.rows.js';

/** The registry's keys (one row: configuration key, CA, subject key, and their successors); the gateways' certificates they sign. */
export class AuthorityRepository extends RegistryTables {
  authority() {
    return this.db.selectFrom('exchange_authority').selectAll().where('id', '=', 1).executeTakeFirst() as Promise<
      | {
          signing_key: string;
          ca_key: string;
          ca_certificate: string;
          subject_key: string;
          next_signing_key: string | null;
          next_announced_version: string | number | null;
          next_ca_key: string | null;
          next_ca_certificate: string | null;
          previous_ca_certificate: string | null;
          switched_version: string | number | null;
          previous_subject_keys: PreviousSubjectKey[];
        }
      | undefined
    >;
  }
  async createAuthority(a: {
    signing_key: string;
    ca_key: string;
    ca_certificate: string;
    subject_key: string;
  }): Promise<void> {
    await this.db
      .insertInto('exchange_authority')
      .values({ id: 1, ...a })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
  async announceAuthority(
    trx: Kysely<any>,
    next: { signingKey: string; caKey: string; caCertificate: string },
    version: number,
  ): Promise<void> {
    await trx
      .updateTable('exchange_authority')
      .set({
        next_signing_key: next.signingKey,
        next_ca_key: next.caKey,
        next_ca_certificate: next.caCertificate,
        next_announced_version: version,
      })
      .where('id', '=', 1)
      .execute();
  }
  /** The announced keys take over (the CA before stays trusted for a while); false when none was announced or another process switched first. */
  async promoteAuthority(trx: Kysely<any>, version: number): Promise<boolean> {
    const r = await trx
      .updateTable('exchange_authority')
      .set((eb) => ({
        signing_key: eb.ref('next_signing_key'),
        ca_key: eb.ref('next_ca_key'),
        ca_certificate: eb.ref('next_ca_certificate'),
        previous_ca_certificate: eb.ref('ca_certificate'),
        next_signing_key: null,
        next_ca_key: null,
        next_ca_certificate: null,
        next_announced_version: null,
        switched_version: version,
      }))
      .where('id', '=', 1)
      .where('next_signing_key', 'is not', null)
      .where('next_ca_key', 'is not', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
  /** Puts sealed values in place of the clear ones they seal, each only if it is still the value sealed. */
  async sealAuthority(columns: Record<string, { was: string; sealed: string }>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const [column, v] of Object.entries(columns))
        await trx
          .updateTable('exchange_authority')
          .set({ [column]: v.sealed })
          .where('id', '=', 1)
          .where(column, '=', v.was)
          .execute();
    });
  }
  /** A new subject key in force; the one before joins the kept ones (locked: two rotations at once keep both). */
  async rotateSubjectKey(trx: Kysely<any>, sealedKey: string, until: string): Promise<number> {
    const r = await sql<{ kept: number }>`update exchange_authority set subject_key = ${sealedKey},
        previous_subject_keys = jsonb_build_array(jsonb_build_object('key', subject_key, 'until', ${until}::text)) || previous_subject_keys
      where id = 1 returning jsonb_array_length(previous_subject_keys) as kept`.execute(trx);
    return r.rows[0]!.kept;
  }
  /** The kept subject keys in place of those read, if still the same (sealing them with a key-encryption key given since). */
  async replacePreviousSubjectKeys(was: PreviousSubjectKey[], now: PreviousSubjectKey[]): Promise<void> {
    await sql`update exchange_authority set previous_subject_keys = ${JSON.stringify(now)}::jsonb where id = 1 and previous_subject_keys = ${JSON.stringify(was)}::jsonb`.execute(
      this.db,
    );
  }
  async retirePreviousCa(trx: Kysely<any>): Promise<boolean> {
    const r = await trx
      .updateTable('exchange_authority')
      .set({ previous_ca_certificate: null, switched_version: null })
      .where('id', '=', 1)
      .where('previous_ca_certificate', 'is not', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
  /** The active gateways as the authority sees them: the configuration each fetched last, its TLS key and certificate. */
  gatewayVersions() {
    return this.db
      .selectFrom('exchange_gateways as g')
      .innerJoin('agencies as a', 'a.id', 'g.agency_id')
      .select([
        'g.id',
        'g.agency_id',
        'a.code as member_code',
        'a.name_vi as agency_name',
        'g.config_version_fetched',
        'g.address',
        'g.tls_public_key',
        'g.certificate',
      ])
      .where('g.revoked_at', 'is', null)
      .orderBy('a.code')
      .execute() as Promise<
      {
        id: string;
        agency_id: string;
        member_code: string;
        agency_name: string;
        config_version_fetched: string | number | null;
        address: string;
        tls_public_key: string;
        certificate: string;
      }[]
    >;
  }
  /** Puts a renewed certificate in place of the one it renews; false when another registry process did it first. */
  async replaceCertificate(trx: Kysely<any>, id: string, old: string, certificate: string): Promise<boolean> {
    const r = await trx
      .updateTable('exchange_gateways')
      .set({ certificate })
      .where('id', '=', id)
      .where('certificate', '=', old)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
