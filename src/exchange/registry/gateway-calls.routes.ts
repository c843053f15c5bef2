import type { Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { bodyChecker } from '../../platform/schema-messages.js';
import type { Server } from '../../platform/http.js';
import { DomainError, invalid } from '../../platform/errors.js';
import type { RegistryService } from './registry.service.js';
import { GatewayReport, ProofWindowsReport } from './registry.schema.js';

const tags = ['Exchange'];
// checked compiled, once per report of up to 2,000 records a second per gateway
const reportCheck = bodyChecker(GatewayReport);
const windowsCheck = bodyChecker(ProofWindowsReport);

/** The gateways' own calls to the registry: configuration, reports, proof windows. */
export function gatewayCallRoutes(app: Server, registry: RegistryService): void {
  // Gateways' own calls: signed by the gateway's key over the exact bytes received.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 16 * 1024 * 1024 }, (_req, body, done) =>
      done(null, body),
    );
    scope.get(
      '/api/v1/exchange/configuration',
      { schema: { tags, summary: 'The signed configuration of the calling gateway (JWS; gateway-signed request)' } },
      async (req, reply) => {
        const g = await registry.authenticateGateway('GET', req.url, req.headers, Buffer.alloc(0));
        reply.header('content-type', 'application/jose').header('cache-control', 'no-store');
        return registry.configurationFor(g);
      },
    );
    // the schemas document the bodies; each is checked after the signature over the raw bytes
    const signedJson = async <T>(req: FastifyRequest, check: ReturnType<typeof bodyChecker>) => {
      const raw = req.body as Buffer;
      const g = await registry.authenticateGateway('POST', req.url, req.headers, raw);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new DomainError('MALFORMED_JSON');
      }
      const problems = check(body);
      if (problems) throw invalid(problems.slice(0, 5));
      return { g, body: body as T };
    };
    const signed = { validatorCompiler: () => () => true };
    scope.post(
      '/api/v1/exchange/reports',
      {
        ...signed,
        schema: {
          tags,
          summary: 'A gateway reports its checkpoint, figures and subject access records (gateway-signed request)',
          body: GatewayReport,
        },
      },
      async (req) => {
        const { g, body } = await signedJson<Static<typeof GatewayReport>>(req, reportCheck);
        return registry.report(g, body);
      },
    );
    scope.post(
      '/api/v1/exchange/proof-windows',
      {
        ...signed,
        schema: {
          tags,
          summary: 'A provider gateway sends the proof windows of its log entries that made access records (signed)',
          body: ProofWindowsReport,
        },
      },
      async (req) => {
        const { g, body } = await signedJson<Static<typeof ProofWindowsReport>>(req, windowsCheck);
        return registry.receiveProofWindows(g, body);
      },
    );
  });
}
