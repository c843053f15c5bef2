import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { Server } from '../platform/http.js';
import { listAudit } from '../platform/audit.js';
import { agencyRoleOrPlatformAdmin } from './guards.js';

const AuditQuery = Type.Object(
  {
    agency_id: Type.Optional(Type.String({ format: 'uuid' })),
    entity_type: Type.Optional(Type.String({ pattern: '^[a-z_]{1,40}$' })),
    entity_id: Type.Optional(Type.String({ maxLength: 100 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);

/** Who did what: an agency's admins read their agency's trail; platform admins read all of it. */
export function auditRoutes(app: Server, db: Kysely<any>): void {
  app.get(
    '/api/v1/audit',
    {
      schema: { tags: ['accounts'], summary: 'The audit trail (newest first)', querystring: AuditQuery },
      preHandler: agencyRoleOrPlatformAdmin('agency_admin', (req) => (req.query as { agency_id?: string }).agency_id),
    },
    async (req) => {
      const q = req.query;
      const rows = await listAudit(db, {
        agencyId: q.agency_id,
        entityType: q.entity_type,
        entityId: q.entity_id,
        limit: q.limit ?? 100,
      });
      return {
        entries: rows.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          actor_user_id: r.actor_user_id,
          actor_token_id: r.actor_token_id,
          action: r.action,
          entity_type: r.entity_type,
          entity_id: r.entity_id,
          agency_id: r.agency_id,
          before: r.before,
          after: r.after,
        })),
      };
    },
  );
}
