import type { Kysely } from 'kysely';

export const REUSE_KINDS = ['application', 'article', 'visualisation', 'model', 'other'] as const;
export type ReuseKind = (typeof REUSE_KINDS)[number];
export type ReuseStatus = 'shown' | 'hidden' | 'withdrawn';

export interface ReuseRow {
  id: string;
  kind: ReuseKind;
  title: string;
  description: string;
  url: string;
  image_url: string | null;
  public_user_id: string;
  submitter_name: string;
  status: ReuseStatus;
  hidden_reason: string | null;
  hidden_by: string | null;
  hidden_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export type ReuseFields = Pick<ReuseRow, 'kind' | 'title' | 'description' | 'url' | 'image_url'>;

export interface ReuseFilter {
  kind?: ReuseKind;
  datasetId?: string;
}

/** Reuses and the data sets they use; the only SQL of the reuses service. */
export class ReusesRepository {
  constructor(private readonly db: Kysely<any>) {}

  async insert(trx: Kysely<any>, row: Omit<ReuseRow, 'status' | 'hidden_reason' | 'hidden_by' | 'hidden_at'>) {
    await trx.insertInto('reuses').values(row).execute();
  }

  async link(trx: Kysely<any>, reuseId: string, datasetIds: string[]) {
    await trx.deleteFrom('reuse_datasets').where('reuse_id', '=', reuseId).execute();
    if (datasetIds.length)
      await trx
        .insertInto('reuse_datasets')
        .values(datasetIds.map((dataset_id) => ({ reuse_id: reuseId, dataset_id })))
        .execute();
  }

  async update(trx: Kysely<any>, id: string, set: Partial<ReuseRow>) {
    await trx.updateTable('reuses').set(set).where('id', '=', id).execute();
  }

  async get(id: string, trx: Kysely<any> = this.db): Promise<ReuseRow | undefined> {
    return trx.selectFrom('reuses').selectAll().where('id', '=', id).executeTakeFirst() as Promise<
      ReuseRow | undefined
    >;
  }

  async forUpdate(trx: Kysely<any>, id: string): Promise<ReuseRow | undefined> {
    return trx.selectFrom('reuses').selectAll().where('id', '=', id).forUpdate().executeTakeFirst() as Promise<
      ReuseRow | undefined
    >;
  }

  /** The data sets each reuse uses, by reuse id. */
  async datasetIds(reuseIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(reuseIds.map((id) => [id, []]));
    if (!reuseIds.length) return out;
    const rows = await this.db
      .selectFrom('reuse_datasets')
      .select(['reuse_id', 'dataset_id'])
      .where('reuse_id', 'in', reuseIds)
      .execute();
    for (const r of rows) out.get(r.reuse_id)?.push(r.dataset_id);
    return out;
  }

  /** Shown reuses, newest first, a page of them and how many there are in all. */
  async shown(f: ReuseFilter, limit: number, offset: number): Promise<{ rows: ReuseRow[]; total: number }> {
    let q = this.db.selectFrom('reuses as r').where('r.status', '=', 'shown');
    if (f.kind) q = q.where('r.kind', '=', f.kind);
    if (f.datasetId) {
      const datasetId = f.datasetId;
      q = q.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('reuse_datasets as l')
            .select('l.reuse_id')
            .whereRef('l.reuse_id', '=', 'r.id')
            .where('l.dataset_id', '=', datasetId),
        ),
      );
    }
    const [rows, count] = await Promise.all([
      q.selectAll('r').orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(limit).offset(offset).execute(),
      q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows as ReuseRow[], total: Number(count.n) };
  }

  /** The user's own reuses, any status, newest first. */
  async ofUser(publicUserId: string, limit: number): Promise<ReuseRow[]> {
    return this.db
      .selectFrom('reuses')
      .selectAll()
      .where('public_user_id', '=', publicUserId)
      .where('status', '!=', 'withdrawn')
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute() as Promise<ReuseRow[]>;
  }

  async submittedSince(publicUserId: string, since: Date): Promise<number> {
    const r = await this.db
      .selectFrom('reuses')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('public_user_id', '=', publicUserId)
      .where('created_at', '>', since)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
