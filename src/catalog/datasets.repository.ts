import { sql, type Kysely } from 'kysely';

export interface DatasetRow {
  id: string;
  slug: string;
  agency_id: string;
  database_id: string | null;
  title_vi: string;
  title_en: string | null;
  description_vi: string;
  description_en: string | null;
  keywords: string[];
  themes: string[];
  spatial: string[];
  provinces: string[];
  formats: string[];
  temporal_start: string | null;
  temporal_end: string | null;
  licence_id: string | null;
  access_rights: 'public' | 'restricted' | 'non_public';
  update_frequency: string;
  contact_name: string | null;
  contact_email: string | null;
  status: 'draft' | 'published' | 'archived';
  issued: Date | null;
  modified: Date;
  created_at: Date;
}

export interface DistributionRow {
  id: string;
  dataset_id: string;
  position: number;
  title_vi: string;
  title_en: string | null;
  description: string | null;
  kind: 'file' | 'link';
  url: string | null;
  storage_key: string | null;
  file_name: string | null;
  media_type: string | null;
  format: string | null;
  byte_size: number | null;
  sha256: string | null;
  table_schema: unknown;
  created_at: Date;
  updated_at: Date;
}

/** Folded text for the search vector, weighted A (title) to D (agency). */
export interface SearchText {
  title: string;
  keywords: string;
  description: string;
  agency: string;
}

export const DATASET_COLUMNS = [
  'id',
  'slug',
  'agency_id',
  'database_id',
  'title_vi',
  'title_en',
  'description_vi',
  'description_en',
  'keywords',
  'themes',
  'spatial',
  'provinces',
  'formats',
  'temporal_start',
  'temporal_end',
  'licence_id',
  'access_rights',
  'update_frequency',
  'contact_name',
  'contact_email',
  'status',
  'issued',
  'modified',
  'created_at',
] as const;

export const searchVector = (t: SearchText) =>
  sql`setweight(to_tsvector('simple', ${t.title}), 'A') || setweight(to_tsvector('simple', ${t.keywords}), 'B') || setweight(to_tsvector('simple', ${t.description}), 'C') || setweight(to_tsvector('simple', ${t.agency}), 'D')`;

export const rankVector = (t: SearchText) =>
  sql`setweight(to_tsvector('simple', ${t.title}), 'A') || setweight(to_tsvector('simple', ${t.keywords}), 'B')`;

/** The two vectors a data set is found and ranked by. */
export const searchColumns = (t: SearchText) => ({ search_vector: searchVector(t), rank_vector: rankVector(t) });

export class DatasetsRepository {
  constructor(private readonly db: Kysely<any>) {}

  with(trx: Kysely<any>) {
    return new DatasetsRepository(trx);
  }

  find(key: string): Promise<DatasetRow | undefined> {
    const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(key);
    return this.db
      .selectFrom('datasets')
      .select([...DATASET_COLUMNS])
      .where(isUuid ? 'id' : 'slug', '=', key)
      .executeTakeFirst() as Promise<DatasetRow | undefined>;
  }

