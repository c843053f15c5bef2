import type { Kysely } from 'kysely';

export interface DatabaseRegisterRow {
  id: string;
  agency_id: string;
  name_vi: string;
  name_en: string | null;
  purpose: string;
  scope: string;
  content: string;
  collection_mechanism: string;
  update_mechanism: string;
  data_sources: string;
  legal_basis: string;
  category: string;
  access_class: string;
  importance: string;
  status: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export class DatabasesRepository {
  constructor(private readonly db: Kysely<any>) {}
  with(trx: Kysely<any>) {
    return new DatabasesRepository(trx);
  }

  find(id: string): Promise<DatabaseRegisterRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return Promise.resolve(undefined);
    return this.db.selectFrom('database_registers').selectAll().where('id', '=', id).executeTakeFirst() as Promise<
      DatabaseRegisterRow | undefined
    >;
  }

  async list(f: {
    agencyId?: string;
    limit: number;
    offset: number;
  }): Promise<{ rows: DatabaseRegisterRow[]; total: number }> {
    let q = this.db.selectFrom('database_registers');
    if (f.agencyId) q = q.where('agency_id', '=', f.agencyId);
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const rows = (await q
      .selectAll()
      .orderBy('name_vi')
      .orderBy('id')
      .limit(f.limit)
      .offset(f.offset)
      .execute()) as DatabaseRegisterRow[];
    return { rows, total };
  }

  async insert(row: Omit<DatabaseRegisterRow, 'created_at' | 'updated_at' | 'version'>): Promise<DatabaseRegisterRow> {
    return (await this.db
      .insertInto('database_registers')
      .values(row)
      .returningAll()
      .executeTakeFirstOrThrow()) as DatabaseRegisterRow;
  }

  async update(id: string, version: number, patch: Partial<DatabaseRegisterRow>): Promise<DatabaseRegisterRow> {
    return (await this.db
      .updateTable('database_registers')
      .set({ ...patch, version: version + 1, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()) as DatabaseRegisterRow;
  }

  async addHistory(row: DatabaseRegisterRow, changedBy: string | null): Promise<void> {
    await this.db
      .insertInto('database_register_history')
      .values({ register_id: row.id, version: row.version, snapshot: JSON.stringify(row), changed_by: changedBy })
      .execute();
  }

  history(id: string) {
    return this.db
      .selectFrom('database_register_history')
      .selectAll()
      .where('register_id', '=', id)
      .orderBy('version', 'desc')
      .execute();
  }

  datasets(id: string) {
    return this.db
      .selectFrom('datasets')
      .select(['id', 'slug', 'title_vi', 'status'])
      .where('database_id', '=', id)
      .orderBy('title_vi')
      .execute();
  }
}
