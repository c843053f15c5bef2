import { Type } from '@sinclair/typebox';
import type { Server } from '../../platform/http.js';
import { DomainError } from '../../platform/errors.js';
import type { RegistryService } from './registry.service.js';
import { gatewayCallRoutes } from './gateway-calls.routes.js';
import { platformAdmin, signedIn } from '../../accounts/guards.js';
import {
  ClientCertificateCreate,
  ClientKeyCreate,
  GatewayRegister,
  GrantCreate,
  GrantDecision,
  ServiceCreate,
  ServicePatch,
  SubsystemCreate,
} from './registry.schema.js';
import {
  presentAccessRecord,
  presentCredentials,
  presentGateway,
  presentGrant,
  presentGrantGap,
  presentService,
  publicOpenApi,
  presentSubsystem,
} from './registry.presenter.js';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const AgencyQuery = Type.Object({ agency: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })) });

export function registryRoutes(app: Server, registry: RegistryService, instance: string): void {
  const tags = ['Exchange'];
  app.get(
    '/api/v1/exchange/anchor',
    {
      schema: {
        tags,
        summary:
          'The configuration anchor a gateway is set up with: instance, registry address, the key configurations are signed with, the internal CA',
      },
    },
    async () => registry.anchor(),
  );

  app.get(
    '/api/v1/exchange/authority',
    {
      preHandler: platformAdmin,
      schema: {
        tags,
        summary:
          'The registry’s keys in force (configuration key, CA), their announced successors, and which gateways have them (platform administrators)',
      },
    },
    async (req) => registry.authorityStatus(req.principal),
  );
  app.post(
    '/api/v1/exchange/authority/announce',
    {
      preHandler: platformAdmin,
      schema: {
        tags,
        summary:
          'Make the next configuration key and CA and announce them in every configuration (platform administrators)',
        body: Type.Object({}, { additionalProperties: false }),
      },
    },
    async (req) => registry.announceAuthority(req.principal),
  );
  app.post(
    '/api/v1/exchange/authority/switch',
    {
      preHandler: platformAdmin,
      schema: {
        tags,
        summary:
          'Sign configurations with the announced key and every gateway’s certificate with the announced CA from now on; refused while a gateway has not fetched them, unless forced (platform administrators)',
        body: Type.Object(
          {
            force: Type.Optional(
              Type.Boolean({
                description:
                  'switch even though some gateways have not fetched the next keys (they must be set up again)',
              }),
            ),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => registry.switchAuthority(req.principal, req.body.force === true),
  );
  app.post(
    '/api/v1/exchange/authority/subject-key',
    {
      preHandler: platformAdmin,
      schema: {
        tags,
        summary:
          'A new key for the keyed hashes of persons’ ids in access records made from now on; the one before is kept for finding older records until they are past their keeping time (platform administrators)',
        body: Type.Object({}, { additionalProperties: false }),
      },
    },
    async (req) => registry.rotateSubjectKey(req.principal),
  );
  app.get(
    '/api/v1/exchange/subsystems',
    { schema: { tags, summary: 'Members’ subsystems (information systems)', querystring: AgencyQuery } },
    async (req) => {
      return { subsystems: (await registry.listSubsystems(req.query.agency)).map(presentSubsystem) };
    },
  );
  app.post(
    '/api/v1/exchange/subsystems',
    {
      preHandler: signedIn,
      schema: { tags, summary: 'Register a subsystem of an agency (agency administrators)', body: SubsystemCreate },
    },
    async (req, reply) =>
      reply.status(201).send(presentSubsystem(await registry.createSubsystem(req.principal, req.body))),
  );
  const Credential = Type.Object({ id: Type.String({ format: 'uuid' }), credential: Type.String({ format: 'uuid' }) });
  app.get(
    '/api/v1/exchange/subsystems/:id/credentials',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary:
          'The subsystem’s API keys (labels and dates) and client certificates, revoked ones too (agency administrators)',
        params: Id,
      },
    },
    async (req) => presentCredentials(await registry.credentials(req.principal, req.params.id)),
  );
  app.post(
    '/api/v1/exchange/subsystems/:id/certificates',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary:
          'Register a TLS client certificate (PEM) with which the subsystem signs in to its gateway over HTTPS instead of an API key (agency administrators)',
        params: Id,
        body: ClientCertificateCreate,
      },
    },
    async (req, reply) =>
      reply.status(201).send(await registry.addClientCertificate(req.principal, req.params.id, req.body)),
  );
  app.delete(
    '/api/v1/exchange/subsystems/:id/keys/:credential',
    {
      preHandler: signedIn,
      schema: { tags, summary: 'Revoke an API key (agency administrators)', params: Credential },
    },
    async (req) => registry.revokeCredential(req.principal, req.params.id, 'key', req.params.credential),
  );
  app.delete(
    '/api/v1/exchange/subsystems/:id/certificates/:credential',
    {
      preHandler: signedIn,
      schema: { tags, summary: 'Revoke a client certificate (agency administrators)', params: Credential },
    },
    async (req) => registry.revokeCredential(req.principal, req.params.id, 'certificate', req.params.credential),
  );
  app.post(
    '/api/v1/exchange/subsystems/:id/keys',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: 'A new API key for the subsystem’s calls to its gateway — shown once (agency administrators)',
        params: Id,
        body: ClientKeyCreate,
      },
    },
    async (req, reply) =>
      reply.status(201).send(await registry.createClientKey(req.principal, req.params.id, req.body)),
  );

  app.get(
    '/api/v1/exchange/services',
    {
      schema: {
        tags,
        summary:
          'Services offered through the exchange (the internal address only for the providing agency’s administrators and the supervisor)',
        querystring: AgencyQuery,
      },
    },
    async (req) => ({
      services: (await registry.servicesFor(req.principal, req.query.agency)).map((s) =>
        presentService(s.service, instance, s.internal),
      ),
    }),
  );
  app.get(
    '/api/v1/exchange/services/:id/openapi',
    {
      schema: {
        tags,
        summary:
          'The service’s OpenAPI document (its servers only for the providing agency’s administrators and the supervisor)',
        params: Id,
      },
    },
    async (req) => {
      const s = await registry.serviceFor(req.principal, req.params.id);
      if (!s) throw new DomainError('NOT_FOUND');
      return s.internal ? s.service.openapi : publicOpenApi(s.service.openapi);
    },
  );
  app.post(
    '/api/v1/exchange/services',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: 'Offer a service of a subsystem, described by OpenAPI 3 (agency administrators)',
        body: ServiceCreate,
      },
    },
    async (req, reply) =>
      reply.status(201).send(presentService(await registry.createService(req.principal, req.body), instance, true)),
  );
  app.patch(
    '/api/v1/exchange/services/:id',
    {
      preHandler: signedIn,
      schema: { tags, summary: 'Change a service (agency administrators)', params: Id, body: ServicePatch },
    },
    async (req) => presentService(await registry.updateService(req.principal, req.params.id, req.body), instance, true),
  );

  app.get(
    '/api/v1/exchange/gateways',
    {
      preHandler: signedIn,
      schema: { tags, summary: 'Gateways with their last reports (an agency’s own; all for the supervisor)' },
    },
    async (req) => ({ gateways: (await registry.monitoring(req.principal)).map(presentGateway) }),
  );
  app.post(
    '/api/v1/exchange/gateways',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: 'Register the agency’s gateway and issue its TLS certificate (agency administrators)',
        body: GatewayRegister,
      },
    },
    async (req, reply) =>
      reply.status(201).send(presentGateway(await registry.registerGateway(req.principal, req.body))),
  );
  app.get(
    '/api/v1/exchange/gateways/:id/checkpoints',
    {
      schema: {
        tags,
        summary: 'The signed log checkpoints a gateway reported, newest first: an auditor’s copy',
        params: Id,
      },
    },
    async (req) => ({
      checkpoints: (await registry.checkpoints(req.params.id)).map((c) => ({
        size: Number(c.size),
        note: c.note,
        receivedAt: (c.received_at as Date).toISOString(),
      })),
    }),
  );

  app.get(
    '/api/v1/exchange/grants',
    {
      preHandler: signedIn,
      schema: { tags, summary: 'Grants where the agency is client or provider', querystring: AgencyQuery },
    },
    async (req) => ({
      grants: (await registry.listGrants(req.principal, req.query.agency)).map((g) => presentGrant(g, instance)),
    }),
  );
  app.get(
    '/api/v1/exchange/grants/personal-data-gaps',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: 'Grants to services returning sensitive personal data that lack a legal basis or a purpose',
        querystring: AgencyQuery,
      },
    },
    async (req) => ({
      grants: (await registry.personalDataGaps(req.principal, req.query.agency)).map((g) =>
        presentGrantGap(g, instance),
      ),
    }),
  );
  app.post(
    '/api/v1/exchange/grants',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: 'Ask for a grant (client’s administrator) or give one (provider’s administrator)',
        body: GrantCreate,
      },
    },
    async (req, reply) =>
      reply.status(201).send(presentGrant(await registry.createGrant(req.principal, req.body), instance)),
  );
  app.post(
    '/api/v1/exchange/grants/:id/decision',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: 'Approve or reject a requested grant (provider), or revoke one (either side)',
        params: Id,
        body: GrantDecision,
      },
    },
    async (req) => presentGrant(await registry.decideGrant(req.principal, req.params.id, req.body.decision), instance),
  );

  app.get(
    '/api/v1/exchange/access-records',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary:
          'Who read a person’s data through the exchange: all of it (platform administrators), or through an agency’s own services (`agency`: its administrators); each lookup audited',
        querystring: Type.Object({
          subject: Type.String({ pattern: '^[A-Z]{2}[0-9]{9,12}$' }),
          agency: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
        }),
      },
    },
    async (req) => ({
      records: (await registry.accessRecords(req.principal, req.query.subject, req.query.agency)).map(
        presentAccessRecord,
      ),
    }),
  );

  gatewayCallRoutes(app, registry);
}
