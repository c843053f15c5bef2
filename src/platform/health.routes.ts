import { sql } from 'kysely';
import type { Database } from './database.js';
import type { Server } from './http.js';

export function healthRoutes(app: Server, database: Database): void {
  app.get('/healthz', { schema: { tags: ['health'], summary: 'The process is alive' } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/readyz',
    { schema: { tags: ['health'], summary: 'The database answers and migrations are applied' } },
    async (_req, reply) => {
      try {
        const r = await sql<{ n: number }>`select count(*)::int as n from ndp_migrations`.execute(database.db);
        return { status: 'ready', driver: database.driver, migrations: r.rows[0]!.n };
      } catch {
        return reply.status(503).send({ status: 'unavailable', driver: database.driver });
      }
    },
  );
}
