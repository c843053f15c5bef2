import type { Kysely } from 'kysely';
import type { DossierField, DossierStatus } from './dossier.types.js';

export interface DossierRow {
  id: string;
  reference: string;
  procedure_id: string;
  procedure_version: number;
  agency_id: string;
  public_user_id: string;
  subject_hash: string;
  applicant_name: string;
  prefill_id: string | null;
  status: DossierStatus;
  fields: DossierField[];
  reused: number;
  typed: number;
  submitted_at: Date;
  due_at: Date | null;
  decided_at: Date | null;
  decided_by: string | null;
  decision_note: string | null;
}

export type NewDossier = Omit<DossierRow, 'status' | 'decided_at' | 'decided_by' | 'decision_note'>;
export type Decision = Pick<DossierRow, 'status'> &
  Partial<Pick<DossierRow, 'decided_at' | 'decided_by' | 'decision_note'>>;

const LIMIT = 500;

/** Submitted dossiers; the only SQL of the dossiers service. */
export class DossiersRepository {
  constructor(private readonly db: Kysely<any>) {}

  async insert(trx: Kysely<any>, row: NewDossier): Promise<void> {
    await trx
      .insertInto('service_dossiers')
      .values({ ...row, status: 'submitted', fields: JSON.stringify(row.fields) })
      .execute();
  }

  /** How many dossiers have a reference starting with `prefix` (the day's count, for the next number). */
  async countReferences(trx: Kysely<any>, prefix: string): Promise<number> {
    const r = await trx
      .selectFrom('service_dossiers')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('reference', 'like', `${prefix}%`)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Whether the prefill already became a dossier (one submission per prefill). */
  async byPrefill(trx: Kysely<any>, prefillId: string): Promise<{ id: string } | undefined> {
    return trx.selectFrom('service_dossiers').select('id').where('prefill_id', '=', prefillId).executeTakeFirst();
  }

  get(id: string): Promise<DossierRow | undefined> {
    return this.db.selectFrom('service_dossiers').selectAll().where('id', '=', id).executeTakeFirst() as Promise<
      DossierRow | undefined
    >;
  }

  /** Locks a dossier for an officer's step, so two steps never cross. */
  forUpdate(trx: Kysely<any>, id: string): Promise<DossierRow | undefined> {
    return trx
      .selectFrom('service_dossiers')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst() as Promise<DossierRow | undefined>;
  }

  async decide(trx: Kysely<any>, id: string, set: Decision): Promise<void> {
    await trx.updateTable('service_dossiers').set(set).where('id', '=', id).execute();
  }

  ofPerson(userId: string): Promise<DossierRow[]> {
    return this.db
      .selectFrom('service_dossiers')
      .selectAll()
      .where('public_user_id', '=', userId)
      .orderBy('submitted_at', 'desc')
      .limit(LIMIT)
      .execute() as Promise<DossierRow[]>;
  }

  /** Agencies' dossiers, the oldest due first (what to handle next), optionally of one status. */
  ofAgencies(agencyIds: string[], status?: DossierStatus): Promise<DossierRow[]> {
    if (!agencyIds.length) return Promise.resolve([]);
    let q = this.db.selectFrom('service_dossiers').selectAll().where('agency_id', 'in', agencyIds);
    if (status) q = q.where('status', '=', status);
    return q.orderBy('due_at', 'asc').orderBy('submitted_at', 'asc').limit(LIMIT).execute() as Promise<DossierRow[]>;
  }
}
