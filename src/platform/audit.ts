import type { Kysely } from 'kysely';

export interface Actor {
  userId: string | null;
  tokenId: string | null;
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  agencyId?: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Appends to the audit trail. Call it with the transaction that makes the
 * change, so that the record and the change commit or fail together.
 */
export async function recordAudit(trx: Kysely<any>, actor: Actor, entry: AuditEntry): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      actor_user_id: actor.userId,
      actor_token_id: actor.tokenId,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      agency_id: entry.agencyId ?? null,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute();
}

export interface AuditRow {
  id: number;
  at: Date;
  actor_user_id: string | null;
  actor_token_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  agency_id: string | null;
  before: unknown;
  after: unknown;
}

export async function listAudit(
  db: Kysely<any>,
  filter: { entityType?: string; entityId?: string; agencyId?: string; limit: number },
): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.entityType) q = q.where('entity_type', '=', filter.entityType);
  if (filter.entityId) q = q.where('entity_id', '=', filter.entityId);
  if (filter.agencyId) q = q.where('agency_id', '=', filter.agencyId);
  return (await q.execute()) as AuditRow[];
}
