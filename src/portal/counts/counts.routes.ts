import type { FastifyRequest } from 'fastify';
import type { Server } from '../../platform/http.js';
import type { CountsService } from './counts.service.js';
import type { Visit } from './visitors.js';

/** What counting looks at in a request (the IP as Fastify gives it, behind `trustProxy` when configured). */
export function visitOf(req: FastifyRequest): Visit {
  const header = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  return {
    method: req.method,
    ip: req.ip,
    userAgent: header('user-agent'),
    purpose: header('sec-purpose') ?? header('purpose'),
  };
}

/** The routes whose successful answers are a file's use: the file's download, and its table's page. */
const FILE_ROUTES: Record<string, 'downloads' | 'views'> = {
  '/api/v1/distributions/:id/download': 'downloads',
  '/dataset/:slug/table/:id': 'views',
};

/**
 * Counts a file's use once its answer went out whole (`onResponse`: after the response, so never in its way). The
 * data set page's views are counted by its page section, which knows the data set.
 */
export function countsHooks(app: Server, counts: CountsService): void {
  app.addHook('onResponse', async (req, reply) => {
    const what = FILE_ROUTES[req.routeOptions.url ?? ''];
    if (!what || reply.statusCode !== 200) return;
    const id = (req.params as { id?: string }).id;
    if (id && /^[0-9a-f-]{36}$/i.test(id)) counts.fileUsed(visitOf(req), id.toLowerCase(), what);
  });
  app.addHook('onClose', async () => counts.stop());
}
