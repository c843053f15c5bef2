import type { FastifyRequest } from 'fastify';
import type { Server } from '../../platform/http.js';
import { agencyRole, perRequest, signedIn, userOf } from '../../accounts/guards.js';
import type { DatasetsService } from '../../catalog/datasets.service.js';
import type { PlacesService } from './places.service.js';
import { AddCodeColumnBody, FileParams } from './places.schema.js';
import { presentDerived, presentPlaces } from './places.presenter.js';

/** Place-name columns of a file's table: what was recognised, and the publisher's code column. */
export function placesRoutes(app: Server, places: PlacesService, datasets: DatasetsService): void {
  const tags = ['DataStore'];
  const fileOf = perRequest((req: FastifyRequest) =>
    datasets.distribution(req.principal, (req.params as { id: string }).id),
  );
  const agencyOfFile = async (req: FastifyRequest) => (await fileOf(req)).dataset.agency_id;
  app.get(
    '/api/v1/distributions/:id/datastore/places',
    {
      schema: {
        tags,
        summary:
          'Columns of the current table recognised as province or commune names (2025 or pre-2025), with their match rate and unmatched values',
        params: FileParams,
      },
    },
    async (req) => presentPlaces(await places.places(req.principal, req.params.id)),
  );
  app.post(
    '/api/v1/distributions/:id/datastore/places',
    {
      schema: {
        tags,
        summary:
          'Add a column of GSO codes (text, zeros kept) to the current version, mapped from a column of place names; names with no single code stay empty, with the reason (publishers)',
        params: FileParams,
        body: AddCodeColumnBody,
      },
      preHandler: [signedIn, agencyRole('agency_editor', agencyOfFile)],
    },
    async (req, reply) =>
      reply.status(201).send(presentDerived(await places.addCodeColumn(userOf(req), req.params.id, req.body))),
  );
}
