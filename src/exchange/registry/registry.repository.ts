import { sql, type Kysely } from 'kysely';

/** A subject access record as stored (log_index: bigint, text from the driver; -1 for records from before it was kept). */
/** A subject key no longer used for new records, kept for finding the records made under it (`until`: ISO time). */
export interface PreviousSubjectKey {
  key: string;
  until: string;
}
/** What records written together share, kept once. */
export interface AccessContext {
  client: string;
  service: string;
  purpose: string | null;
  legal_basis: string | null;
  represented_party?: string | null;
}
export interface AccessRecordRow {
  at: Date;
  message_id: string;
  client: string;
  service: string;
  purpose: string | null;
  legal_basis: string | null;
  represented_party: string | null;
  status: number;
  gateway_id: string;
  log_index: string | number;
}

/** The only SQL of the exchange registry. */
export interface SubsystemRow {
  id: string;
  agency_id: string;
  code: string;
  name: string;
  member_code: string;
  agency_name: string;
}
export interface ServiceRow {
  id: string;
  subsystem_id: string;
  code: string;
  title: string;
  base_url: string;
  openapi: unknown;
  enabled: boolean;
  subsystem_code: string;
  agency_id: string;
  member_code: string;
}
export interface GatewayRow {
  id: string;
  agency_id: string;
  address: string;
  signing_key: string;
  tls_public_key: string;
  certificate: string;
  created_at: Date;
  revoked_at: Date | null;
  last_seen_at: Date | null;
  last_report: unknown;
  member_code: string;
  agency_name: string;
}
export interface GrantRow {
  id: string;
  client_subsystem_id: string;
  service_id: string;
  endpoints: { method: string; path: string }[];
  purposes: string[];
  legal_basis: string | null;
  rate_per_second: number | null;
  daily_quota: number | null;
  expires_at: Date | null;
  status: string;
  created_at: Date;
  decided_at: Date | null;
  client_code: string;
  client_agency_id: string;
  client_member_code: string;
  service_code: string;
  provider_subsystem_code: string;
  provider_agency_id: string;
  provider_member_code: string;
}

