import { Type } from '@sinclair/typebox';
import type { Server } from '../../platform/http.js';
import type { CardService } from './card.service.js';

/** The quality card of a data set, its metadata score (MQA), and the roll-up per agency and nationwide. */
export function cardRoutes(app: Server, cards: CardService, agencyIdOf: (key: string) => Promise<string>): void {
  const tags = ['Quality'];
  app.get(
    '/api/v1/datasets/:id/quality/metadata',
    {
      schema: {
        tags,
        summary:
          "Metadata quality by data.europa.eu's MQA method: five dimensions, 405 points, and the fixes that would gain most",
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
      },
    },
    async (req) => cards.metadata(req.principal, req.params.id),
  );
  app.get(
    '/api/v1/datasets/:id/quality',
    {
      schema: {
        tags,
        summary:
          'The quality card: nine dimensions scored 0–100 (Decision 1437/QĐ-TTg), overall score and grade, every shortfall with its fix and gain, and the history',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
      },
    },
    async (req) => cards.card(req.principal, req.params.id),
  );
  app.get(
    '/api/v1/quality/agencies',
    {
      schema: {
        tags,
        summary:
          'Quality per agency and nationwide: the average of each dimension over the latest cards of published data sets, a ranking, the worst data sets (public)',
        querystring: Type.Object(
          { agency: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => cards.rollup(req.query.agency ? await agencyIdOf(req.query.agency) : undefined),
  );
}
