import type { Kysely } from 'kysely';

export interface DictionaryFieldRow {
  id: string;
  label_vi: string;
  label_en: string;
  description_vi: string | null;
  description_en: string | null;
  type: string;
  format: string | null;
  constraints: Record<string, unknown>;
  code_list: string | null;
  agency_id: string | null;
  /** a category of catalog/personal-data.ts, or null: no personal data */
  personal_data: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export class DictionaryRepository {
  constructor(private readonly db: Kysely<any>) {}
  with(trx: Kysely<any>) {
    return new DictionaryRepository(trx);
  }
  find(id: string): Promise<DictionaryFieldRow | undefined> {
    return this.db.selectFrom('dictionary_fields').selectAll().where('id', '=', id).executeTakeFirst() as Promise<
      DictionaryFieldRow | undefined
    >;
  }
  byIds(ids: string[]): Promise<DictionaryFieldRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db.selectFrom('dictionary_fields').selectAll().where('id', 'in', ids).execute() as Promise<
      DictionaryFieldRow[]
    >;
  }
  all(): Promise<DictionaryFieldRow[]> {
    return this.db.selectFrom('dictionary_fields').selectAll().orderBy('id').execute() as Promise<DictionaryFieldRow[]>;
  }
  async insert(row: Omit<DictionaryFieldRow, 'created_at' | 'updated_at' | 'version'>): Promise<DictionaryFieldRow> {
    return (await this.db
      .insertInto('dictionary_fields')
      .values({ ...row, constraints: JSON.stringify(row.constraints) })
      .returningAll()
      .executeTakeFirstOrThrow()) as DictionaryFieldRow;
  }
  async update(id: string, version: number, patch: Partial<DictionaryFieldRow>): Promise<DictionaryFieldRow> {
    const values: Record<string, unknown> = { ...patch, version: version + 1, updated_at: new Date() };
    if (patch.constraints) values.constraints = JSON.stringify(patch.constraints);
    return (await this.db
      .updateTable('dictionary_fields')
      .set(values)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()) as DictionaryFieldRow;
  }
}
