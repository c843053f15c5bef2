import { createHash, timingSafeEqual } from 'node:crypto';
import type { Database } from './database.js';
import type { Server } from './http.js';
import { DomainError } from './errors.js';
import { HttpMetrics } from './metrics.js';

/**
 * `/metrics` for a Prometheus scraper, only when `NDP_METRICS_TOKEN` is set and only with it as a bearer
 * token: the figures name routes and load, which the public need not see. Every answer is counted.
 */
export function metricsRoutes(app: Server, database: Database, token: string | undefined): HttpMetrics {
  const metrics = new HttpMetrics();
  app.addHook('onResponse', async (req, reply) => {
    metrics.observe(req.method, req.routeOptions.url, reply.statusCode, reply.elapsedTime);
  });
  app.addHook('onClose', async () => {
    metrics.close();
  });
  if (!token) return metrics;
  const want = createHash('sha256').update(token).digest();
  app.get('/metrics', { schema: { hide: true }, config: { ownCredential: true } }, async (req, reply) => {
    const auth = req.headers.authorization ?? '';
    const given = createHash('sha256')
      .update(auth.startsWith('Bearer ') ? auth.slice(7) : '')
      .digest();
    if (!timingSafeEqual(given, want))
      throw new DomainError('UNAUTHENTICATED', {
        vi: 'Cần mã truy cập số liệu (NDP_METRICS_TOKEN) để đọc /metrics.',
        en: 'Reading /metrics needs the metrics token (NDP_METRICS_TOKEN).',
      });
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(metrics.prometheus(database.poolStats()));
  });
  return metrics;
}
