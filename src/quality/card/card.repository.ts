import type { Kysely } from 'kysely';

/** The SQL of the quality card: availability probes of links, kept card snapshots and their roll-up. */
export class CardRepository {
  constructor(private readonly db: Kysely<any>) {}

  /** Links of published data sets' files, to probe for availability. */
  linksToProbe(limit: number) {
    return this.db
      .selectFrom('distributions as x')
      .innerJoin('datasets as d', 'd.id', 'x.dataset_id')
      .select(['x.id', 'x.url', 'x.dataset_id'])
      .where('d.status', '=', 'published')
      .where('x.kind', '=', 'link')
      .where('x.url', 'is not', null)
      .orderBy('x.id')
      .limit(limit)
      .execute();
  }

  async saveProbe(p: {
    id: string;
    distribution_id: string;
    url: string;
    ok: boolean;
    status: number | null;
    latency_ms: number;
    error: string | null;
  }): Promise<void> {
    await this.db.insertInto('availability_probes').values(p).execute();
  }

  /** Each file's latest probe. */
  async latestProbes(distributionIds: string[]): Promise<Map<string, { ok: boolean; probed_at: Date }>> {
    if (!distributionIds.length) return new Map();
    const rows = await this.db
      .selectFrom('availability_probes')
      .select(['distribution_id', 'ok', 'probed_at'])
      .distinctOn('distribution_id')
      .where('distribution_id', 'in', distributionIds)
      .orderBy('distribution_id')
      .orderBy('probed_at', 'desc')
      .execute();
    return new Map(
      rows.map((r) => [r.distribution_id as string, { ok: Boolean(r.ok), probed_at: r.probed_at as Date }]),
    );
  }

  async publishedDatasets(): Promise<string[]> {
    return (
      await this.db.selectFrom('datasets').select('id').where('status', '=', 'published').orderBy('id').execute()
    ).map((r) => r.id as string);
  }

  async saveCard(card: {
    id: string;
    dataset_id: string;
    agency_id: string;
    overall: number | null;
    grade: string | null;
    dimensions: unknown;
    reason: string;
  }): Promise<void> {
    await this.db
      .insertInto('quality_cards')
      .values({ ...card, dimensions: JSON.stringify(card.dimensions) })
      .execute();
  }

  cardHistory(datasetId: string, limit: number) {
    return this.db
      .selectFrom('quality_cards')
      .select(['computed_at', 'overall', 'grade', 'dimensions', 'reason'])
      .where('dataset_id', '=', datasetId)
      .orderBy('computed_at', 'desc')
      .limit(limit)
      .execute();
  }

  /** The grade of each data set's latest kept card (those with one). */
  async latestGrades(datasetIds: string[]): Promise<Map<string, string>> {
    if (!datasetIds.length) return new Map();
    const rows = await this.db
      .selectFrom('quality_cards')
      .select(['dataset_id', 'grade'])
      .distinctOn('dataset_id')
      .where('dataset_id', 'in', datasetIds)
      .orderBy('dataset_id')
      .orderBy('computed_at', 'desc')
      .execute();
    return new Map(rows.filter((r) => r.grade).map((r) => [String(r.dataset_id), String(r.grade)]));
  }

  /** The latest card of every published data set (optionally one agency's), with its agency. */
  latestCards(agencyId?: string) {
    let q = this.db
      .selectFrom('quality_cards as c')
      .innerJoin('datasets as d', 'd.id', 'c.dataset_id')
      .innerJoin('agencies as a', 'a.id', 'd.agency_id')
      .select([
        'c.dataset_id',
        'c.overall',
        'c.grade',
        'c.dimensions',
        'c.computed_at',
        'd.slug',
        'd.title_vi',
        'd.title_en',
        'a.id as agency_id',
        'a.slug as agency_slug',
        'a.name_vi as agency_name_vi',
        'a.name_en as agency_name_en',
      ])
      .distinctOn('c.dataset_id')
      .where('d.status', '=', 'published');
    if (agencyId) q = q.where('d.agency_id', '=', agencyId);
    return q.orderBy('c.dataset_id').orderBy('c.computed_at', 'desc').execute();
  }
}
