import type { Server } from '../../platform/http.js';
import { citizen } from '../../identity/guards.js';
import { presentPrefill } from './prefill.presenter.js';
import { PrefillIdParams, ProcedureCodeParams } from './prefill.schema.js';
import type { PrefillService } from './prefill.service.js';

const tags = ['services'];

/**
 * The prefill through the API, for a citizen signed in with the e-ID at level 2 (the public session's cookie; the
 * write needs its CSRF token in `X-CSRF-Token`).
 */
export function prefillRoutes(app: Server, prefills: PrefillService): void {
  const shown = async (p: Awaited<ReturnType<PrefillService['get']>>) =>
    presentPrefill(p, prefills.preview(p), await prefills.sourceNames(p));
  app.post(
    '/api/v1/services/procedures/:code/prefill',
    {
      config: { publicSession: true },
      preHandler: citizen({ level: 2, api: true }),
      schema: {
        tags,
        summary:
          'Fetch my facts for a procedure’s form from the registers that hold them, each with its source or why it is missing (e-ID level 2)',
        params: ProcedureCodeParams,
      },
    },
    async (req, reply) => {
      const p = await prefills.prefill(req.publicUser, req.params.code);
      return reply.status(201).send({ prefill: await shown(p) });
    },
  );
  app.get(
    '/api/v1/services/prefills/:id',
    {
      preHandler: citizen({ level: 2, api: true }),
      schema: { tags, summary: 'One of my prefills while it lasts (two hours)', params: PrefillIdParams },
    },
    async (req) => ({ prefill: await shown(await prefills.get(req.publicUser, req.params.id)) }),
  );
}
