import { Type } from '@sinclair/typebox';
import type { Server } from '../../platform/http.js';
import type { DeidentifyMethod, PrivacyGate } from './privacy.service.js';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

export function privacyRoutes(app: Server, gate: PrivacyGate): void {
  const tags = ['Quality'];
  app.get(
    '/api/v1/distributions/:id/privacy',
    {
      schema: {
        tags,
        summary: 'Personal data found in the current table version, and the sign-offs (publishers)',
        params: Id,
      },
    },
    async (req) => gate.status(req.principal, req.params.id),
  );
  app.post(
    '/api/v1/distributions/:id/privacy/signoff',
    {
      schema: {
        tags,
        summary:
          'An agency administrator accepts the flagged columns of the current version for open data, with a reason on record',
        params: Id,
        body: Type.Object({ reason: Type.String({ minLength: 20, maxLength: 2000 }) }, { additionalProperties: false }),
      },
    },
    async (req, reply) => reply.status(201).send(await gate.signOff(req.principal, req.params.id, req.body.reason)),
  );
  app.post(
    '/api/v1/distributions/:id/privacy/deidentify',
    {
      schema: {
        tags,
        summary:
          'A new version of the table with columns dropped or de-identified: mask (all but the last 4 characters), hash (a key used once and forgotten), year (dates), address (no house number) (publishers)',
        params: Id,
        body: Type.Object(
          {
            columns: Type.Array(
              Type.Object(
                {
                  column: Type.String({ minLength: 1, maxLength: 120 }),
                  method: Type.Union(['drop', 'mask', 'hash', 'year', 'address'].map((m) => Type.Literal(m))),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 200 },
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await gate.deidentify(
            req.principal,
            req.params.id,
            req.body.columns as { column: string; method: DeidentifyMethod }[],
          ),
        ),
  );
}
