import type { Server } from '../../platform/http.js';
import { presentShares, presentTyped, sharesCsv } from './meter.presenter.js';
import { SharesQuery, TypedQuery } from './meter.schema.js';
import { periodOf, type MeterService } from './meter.service.js';

const tags = ['services'];

/** The reuse meter's API: open to anyone, aggregates only (no person, no dossier, no value). */
export function meterRoutes(app: Server, meter: MeterService): void {
  app.get(
    '/api/v1/services/reuse',
    {
      schema: {
        tags,
        summary:
          'The share of dossiers’ fields filled from registers rather than typed, per procedure, agency or province, against the 80% goal (CSV with format=csv)',
        querystring: SharesQuery,
      },
    },
    async (req, reply) => {
      const q = req.query;
      const by = q.by ?? 'agency';
      const shares = await meter.shares({ by, agency: q.agency, ...periodOf(q.from, q.to) });
      if (q.format !== 'csv') return presentShares(shares);
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="reuse-by-${by}.csv"`);
      return reply.send(sharesCsv(shares));
    },
  );
  app.get(
    '/api/v1/services/reuse/typed',
    {
      schema: {
        tags,
        summary: 'The form fields most often typed by hand, why, and the register that would fill them',
        querystring: TypedQuery,
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await meter.typedMost({
        agency: q.agency,
        procedure: q.procedure,
        limit: q.limit ?? 20,
        ...periodOf(q.from, q.to),
      });
      return { results: presentTyped(rows) };
    },
  );
}