  byIds(ids: string[]): Promise<DatasetRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.db
      .selectFrom('datasets')
      .select([...DATASET_COLUMNS])
      .where('id', 'in', ids)
      .execute() as Promise<DatasetRow[]>;
  }

  async slugTaken(slug: string): Promise<boolean> {
    return !!(await this.db.selectFrom('datasets').select('id').where('slug', '=', slug).executeTakeFirst());
  }

  async insert(row: Omit<DatasetRow, 'created_at' | 'modified'>, text: SearchText): Promise<DatasetRow> {
    return (await this.db
      .insertInto('datasets')
      .values({ ...row, ...searchColumns(text) })
      .returning([...DATASET_COLUMNS])
      .executeTakeFirstOrThrow()) as DatasetRow;
  }

  async update(id: string, patch: Partial<DatasetRow>, text: SearchText): Promise<DatasetRow> {
    return (await this.db
      .updateTable('datasets')
      .set({ ...patch, modified: new Date(), ...searchColumns(text) })
      .where('id', '=', id)
      .returning([...DATASET_COLUMNS])
      .executeTakeFirstOrThrow()) as DatasetRow;
  }

  async list(f: {
    agencyId?: string;
    status?: string;
    limit: number;
    offset: number;
  }): Promise<{ rows: DatasetRow[]; total: number }> {
    let q = this.db.selectFrom('datasets');
    if (f.agencyId) q = q.where('agency_id', '=', f.agencyId);
    if (f.status) q = q.where('status', '=', f.status);
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const rows = (await q
      .select([...DATASET_COLUMNS])
      .orderBy('modified', 'desc')
      .orderBy('id')
      .limit(f.limit)
      .offset(f.offset)
      .execute()) as DatasetRow[];
    return { rows, total };
  }

  async publishedSlugs(limit: number, offset: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('datasets')
      .select('slug')
      .where('status', '=', 'published')
      .orderBy('slug')
      .limit(limit)
      .offset(offset)
      .execute();
    return rows.map((r) => r.slug as string);
  }

  /** Published data sets per agency: of these agencies, or of every agency that has one (`'all'`). */
  async publishedCounts(agencyIds: string[] | 'all'): Promise<Map<string, number>> {
    if (!agencyIds.length) return new Map();
    let q = this.db
      .selectFrom('datasets')
      .select(['agency_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where('status', '=', 'published');
    if (agencyIds !== 'all') q = q.where('agency_id', 'in', agencyIds);
    const rows = await q.groupBy('agency_id').execute();
    return new Map(rows.map((r) => [r.agency_id as string, Number(r.n)]));
  }

  async keywordCounts(limit: number, q?: string): Promise<{ keyword: string; n: number }[]> {
    const r = await sql<{ keyword: string; n: number }>`
      select k as keyword, count(*)::int as n from datasets, unnest(keywords) k
      where status = 'published' and (${q ?? null}::text is null or k ilike ${`%${q ?? ''}%`})
      group by k order by n desc, k limit ${limit}`.execute(this.db);
    return r.rows;
  }

  distributions(datasetIds: string[]): Promise<DistributionRow[]> {
    if (!datasetIds.length) return Promise.resolve([]);
    return this.db
      .selectFrom('distributions')
      .selectAll()
      .where('dataset_id', 'in', datasetIds)
      .orderBy('dataset_id')
      .orderBy('position')
      .execute() as Promise<DistributionRow[]>;
  }

  findDistribution(id: string): Promise<DistributionRow | undefined> {
    return this.db.selectFrom('distributions').selectAll().where('id', '=', id).executeTakeFirst() as Promise<
      DistributionRow | undefined
    >;
  }

  async insertDistribution(
    row: Omit<DistributionRow, 'position' | 'created_at' | 'updated_at'>,
  ): Promise<DistributionRow> {
    const next = await this.db
      .selectFrom('distributions')
      .select((eb) => eb.fn.coalesce(eb.fn.max('position'), sql<number>`-1`).as('p'))
      .where('dataset_id', '=', row.dataset_id)
      .executeTakeFirstOrThrow();
    return (await this.db
      .insertInto('distributions')
      .values({
        ...row,
        position: Number(next.p) + 1,
        table_schema: row.table_schema === null ? null : JSON.stringify(row.table_schema),
      })
      .returningAll()
      .executeTakeFirstOrThrow()) as DistributionRow;
  }

  async setTableSchema(id: string, schema: unknown): Promise<DistributionRow> {
    return (await this.db
      .updateTable('distributions')
      .set({ table_schema: JSON.stringify(schema), updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()) as DistributionRow;
  }

  async deleteDistribution(id: string): Promise<void> {
    await this.db.deleteFrom('distributions').where('id', '=', id).execute();
  }

  async mostDownloaded(limit: number): Promise<DatasetRow[]> {
    return (await this.db
      .selectFrom('datasets')
      .select([...DATASET_COLUMNS])
      .where('status', '=', 'published')
      .where('downloads', '>', 0)
      .orderBy('downloads', 'desc')
      .orderBy('modified', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute()) as DatasetRow[];
  }

  async stats(): Promise<{ datasets: number; agencies: number; files: number; downloads: number }> {
    const r = await sql<{ datasets: number; agencies: number; files: number; downloads: number }>`
      select count(*)::int as datasets, count(distinct agency_id)::int as agencies, coalesce(sum(downloads), 0)::int as downloads,
             (select count(*)::int from distributions x join datasets d on d.id = x.dataset_id where d.status = 'published') as files
      from datasets where status = 'published'`.execute(this.db);
    return r.rows[0]!;
  }

  /** Keeps the denormalised format list in step with the distributions, for facets. */
  async refreshFormats(datasetId: string): Promise<void> {
    await sql`update datasets set modified = now(), formats = coalesce((select array_agg(distinct upper(format)) from distributions where dataset_id = ${datasetId} and format is not null), '{}') where id = ${datasetId}`.execute(
      this.db,
    );
  }
}
