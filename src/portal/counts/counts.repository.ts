import { sql, type Kysely } from 'kysely';
import type { DayCount } from './tally.js';

export interface Figures {
  views: number;
  downloads: number;
}

export type RankedBy = 'views' | 'downloads' | 'views_recent';

const plus = (column: 'views' | 'downloads', table: string) =>
  sql<number>`${sql.ref(`${table}.${column}`)} + excluded.${sql.ref(column)}`;

/** The SQL of counts (migration 0034), private to `CountsService`. */
export class CountsRepository {
  constructor(private readonly db: Kysely<any>) {}

  /** Adds a batch of days' counts to the days and to the totals, in one transaction. */
  async add(rows: DayCount[]): Promise<void> {
    if (!rows.length) return;
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('usage_daily')
        .values(
          rows.map((r) => ({
            day: r.day,
            dataset_id: r.datasetId,
            distribution_id: r.distributionId,
            views: r.views,
            downloads: r.downloads,
          })),
        )
        .onConflict((oc) =>
          oc
            .constraint('usage_daily_key')
            .doUpdateSet({ views: plus('views', 'usage_daily'), downloads: plus('downloads', 'usage_daily') }),
        )
        .execute();
      // one row per item in the totals (a batch may hold two days of the same item, at midnight)
      const totals = new Map<string, DayCount>();
      for (const r of rows) {
        const key = `${r.datasetId}|${r.distributionId ?? ''}`;
        const had = totals.get(key);
        if (had) {
          had.views += r.views;
          had.downloads += r.downloads;
        } else totals.set(key, { ...r });
      }
      await trx
        .insertInto('usage_totals')
        .values(
          [...totals.values()].map((r) => ({
            dataset_id: r.datasetId,
            distribution_id: r.distributionId,
            views: r.views,
            downloads: r.downloads,
          })),
        )
        .onConflict((oc) =>
          oc
            .constraint('usage_totals_key')
            .doUpdateSet({ views: plus('views', 'usage_totals'), downloads: plus('downloads', 'usage_totals') }),
        )
        .execute();
    });
  }

  /** Per data set: its page's views and its files' downloads, since counting began. */
  async totals(datasetIds: string[]): Promise<Map<string, Figures>> {
    if (!datasetIds.length) return new Map();
    const rows = await this.db
      .selectFrom('usage_totals')
      .select([
        sql<string>`dataset_id::text`.as('id'),
        sql<string>`coalesce(sum(views) filter (where distribution_id is null), 0)`.as('views'),
        sql<string>`coalesce(sum(downloads), 0)`.as('downloads'),
      ])
      .where('dataset_id', 'in', datasetIds)
      .groupBy('dataset_id')
      .execute();
    return new Map(rows.map((r) => [r.id, { views: Number(r.views), downloads: Number(r.downloads) }]));
  }

  /** The same since `fromDay` (inclusive), from the days. */
  async since(datasetIds: string[], fromDay: string): Promise<Map<string, Figures>> {
    if (!datasetIds.length) return new Map();
    const rows = await this.db
      .selectFrom('usage_daily')
      .select([
        sql<string>`dataset_id::text`.as('id'),
        sql<string>`coalesce(sum(views) filter (where distribution_id is null), 0)`.as('views'),
        sql<string>`coalesce(sum(downloads), 0)`.as('downloads'),
      ])
      .where('dataset_id', 'in', datasetIds)
      .where('day', '>=', sql<Date>`${fromDay}::date`)
      .groupBy('dataset_id')
      .execute();
    return new Map(rows.map((r) => [r.id, { views: Number(r.views), downloads: Number(r.downloads) }]));
  }

  /** Per file of these data sets: total views (its table page) and downloads, and those since `fromDay`. */
  async files(datasetIds: string[], fromDay: string): Promise<Map<string, Figures & { recent: Figures }>> {
    if (!datasetIds.length) return new Map();
    const rows = await this.db
      .selectFrom('usage_daily')
      .select([
        sql<string>`distribution_id::text`.as('id'),
        sql<string>`sum(views)`.as('views'),
        sql<string>`sum(downloads)`.as('downloads'),
        sql<string>`coalesce(sum(views) filter (where day >= ${fromDay}::date), 0)`.as('recent_views'),
        sql<string>`coalesce(sum(downloads) filter (where day >= ${fromDay}::date), 0)`.as('recent_downloads'),
      ])
      .where('dataset_id', 'in', datasetIds)
      .where('distribution_id', 'is not', null)
      .groupBy('distribution_id')
      .execute();
    return new Map(
      rows.map((r) => [
        r.id,
        {
          views: Number(r.views),
          downloads: Number(r.downloads),
          recent: { views: Number(r.recent_views), downloads: Number(r.recent_downloads) },
        },
      ]),
    );
  }

  /** Data sets with any count, most first (ties: id), at most `limit`. */
  async ranking(by: RankedBy, limit: number, fromDay: string): Promise<string[]> {
    const column = by === 'downloads' ? 'downloads' : 'views';
    const rows =
      by === 'views_recent'
        ? await this.db
            .selectFrom('usage_daily')
            .select(sql<string>`dataset_id::text`.as('id'))
            .where('day', '>=', sql<Date>`${fromDay}::date`)
            .where('distribution_id', 'is', null)
            .groupBy('dataset_id')
            .having(sql`sum(views)`, '>', 0)
            .orderBy(sql`sum(views)`, 'desc')
            .orderBy('dataset_id')
            .limit(limit)
            .execute()
        : await this.db
            .selectFrom('usage_totals')
            .select(sql<string>`dataset_id::text`.as('id'))
            .$if(by === 'views', (b) => b.where('distribution_id', 'is', null))
            .groupBy('dataset_id')
            .having(sql`sum(${sql.ref(column)})`, '>', 0)
            .orderBy(sql`sum(${sql.ref(column)})`, 'desc')
            .orderBy('dataset_id')
            .limit(limit)
            .execute();
    return rows.map((r) => r.id);
  }

  /** Every download counted. */
  async downloads(): Promise<number> {
    const r = await this.db
      .selectFrom('usage_totals')
      .select(sql<string>`coalesce(sum(downloads), 0)`.as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
