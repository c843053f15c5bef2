import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Code } from './dictionary.schema.js';

/** What a version of a field says: everything but its id and bookkeeping. */
export interface FieldContent {
  label_vi: string;
  label_en: string;
  description_vi: string | null;
  description_en: string | null;
  type: string;
  format: string | null;
  unit: string | null;
  constraints: Record<string, unknown>;
  code_list: string | null;
  codes: Code[] | null;
  /** the owner: an agency, or null for the platform's shared fields (kept by platform admins) */
  agency_id: string | null;
  /** a category of catalog/personal-data.ts, or null: no personal data */
  personal_data: string | null;
}
export const CONTENT_KEYS: (keyof FieldContent)[] = [
  'label_vi',
  'label_en',
  'description_vi',
  'description_en',
  'type',
  'format',
  'unit',
  'constraints',
  'code_list',
  'codes',
  'agency_id',
  'personal_data',
];

/** The approved, current state of a field. */
export interface DictionaryFieldRow extends FieldContent {
  id: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export type VersionState = 'proposed' | 'approved' | 'rejected';
export interface VersionRow {
  id: string;
  field_id: string;
  version: number | null;
  base_version: number | null;
  state: VersionState;
  content: FieldContent;
  changed: string[];
  owner_agency: string | null;
  proposed_by: string | null;
  proposed_agency: string | null;
  proposed_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  comment: string | null;
}

export interface FieldFilter {
  /** folded words, each of which must occur */
  words: string[];
  agency?: string | 'shared';
  /** personal-data categories to keep ([] : only fields with none); undefined: any */
  categories?: readonly string[];
  limit: number;
  offset: number;
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
const likeWord = (w: string) => `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class DictionaryRepository {
  constructor(private readonly db: Kysely<any>) {}
  with(trx: Kysely<any>) {
    return new DictionaryRepository(trx);
  }

  find(id: string): Promise<DictionaryFieldRow | undefined> {
    return this.fields().where('id', '=', id).executeTakeFirst() as Promise<DictionaryFieldRow | undefined>;
  }
  byIds(ids: string[]): Promise<DictionaryFieldRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.fields().where('id', 'in', ids).orderBy('id').execute() as Promise<DictionaryFieldRow[]>;
  }
  all(): Promise<DictionaryFieldRow[]> {
    return this.fields().orderBy('id').execute() as Promise<DictionaryFieldRow[]>;
  }
  byAgency(agency: string | 'shared'): Promise<DictionaryFieldRow[]> {
    const q = this.fields();
    return (agency === 'shared' ? q.where('agency_id', 'is', null) : q.where('agency_id', '=', agency))
      .orderBy('id')
      .execute() as Promise<DictionaryFieldRow[]>;
  }

  async search(f: FieldFilter): Promise<{ rows: DictionaryFieldRow[]; total: number }> {
    let q = this.db.selectFrom('dictionary_fields');
    for (const w of f.words) q = q.where('folded', 'like', likeWord(w));
    if (f.agency === 'shared') q = q.where('agency_id', 'is', null);
    else if (f.agency) q = q.where('agency_id', '=', f.agency);
    if (f.categories)
      q = f.categories.length
        ? q.where('personal_data', 'in', [...f.categories])
        : q.where('personal_data', 'is', null);
    const [rows, count] = await Promise.all([
      q
        .select(FIELD_COLUMNS)
        .orderBy(sql`agency_id is not null`)
        .orderBy('id')
        .limit(f.limit)
        .offset(f.offset)
        .execute(),
      q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows as DictionaryFieldRow[], total: Number(count.n) };
  }

  /** The agencies that own at least one field (null: the shared fields). */
  async owners(): Promise<(string | null)[]> {
    const rows = await this.db.selectFrom('dictionary_fields').select('agency_id').distinct().execute();
    return rows.map((r) => r.agency_id as string | null);
  }

  async insertField(id: string, c: FieldContent, folded: string): Promise<DictionaryFieldRow> {
    return (await this.db
      .insertInto('dictionary_fields')
      .values({ id, ...c, constraints: JSON.stringify(c.constraints), codes: json(c.codes), folded })
      .returning(FIELD_COLUMNS)
      .executeTakeFirstOrThrow()) as DictionaryFieldRow;
  }
  async updateField(id: string, version: number, c: FieldContent, folded: string): Promise<DictionaryFieldRow> {
    return (await this.db
      .updateTable('dictionary_fields')
      .set({ ...c, constraints: JSON.stringify(c.constraints), codes: json(c.codes), folded, version })
      .set({ updated_at: new Date() })
      .where('id', '=', id)
      .returning(FIELD_COLUMNS)
      .executeTakeFirstOrThrow()) as DictionaryFieldRow;
  }

  async insertVersion(v: Omit<VersionRow, 'id' | 'proposed_at' | 'decided_at'>): Promise<VersionRow> {
    const decided = v.state === 'proposed' ? null : new Date();
    return (await this.db
      .insertInto('dictionary_versions')
      .values({ ...v, id: randomUUID(), content: JSON.stringify(v.content), decided_at: decided })
      .returningAll()
      .executeTakeFirstOrThrow()) as VersionRow;
  }
  version(id: string): Promise<VersionRow | undefined> {
    return this.db.selectFrom('dictionary_versions').selectAll().where('id', '=', id).executeTakeFirst() as Promise<
      VersionRow | undefined
    >;
  }
  /** A field's rows, newest first; approved only unless `all`. */
  versionsOf(fieldId: string, all = false): Promise<VersionRow[]> {
    let q = this.db.selectFrom('dictionary_versions').selectAll().where('field_id', '=', fieldId);
    if (!all) q = q.where('state', '=', 'approved');
    return q.orderBy('proposed_at', 'desc').limit(200).execute() as Promise<VersionRow[]>;
  }
  /** Open proposals owned by some agencies (and, with `shared`, the shared fields'), oldest first. */
  open(agencies: string[], shared: boolean, limit = 200): Promise<VersionRow[]> {
    return this.db
      .selectFrom('dictionary_versions')
      .selectAll()
      .where('state', '=', 'proposed')
      .where((eb) => {
        const ors = [];
        if (agencies.length) ors.push(eb('owner_agency', 'in', agencies));
        if (shared) ors.push(eb('owner_agency', 'is', null));
        return ors.length ? eb.or(ors) : eb.val(false);
      })
      .orderBy('proposed_at')
      .limit(limit)
      .execute() as Promise<VersionRow[]>;
  }
  /** An open proposal of a field id, if any (a new field may have one at a time). */
  openFor(fieldId: string): Promise<VersionRow | undefined> {
    return this.db
      .selectFrom('dictionary_versions')
      .selectAll()
      .where('field_id', '=', fieldId)
      .where('state', '=', 'proposed')
      .executeTakeFirst() as Promise<VersionRow | undefined>;
  }
  proposedBy(userId: string, limit = 50): Promise<VersionRow[]> {
    return this.db
      .selectFrom('dictionary_versions')
      .selectAll()
      .where('proposed_by', '=', userId)
      .orderBy('proposed_at', 'desc')
      .limit(limit)
      .execute() as Promise<VersionRow[]>;
  }
  async decide(
    id: string,
    d: { state: 'approved' | 'rejected'; version: number | null; by: string; comment: string | null },
  ): Promise<VersionRow> {
    return (await this.db
      .updateTable('dictionary_versions')
      .set({ state: d.state, version: d.version, decided_by: d.by, decided_at: new Date(), comment: d.comment })
      .where('id', '=', id)
      .where('state', '=', 'proposed')
      .returningAll()
      .executeTakeFirstOrThrow()) as VersionRow;
  }

  private fields() {
    return this.db.selectFrom('dictionary_fields').select(FIELD_COLUMNS);
  }
}

const FIELD_COLUMNS = ['id', ...CONTENT_KEYS, 'version', 'created_at', 'updated_at'] as const;
