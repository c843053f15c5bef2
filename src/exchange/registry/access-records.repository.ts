import { sql, type Kysely } from 'kysely';
import type { AccessContext, AccessRecordRow } from './registry.rows.js';

/** Subject access records (who read whose data) and the contexts they share. */
export class AccessRecordsRepository {
  constructor(private readonly db: Kysely<any>) {}

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
    consents?: string[],
  ): Promise<void> {
    if (!subjects.length) return;
    if (consents) {
      await sql`insert into exchange_access_records (gateway_id, log_index, message_id, subject, at, context_id, status, consent_id)
        select ${gatewayId}::uuid, t.i, t.m, decode(t.s, 'hex'), t.a, ${contextId}::int, ${status}::smallint, nullif(t.c, '')::uuid
        from unnest(${subjects}::text[], ${at}::timestamptz[], ${messageIds}::text[], ${logIndexes}::bigint[], ${consents}::text[]) as t(s, a, m, i, c)
        on conflict (gateway_id, log_index, message_id) do nothing`.execute(this.db);
      return;
    }
    await sql`insert into exchange_access_records (gateway_id, log_index, message_id, subject, at, context_id, status)
      select ${gatewayId}::uuid, t.i, t.m, decode(t.s, 'hex'), t.a, ${contextId}::int, ${status}::smallint
      from unnest(${subjects}::text[], ${at}::timestamptz[], ${messageIds}::text[], ${logIndexes}::bigint[]) as t(s, a, m, i)
      on conflict (gateway_id, log_index, message_id) do nothing`.execute(this.db);
  }
  /** A person's records, newest first: `subjects` is their keyed hash under each subject key kept (hex); `agencyId`: made by that agency's gateways only. */
  async accessRecords(subjects: string[], limit: number, agencyId: string | null = null): Promise<AccessRecordRow[]> {
    // bigint comes back as text from PostgreSQL: the presenter turns it into a number
    const rows =
      await sql<AccessRecordRow>`select r.at, r.message_id, c.client, c.service, c.purpose, c.legal_basis, c.represented_party, r.status, r.gateway_id, r.log_index, r.consent_id
      from exchange_access_records r join exchange_access_contexts c on c.id = r.context_id
      where r.subject in (select decode(s, 'hex') from unnest(${subjects}::text[]) as s)
        and (${agencyId}::uuid is null or r.gateway_id in (select id from exchange_gateways where agency_id = ${agencyId}::uuid))
      order by r.at desc limit ${limit}`.execute(this.db);
    return rows.rows;
  }
  /**
   * The people whose data these services returned (a 2xx answer) in [from, until), as the agency's own gateways
   * recorded them: each keyed hash (hex) with its number of reads, a page at a time in the hashes' order (`after`:
   * the last hash of the page before), and the totals. For a breach's list: never an id, only hashes.
   */
  async subjectsOfServices(
    services: string[],
    agencyId: string,
    from: Date,
    until: Date,
    limit: number,
    after: string | null,
  ): Promise<{ subjects: { subject: string; reads: number }[]; people: number; reads: number }> {
    if (!services.length) return { subjects: [], people: 0, reads: 0 };
    const within = sql`from exchange_access_records r join exchange_access_contexts c on c.id = r.context_id
      where c.service in (select unnest(${services}::text[]))
        and r.at >= ${from} and r.at < ${until} and r.status between 200 and 299
        and r.gateway_id in (select id from exchange_gateways where agency_id = ${agencyId}::uuid)`;
    const page = await sql<{ subject: string; reads: string | number }>`select encode(r.subject, 'hex') as subject,
        count(*) as reads ${within}
        and (${after}::text is null or r.subject > decode(${after}::text, 'hex'))
      group by r.subject order by r.subject limit ${limit}`.execute(this.db);
    const totals = await sql<{ people: string | number; reads: string | number }>`select
        count(distinct r.subject) as people, count(*) as reads ${within}`.execute(this.db);
    return {
      subjects: page.rows.map((r) => ({ subject: r.subject, reads: Number(r.reads) })),
      people: Number(totals.rows[0]?.people ?? 0),
      reads: Number(totals.rows[0]?.reads ?? 0),
    };
  }
  /**
   * A person's records for their own page, newest first, a page at a time: `before` is the last record of the page
   * before (keyset on time, gateway and log index, so a page costs the same however deep).
   */
  async subjectRecords(
    subjects: string[],
    limit: number,
    before: { at: Date; gatewayId: string; logIndex: number } | null,
  ): Promise<AccessRecordRow[]> {
    const at = before?.at ?? null;
    const rows =
      await sql<AccessRecordRow>`select r.at, r.message_id, c.client, c.service, c.purpose, c.legal_basis, c.represented_party, r.status, r.gateway_id, r.log_index, r.consent_id
      from exchange_access_records r join exchange_access_contexts c on c.id = r.context_id
      where r.subject in (select decode(s, 'hex') from unnest(${subjects}::text[]) as s)
        and (${at}::timestamptz is null or (r.at, r.gateway_id, r.log_index) < (${at}::timestamptz, ${before?.gatewayId ?? null}::uuid, ${before?.logIndex ?? null}::bigint))
      order by r.at desc, r.gateway_id desc, r.log_index desc limit ${limit}`.execute(this.db);
    return rows.rows;
  }
  /** One record of a person, if it is theirs: where it sits (gateway, log index) and whose it is must both match. */
  async subjectRecordAt(subjects: string[], gatewayId: string, logIndex: number): Promise<AccessRecordRow | undefined> {
    const rows =
      await sql<AccessRecordRow>`select r.at, r.message_id, c.client, c.service, c.purpose, c.legal_basis, c.represented_party, r.status, r.gateway_id, r.log_index, r.consent_id
      from exchange_access_records r join exchange_access_contexts c on c.id = r.context_id
      where r.gateway_id = ${gatewayId}::uuid and r.log_index = ${logIndex}::bigint
        and r.subject in (select decode(s, 'hex') from unnest(${subjects}::text[]) as s)
      limit 1`.execute(this.db);
    return rows.rows[0];
  }
  /** A person's records that relied on one consent, newest first (the consent's uses, shown to the person). */
  async subjectConsentUses(subjects: string[], consentId: string, limit: number): Promise<AccessRecordRow[]> {
    const rows =
      await sql<AccessRecordRow>`select r.at, r.message_id, c.client, c.service, c.purpose, c.legal_basis, c.represented_party, r.status, r.gateway_id, r.log_index, r.consent_id
      from exchange_access_records r join exchange_access_contexts c on c.id = r.context_id
      where r.subject in (select decode(s, 'hex') from unnest(${subjects}::text[]) as s) and r.consent_id = ${consentId}::uuid
      order by r.at desc, r.gateway_id desc, r.log_index desc limit ${limit}`.execute(this.db);
    return rows.rows;
  }
  /** How many of a person's records relied on each of their consents (answered calls: a refused attempt is no use). */
  async subjectConsentCounts(subjects: string[]): Promise<{ consent_id: string; uses: string | number }[]> {
    const rows = await sql<{
      consent_id: string;
      uses: string | number;
    }>`select r.consent_id, count(*) filter (where r.status < 400) as uses
      from exchange_access_records r
      where r.subject in (select decode(s, 'hex') from unnest(${subjects}::text[]) as s) and r.consent_id is not null
      group by r.consent_id`.execute(this.db);
    return rows.rows;
  }
}
