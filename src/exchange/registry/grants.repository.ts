import type { Kysely } from 'kysely';
import { RegistryTables } from './registry-tables.js';
import type { GrantRow, ServiceRow } from './registry.rows.js';

/** The services subsystems offer and the grants to them. */
export class GrantsRepository extends RegistryTables {
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
        'v.fields',
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
  async serviceCodeTaken(trx: Kysely<any>, subsystemId: string, code: string): Promise<boolean> {
    return !!(await trx
      .selectFrom('exchange_services')
      .select('id')
      .where('subsystem_id', '=', subsystemId)
      .where('code', '=', code)
      .executeTakeFirst());
  }
  async insertService(
    trx: Kysely<any>,
    row: {
      id: string;
      subsystem_id: string;
      code: string;
      title: string;
      base_url: string;
      openapi: unknown;
      fields: string[];
    },
  ): Promise<void> {
    await trx
      .insertInto('exchange_services')
      .values({ ...row, openapi: JSON.stringify(row.openapi) })
      .execute();
  }
  async updateService(
    trx: Kysely<any>,
    id: string,
    patch: { title?: string; base_url?: string; openapi?: unknown; enabled?: boolean; fields?: string[] },
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
        'g.basis',
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
  grantsToServices(serviceIds: string[], statuses: string[]) {
    if (!serviceIds.length) return Promise.resolve([] as GrantRow[]);
    return this.grants()
      .where('g.service_id', 'in', serviceIds)
      .where('g.status', 'in', statuses)
      .orderBy('g.created_at')
      .execute() as Promise<GrantRow[]>;
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
}
