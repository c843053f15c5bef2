import { sql, type Kysely } from 'kysely';
import type { ConsentArtefact } from '../exchange/protocol/consent.js';

export type ConsentStatus = 'requested' | 'active' | 'refused' | 'withdrawn' | 'lapsed';

export interface ConsentRow {
  id: string;
  subject_hash: string;
  artefact_subject: ConsentArtefact['subject'];
  recipient_subsystem_id: string;
  services: ConsentArtefact['services'];
  purpose: string;
  valid_from: Date;
  valid_until: Date;
  uses_per_day: number | null;
  retention_days: number;
  note: string | null;
  status: ConsentStatus;
  requested_at: Date;
  decided_at: Date | null;
  withdrawn_at: Date | null;
}

/** Consents as agencies ask for them and people decide them; the only SQL of the consent service. */
export class ConsentRepository {
  constructor(private readonly db: Kysely<any>) {}

  async insert(
    trx: Kysely<any>,
    row: Omit<ConsentRow, 'requested_at' | 'decided_at' | 'withdrawn_at'> & { requested_by: string },
  ) {
    await trx
      .insertInto('privacy_consents')
      .values({
        ...row,
        artefact_subject: JSON.stringify(row.artefact_subject),
        services: JSON.stringify(row.services),
      })
      .execute();
  }

  get(id: string, db: Kysely<any> = this.db): Promise<ConsentRow | undefined> {
    return db.selectFrom('privacy_consents').selectAll().where('id', '=', id).executeTakeFirst() as Promise<
      ConsentRow | undefined
    >;
  }

  /** Locks the consent for a decision, so two decisions (an approval and a withdrawal) never cross. */
  forUpdate(trx: Kysely<any>, id: string): Promise<ConsentRow | undefined> {
    return trx
      .selectFrom('privacy_consents')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst() as Promise<ConsentRow | undefined>;
  }

  ofSubjects(hashes: string[], limit: number): Promise<ConsentRow[]> {
    if (!hashes.length) return Promise.resolve([]);
    return this.db
      .selectFrom('privacy_consents')
      .selectAll()
      .where('subject_hash', 'in', hashes)
      .orderBy('requested_at', 'desc')
      .limit(limit)
      .execute() as Promise<ConsentRow[]>;
  }

  ofRecipients(subsystemIds: string[], limit: number): Promise<ConsentRow[]> {
    if (!subsystemIds.length) return Promise.resolve([]);
    return this.db
      .selectFrom('privacy_consents')
      .selectAll()
      .where('recipient_subsystem_id', 'in', subsystemIds)
      .orderBy('requested_at', 'desc')
      .limit(limit)
      .execute() as Promise<ConsentRow[]>;
  }

  async decide(trx: Kysely<any>, id: string, status: 'active' | 'refused'): Promise<void> {
    await trx.updateTable('privacy_consents').set({ status, decided_at: sql`now()` }).where('id', '=', id).execute();
  }

  /** A withdrawal takes the next number of the withdrawals' sequence: the gateways' feed reads them in that order. */
  async withdraw(trx: Kysely<any>, id: string): Promise<void> {
    await sql`update privacy_consents set status = 'withdrawn', withdrawn_at = now(),
      withdrawn_seq = nextval('privacy_consent_withdrawals') where id = ${id}`.execute(trx);
  }

  /** Withdrawals after `after`, oldest first, of consents still within their validity (an expired one is refused anyway). */
  async withdrawnAfter(after: number, limit: number): Promise<{ id: string; seq: number }[]> {
    const r = await sql<{ id: string; seq: string }>`select id, withdrawn_seq as seq from privacy_consents
      where withdrawn_seq > ${after} and valid_until > now() order by withdrawn_seq limit ${limit}`.execute(this.db);
    return r.rows.map((x) => ({ id: x.id, seq: Number(x.seq) }));
  }
}
