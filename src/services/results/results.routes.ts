import type { Server } from '../../platform/http.js';
import { signedIn } from '../../accounts/guards.js';
import { presentResult, presentVerification } from './results.presenter.js';
import { HolderQuery, KeyRetirement, PastedJws, ResultId, Revocation } from './results.schema.js';
import type { ResultsService } from './results.service.js';

const tags = ['services'];

/**
 * Results through the API: the published keys (a JWKS, also at `/.well-known/ndp-result-keys.json`), verification by
 * id and proof of holding or by the whole JWS (open to anyone, the latter limited per address), and the deciding
 * agency's revocation and key retirement (staff, session with CSRF or token).
 */
export function resultsRoutes(app: Server, results: ResultsService, baseUrl: string): void {
  const jwks = { tags, summary: 'The public keys agencies sign public-service results with (JWKS; retired ones too)' };
  app.get('/api/v1/services/result-keys', { schema: jwks }, async () => results.keys());
  app.get('/.well-known/ndp-result-keys.json', { schema: { ...jwks, hide: true } }, async () => results.keys());
  app.get(
    '/api/v1/services/results/:id/verification',
    {
      schema: {
        tags,
        summary: 'Verify a result by its QR: signature, revocation, expiry; the fields only with the QR’s h',
        params: ResultId,
        querystring: HolderQuery,
      },
    },
    async (req) => presentVerification(await results.verifyById(req.params.id, req.query.h)),
  );
  app.post(
    '/api/v1/services/results/verify',
    {
      config: { publicSession: true },
      bodyLimit: 64 * 1024,
      schema: {
        tags,
        summary: 'Verify a result’s compact JWS against the published keys (60 per address in 10 minutes)',
        body: PastedJws,
      },
    },
    async (req) => presentVerification(await results.verifyJws(req.body.jws, req.ip)),
  );
  app.post(
    '/api/v1/services/results/:id/revoke',
    {
      preHandler: signedIn,
      schema: { tags, summary: 'Revoke a result (the deciding agency’s editors)', params: ResultId, body: Revocation },
    },
    async (req) => presentResult(await results.revoke(req.principal, req.params.id, req.body.reason), baseUrl),
  );
  app.post(
    '/api/v1/services/result-keys/retire',
    {
      preHandler: signedIn,
      schema: {
        tags,
        summary: 'Retire an agency’s result signing key: it verifies what it signed, signs no more (administrators)',
        body: KeyRetirement,
      },
    },
    async (req) => results.retireKey(req.principal, req.body.agency),
  );
}
