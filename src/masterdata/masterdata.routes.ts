import type { Server } from '../platform/http.js';
import { platformAdmin, userOf } from '../accounts/guards.js';
import type { MasterDataService } from './masterdata.service.js';
import {
  AgencyBody,
  AgencyListQuery,
  AgencyPatch,
  CodeParam,
  CrosswalkQuery,
  KeyParam,
  LicenceBody,
  UnitListQuery,
} from './masterdata.schema.js';
import {
  presentAgency,
  presentCrosswalk,
  presentDispute,
  presentLicence,
  presentTheme,
  presentUnit,
} from './masterdata.presenter.js';

export function masterDataRoutes(app: Server, md: MasterDataService, baseUrl: string): void {
  const tags = ['master data'];
  app.get(
    '/api/v1/agencies',
    { schema: { tags, summary: 'List agencies', querystring: AgencyListQuery } },
    async (req) => {
      const q = req.query;
      const parentId = q.parent ? (await md.agency(q.parent)).id : undefined;
      const { rows, total } = await md.listAgencies({
        kind: q.kind,
        parentId,
        q: q.q,
        limit: q.limit ?? 50,
        offset: q.offset ?? 0,
      });
      return { total, agencies: rows.map(presentAgency) };
    },
  );
  app.get(
    '/api/v1/agencies/:key',
    { schema: { tags, summary: 'One agency by id, slug or identifier code', params: KeyParam } },
    async (req) => {
      return { agency: presentAgency(await md.agency(req.params.key)) };
    },
  );
  app.post(
    '/api/v1/agencies',
    { schema: { tags, summary: 'Create an agency (platform admin)', body: AgencyBody }, preHandler: platformAdmin },
    async (req, reply) => {
      return reply.status(201).send({ agency: presentAgency(await md.createAgency(userOf(req), req.body)) });
    },
  );
  app.patch(
    '/api/v1/agencies/:key',
    {
      schema: { tags, summary: 'Update an agency (platform admin)', params: KeyParam, body: AgencyPatch },
      preHandler: platformAdmin,
    },
    async (req) => {
      return { agency: presentAgency(await md.updateAgency(userOf(req), req.params.key, req.body)) };
    },
  );

  app.get(
    '/api/v1/units',
    { schema: { tags, summary: 'Search administrative units (diacritics-insensitive)', querystring: UnitListQuery } },
    async (req) => {
      const { rows, total } = await md.searchUnits({
        ...req.query,
        limit: req.query.limit ?? 50,
        offset: req.query.offset ?? 0,
      });
      return { total, units: rows.map(presentUnit) };
    },
  );
  app.get(
    '/api/v1/units/crosswalk',
    { schema: { tags, summary: 'Map a pre-2025 unit code to the new unit(s)', querystring: CrosswalkQuery } },
    async (req) => {
      return presentCrosswalk(req.query.old, await md.crosswalk(req.query.old));
    },
  );
  app.get(
    '/api/v1/units/:code',
    {
      schema: {
        tags,
        summary: 'One administrative unit, with the pre-2025 units it was formed from',
        params: CodeParam,
      },
    },
    async (req) => {
      const { unit, province, predecessors } = await md.unit(req.params.code);
      return {
        unit: presentUnit(unit),
        province: province ? presentUnit(province) : null,
        formed_from: predecessors.map((p) => ({
          code: p.old_code,
          name: p.old_name,
          level: p.old_level,
          coverage: p.coverage,
          ...presentDispute(p),
        })),
      };
    },
  );
  app.get('/api/v1/licences', { schema: { tags, summary: 'The licence register' } }, async () => ({
    licences: (await md.licences()).map(presentLicence),
  }));
  app.put(
    '/api/v1/licences',
    {
      schema: { tags, summary: 'Add or change a licence in the register (platform admin)', body: LicenceBody },
      preHandler: platformAdmin,
    },
    async (req) => {
      return { licence: presentLicence(await md.saveLicence(userOf(req), req.body)) };
    },
  );
  app.get('/api/v1/themes', { schema: { tags, summary: 'Themes: EU data themes and national sectors' } }, async () => ({
    themes: (await md.themes()).map((t) => presentTheme(t, baseUrl)),
  }));
}