export class RegistryRepository {
  constructor(private readonly db: Kysely<any>) {}

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
  /** Drops the kept subject keys that stopped being used before `at` (every record made under them is gone): how many. */
  async dropSubjectKeysBefore(at: Date): Promise<number> {
    const r = await sql<{
      dropped: number;
    }>`with old as (select previous_subject_keys as keys from exchange_authority where id = 1 for update)
      update exchange_authority set previous_subject_keys = (select coalesce(jsonb_agg(k), '[]'::jsonb) from jsonb_array_elements(old.keys) k where (k->>'until')::timestamptz >= ${at})
      from old where id = 1 returning jsonb_array_length(old.keys) - jsonb_array_length(previous_subject_keys) as dropped`.execute(
      this.db,
    );
    return r.rows[0]?.dropped ?? 0;
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
  async configFetched(gatewayId: string, version: number): Promise<void> {
    await this.db
      .updateTable('exchange_gateways')
      .set({ config_version_fetched: version })
      .where('id', '=', gatewayId)
      .execute();
  }
  gatewayVersions() {
    return this.db
      .selectFrom('exchange_gateways as g')
      .innerJoin('agencies as a', 'a.id', 'g.agency_id')
      .select(['g.id', 'a.code as member_code', 'a.name_vi as agency_name', 'g.config_version_fetched'])
      .where('g.revoked_at', 'is', null)
      .orderBy('a.code')
      .execute() as Promise<
      { id: string; member_code: string; agency_name: string; config_version_fetched: string | number | null }[]
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

  async version(db: Kysely<any> = this.db): Promise<number> {
    const r = await sql<{
      last_value: string;
      is_called: boolean;
    }>`select last_value, is_called from exchange_config_version`.execute(db);
    return r.rows[0]!.is_called ? Number(r.rows[0]!.last_value) : 0;
  }
  async bumpVersion(trx: Kysely<any>): Promise<void> {
    await sql`select nextval('exchange_config_version')`.execute(trx);
  }

  private subsystems(db: Kysely<any> = this.db) {
    return db
      .selectFrom('exchange_subsystems as s')
      .innerJoin('agencies as a', 'a.id', 's.agency_id')
      .select(['s.id', 's.agency_id', 's.code', 's.name', 'a.code as member_code', 'a.name_vi as agency_name']);
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
  async insertSubsystem(
    trx: Kysely<any>,
    row: { id: string; agency_id: string; code: string; name: string },
  ): Promise<void> {
    await trx.insertInto('exchange_subsystems').values(row).execute();
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

  private services(db: Kysely<any> = this.db) {
    return db
      .selectFrom('exchange_services as v')
      .innerJoin('exchange_subsystems as s', 's.id', 'v.subsystem_id')
      .innerJoin('agencies as a', 'a.id', 's.agency_id')
      .select([
        'v.id',
        'v.subsystem_id',
        'v.code',
        'v.title',
        'v.base_url',
        'v.openapi',
        'v.enabled',
        's.code as subsystem_code',
        's.agency_id',
        'a.code as member_code',
      ]);
  }
  listServices(agencyId?: string) {
    let q = this.services();
    if (agencyId) q = q.where('s.agency_id', '=', agencyId);
    return q.orderBy('a.code').orderBy('s.code').orderBy('v.code').execute() as Promise<ServiceRow[]>;
  }
  service(id: string) {
    return this.services().where('v.id', '=', id).executeTakeFirst() as Promise<ServiceRow | undefined>;
  }
  async insertService(
    trx: Kysely<any>,
    row: { id: string; subsystem_id: string; code: string; title: string; base_url: string; openapi: unknown },
  ): Promise<void> {
    await trx
      .insertInto('exchange_services')
      .values({ ...row, openapi: JSON.stringify(row.openapi) })
      .execute();
  }
  async updateService(
    trx: Kysely<any>,
    id: string,
    patch: { title?: string; base_url?: string; openapi?: unknown; enabled?: boolean },
  ): Promise<void> {
    await trx
      .updateTable('exchange_services')
      .set({
        ...patch,
        ...(patch.openapi !== undefined ? { openapi: JSON.stringify(patch.openapi) } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
  }

  private gateways(db: Kysely<any> = this.db) {
    return db
      .selectFrom('exchange_gateways as g')
      .innerJoin('agencies as a', 'a.id', 'g.agency_id')
      .select([
        'g.id',
        'g.agency_id',
        'g.address',
        'g.signing_key',
        'g.tls_public_key',
        'g.certificate',
        'g.created_at',
        'g.revoked_at',
        'g.last_seen_at',
        'g.last_report',
        'a.code as member_code',
        'a.name_vi as agency_name',
      ]);
  }
  activeGateways(agencyId?: string) {
    let q = this.gateways().where('g.revoked_at', 'is', null);
    if (agencyId) q = q.where('g.agency_id', '=', agencyId);
    return q.orderBy('a.code').execute() as Promise<GatewayRow[]>;
  }
  gateway(id: string) {
    return this.gateways().where('g.id', '=', id).executeTakeFirst() as Promise<GatewayRow | undefined>;
  }
  async revokeGateways(trx: Kysely<any>, agencyId: string): Promise<void> {
    await trx
      .updateTable('exchange_gateways')
      .set({ revoked_at: new Date() })
      .where('agency_id', '=', agencyId)
      .where('revoked_at', 'is', null)
      .execute();
  }
  async insertGateway(
    trx: Kysely<any>,
    row: {
      id: string;
      agency_id: string;
      address: string;
      signing_key: string;
      tls_public_key: string;
      certificate: string;
    },
  ): Promise<void> {
    await trx.insertInto('exchange_gateways').values(row).execute();
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
  async seenGateway(id: string): Promise<void> {
    await this.db.updateTable('exchange_gateways').set({ last_seen_at: new Date() }).where('id', '=', id).execute();
  }
  async touchGateway(id: string, report: unknown): Promise<void> {
    await this.db
      .updateTable('exchange_gateways')
      .set({ last_seen_at: new Date(), last_report: JSON.stringify(report) })
      .where('id', '=', id)
      .execute();
  }

  private grants(db: Kysely<any> = this.db) {
    return db
      .selectFrom('exchange_grants as g')
      .innerJoin('exchange_subsystems as cs', 'cs.id', 'g.client_subsystem_id')
      .innerJoin('agencies as ca', 'ca.id', 'cs.agency_id')
      .innerJoin('exchange_services as v', 'v.id', 'g.service_id')
      .innerJoin('exchange_subsystems as ps', 'ps.id', 'v.subsystem_id')
      .innerJoin('agencies as pa', 'pa.id', 'ps.agency_id')
      .select([
        'g.id',
        'g.client_subsystem_id',
        'g.service_id',
        'g.endpoints',
        'g.purposes',
        'g.legal_basis',
        'g.rate_per_second',
        'g.daily_quota',
        'g.expires_at',
        'g.status',
        'g.created_at',
        'g.decided_at',
        'cs.code as client_code',
        'cs.agency_id as client_agency_id',
        'ca.code as client_member_code',
        'v.code as service_code',
        'ps.code as provider_subsystem_code',
        'ps.agency_id as provider_agency_id',
        'pa.code as provider_member_code',
      ]);
  }
  grant(id: string) {
    return this.grants().where('g.id', '=', id).executeTakeFirst() as Promise<GrantRow | undefined>;
  }
  /** Grants where the agency is the client or the provider (all with no agency). */
  listGrants(agencyId?: string) {
    let q = this.grants();
    if (agencyId) q = q.where((eb) => eb.or([eb('cs.agency_id', '=', agencyId), eb('ps.agency_id', '=', agencyId)]));
    return q.orderBy('g.created_at', 'desc').execute() as Promise<GrantRow[]>;
  }
  approvedGrants(agencyId: string) {
    return this.grants()
      .where('g.status', '=', 'approved')
      .where((eb) => eb.or([eb('cs.agency_id', '=', agencyId), eb('ps.agency_id', '=', agencyId)]))
      .execute() as Promise<GrantRow[]>;
  }
  async insertGrant(trx: Kysely<any>, row: Record<string, unknown>): Promise<void> {
    await trx
      .insertInto('exchange_grants')
      .values({ ...row, endpoints: JSON.stringify(row.endpoints ?? []) })
      .execute();
  }
  async decideGrant(trx: Kysely<any>, id: string, status: string, userId: string): Promise<void> {
    await trx
      .updateTable('exchange_grants')
      .set({ status, decided_by: userId, decided_at: new Date() })
      .where('id', '=', id)
      .execute();
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

  /** The id of the context (client, service, purpose, legal basis) records share; made on first use. */
  async accessContext(c: AccessContext): Promise<number> {
    await sql`insert into exchange_access_contexts (client, service, purpose, legal_basis, represented_party)
      values (${c.client}, ${c.service}, ${c.purpose}, ${c.legal_basis}, ${c.represented_party ?? null})
      on conflict (client, service, purpose, legal_basis, represented_party) do nothing`.execute(this.db);
    const row = await sql<{
      id: number;
    }>`select id from exchange_access_contexts where client = ${c.client} and service = ${c.service}
      and purpose is not distinct from ${c.purpose} and legal_basis is not distinct from ${c.legal_basis}
      and represented_party is not distinct from ${c.represented_party ?? null}`.execute(this.db);
    return row.rows[0]!.id;
  }

  /**
   * One statement for a group of records that share a context and status: those as scalars, the rest as four arrays
   * unnested on the server. A gateway sends up to 2,000 records a second; an INSERT … VALUES of 20,000 parameters
   * cost the registry more CPU (building and sending it) than the exchanges. Subjects travel as hex: both drivers
   * pass text arrays alike.
   */
  async insertAccessRecords(
    gatewayId: string,
    contextId: number,
    status: number,
    subjects: string[],
    at: string[],
    messageIds: string[],
    logIndexes: number[],
  ): Promise<void> {
    if (!subjects.length) return;
    await sql`insert into exchange_access_records (gateway_id, log_index, message_id, subject, at, context_id, status)
      select ${gatewayId}::uuid, t.i, t.m, decode(t.s, 'hex'), t.a, ${contextId}::int, ${status}::smallint
      from unnest(${subjects}::text[], ${at}::timestamptz[], ${messageIds}::text[], ${logIndexes}::bigint[]) as t(s, a, m, i)
      on conflict (gateway_id, log_index, message_id) do nothing`.execute(this.db);
  }
  /** Takes a signed call once: false if it was taken before (by this process or another). */
  async takeCall(gatewayId: string, signature: string): Promise<boolean> {
    const rows = await sql<{
      taken: number;
    }>`insert into exchange_seen_calls (gateway_id, signature) values (${gatewayId}::uuid, ${signature})
      on conflict (gateway_id, signature) do nothing returning 1 as taken`.execute(this.db);
    return rows.rows.length === 1;
  }
  async forgetCallsBefore(at: Date): Promise<void> {
    await this.db.deleteFrom('exchange_seen_calls').where('seen_at', '<', at).execute();
  }
  /** A person's records, newest first: `subjects` is their keyed hash under each subject key kept (hex); `agencyId`: made by that agency's gateways only. */
  async accessRecords(subjects: string[], limit: number, agencyId: string | null = null): Promise<AccessRecordRow[]> {
    // bigint comes back as text from PostgreSQL: the presenter turns it into a number
    const rows =
      await sql<AccessRecordRow>`select r.at, r.message_id, c.client, c.service, c.purpose, c.legal_basis, c.represented_party, r.status, r.gateway_id, r.log_index
      from exchange_access_records r join exchange_access_contexts c on c.id = r.context_id
      where r.subject in (select decode(s, 'hex') from unnest(${subjects}::text[]) as s)
        and (${agencyId}::uuid is null or r.gateway_id in (select id from exchange_gateways where agency_id = ${agencyId}::uuid))
      order by r.at desc limit ${limit}`.execute(this.db);
    return rows.rows;
  }
  /** Where the housekeeping of a table has got to (everything before it done), else the table's oldest time; null: empty. */
  async housekeepingStart(name: 'access_records' | 'checkpoints'): Promise<Date | null> {
    const mark = await sql<{
      t: Date;
    }>`select done_before as t from exchange_housekeeping_marks where name = ${name}`.execute(this.db);
    if (mark.rows.length) return mark.rows[0]!.t;
    const oldest =
      name === 'access_records'
        ? await sql<{ t: Date | null }>`select min(at) as t from exchange_access_records`.execute(this.db)
        : await sql<{ t: Date | null }>`select min(received_at) as t from exchange_checkpoints`.execute(this.db);
    return oldest.rows[0]?.t ?? null;
  }
  async markHousekept(name: 'access_records' | 'checkpoints', doneBefore: Date): Promise<void> {
    await sql`insert into exchange_housekeeping_marks (name, done_before) values (${name}, ${doneBefore})
      on conflict (name) do update set done_before = excluded.done_before`.execute(this.db);
  }
  /** Deletes up to `limit` subject access records made in [from, to): how many. The window keeps each pass to its own pages. */
  async forgetAccessRecords(from: Date, to: Date, limit: number): Promise<number> {
    const r =
      await sql`delete from exchange_access_records where ctid in (select ctid from exchange_access_records where at >= ${from} and at < ${to} limit ${limit})`.execute(
        this.db,
      );
    return Number(r.numAffectedRows ?? 0);
  }
  /** Deletes the checkpoints received in [from, to) (whole hours) that are not the latest of their gateway's hour: how many. */
  async thinCheckpoints(from: Date, to: Date): Promise<number> {
    const r = await sql`delete from exchange_checkpoints c using (
        select gateway_id, size from (
          select gateway_id, size, row_number() over (partition by gateway_id, date_trunc('hour', received_at) order by size desc) as n
          from exchange_checkpoints where received_at >= ${from} and received_at < ${to}) ranked
        where n > 1) d
      where c.gateway_id = d.gateway_id and c.size = d.size`.execute(this.db);
    return Number(r.numAffectedRows ?? 0);
  }
  async insertCheckpoint(gatewayId: string, size: number, note: string): Promise<void> {
    await this.db
      .insertInto('exchange_checkpoints')
      .values({ gateway_id: gatewayId, size, note })
      .onConflict((oc) => oc.columns(['gateway_id', 'size']).doNothing())
      .execute();
  }
  checkpoints(gatewayId: string, limit: number) {
    return this.db
      .selectFrom('exchange_checkpoints')
      .select(['size', 'note', 'received_at'])
      .where('gateway_id', '=', gatewayId)
      .orderBy('size', 'desc')
      .limit(limit)
      .execute();
  }
}
