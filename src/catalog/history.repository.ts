import { sql, type Kysely } from 'kysely';

export interface HistoryAuditRow {
  id: number;
  at: Date;
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: unknown;
}

/**
 * What the audit trail recorded of a data set and its files (never who: the history is public); private to
 * `HistoryService`. Files are found by id (`audit_entity`) and, for files since removed, by the data set the
 * record names (`audit_distribution_dataset`, migration 0037).
 */
export class HistoryRepository {
  constructor(private readonly db: Kysely<any>) {}

  events(datasetId: string, distributionIds: string[], limit: number): Promise<HistoryAuditRow[]> {
    return this.db
      .selectFrom('audit_log')
      .select(['id', 'at', 'action', 'entity_type', 'entity_id', 'before', 'after'])
      .where((eb) =>
        eb.or([
          eb.and([eb('entity_type', '=', 'dataset'), eb('entity_id', '=', datasetId)]),
          ...(distributionIds.length
            ? [eb.and([eb('entity_type', '=', 'distribution'), eb('entity_id', 'in', distributionIds)])]
            : []),
          eb.and([
            eb('entity_type', '=', 'distribution'),
            eb(sql`coalesce(after->>'datasetId', after->>'dataset_id', before->>'dataset_id')`, '=', datasetId),
          ]),
        ]),
      )
      .orderBy('id', 'desc')
      .limit(limit)
      .execute() as Promise<HistoryAuditRow[]>;
  }
}
