import { sql, type Kysely } from 'kysely';
import type { DeskRow, ProcedureRow, ProcedureStatus, SourceRow } from './procedure.js';

/** Procedures, the sources of dictionary elements and the agencies' desks: the only SQL of the procedures service. */
export class ProceduresRepository {
  constructor(private readonly db: Kysely<any>) {}

  async insert(trx: Kysely<any>, row: ProcedureRow) {
    await trx
      .insertInto('service_procedures')
      .values({ ...row, fields: JSON.stringify(row.fields), result: JSON.stringify(row.result) })
      .execute();
  }

  async update(trx: Kysely<any>, id: string, set: Partial<ProcedureRow>) {
    const { fields, result, ...rest } = set;
    await trx
      .updateTable('service_procedures')
      .set({
        ...rest,
        ...(fields ? { fields: JSON.stringify(fields) } : {}),
        ...(result ? { result: JSON.stringify(result) } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  async byId(id: string): Promise<ProcedureRow | undefined> {
    return (await this.db.selectFrom('service_procedures').selectAll().where('id', '=', id).executeTakeFirst()) as
      | ProcedureRow
      | undefined;
  }

  async byCode(code: string): Promise<ProcedureRow | undefined> {
    return (await this.db.selectFrom('service_procedures').selectAll().where('code', '=', code).executeTakeFirst()) as
      | ProcedureRow
      | undefined;
  }

  async list(f: { agencyIds?: string[]; status?: ProcedureStatus[] }): Promise<ProcedureRow[]> {
    let q = this.db.selectFrom('service_procedures').selectAll();
    if (f.agencyIds) q = f.agencyIds.length ? q.where('agency_id', 'in', f.agencyIds) : q.where(() => falsy);
    if (f.status) q = q.where('status', 'in', f.status);
    return (await q.orderBy('code').limit(1000).execute()) as ProcedureRow[];
  }

  async sources(elements: string[]): Promise<SourceRow[]> {
    if (!elements.length) return [];
    return (await this.db
      .selectFrom('service_sources')
      .selectAll()
      .where('element_id', 'in', elements)
      .execute()) as SourceRow[];
  }

  async allSources(): Promise<SourceRow[]> {
    return (await this.db.selectFrom('service_sources').selectAll().orderBy('element_id').execute()) as SourceRow[];
  }

  async upsertSource(trx: Kysely<any>, row: SourceRow) {
    await trx
      .insertInto('service_sources')
      .values(row)
      .onConflict((oc) => oc.column('element_id').doUpdateSet(row))
      .execute();
  }

  async deleteSource(trx: Kysely<any>, elementId: string) {
    await trx.deleteFrom('service_sources').where('element_id', '=', elementId).execute();
  }

  async desk(agencyId: string): Promise<DeskRow | undefined> {
    return (await this.db
      .selectFrom('service_desks')
      .selectAll()
      .where('agency_id', '=', agencyId)
      .executeTakeFirst()) as DeskRow | undefined;
  }

  async upsertDesk(trx: Kysely<any>, row: DeskRow) {
    await trx
      .insertInto('service_desks')
      .values(row)
      .onConflict((oc) => oc.column('agency_id').doUpdateSet(row))
      .execute();
  }
}

// a condition no row meets (an empty list of agencies)
const falsy = sql<boolean>`false`;
