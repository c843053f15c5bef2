import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createServer, type Server } from '../platform/http.js';
import {
  agencyRole,
  agencyRoleOrPlatformAdmin,
  perRequest,
  platformAdmin,
  signedIn,
  signedInPage,
  userOf,
} from './guards.js';
import { ANONYMOUS, type Principal } from './principal.js';

const AGENCY = '00000000-0000-4000-8000-000000000001';
const user = (over: Partial<Extract<Principal, { kind: 'user' }>> = {}): Principal => ({
  kind: 'user',
  userId: 'u1',
  name: 'Cán bộ',
  email: 'canbo@example.gov.vn',
  isPlatformAdmin: false,
  roles: new Map([[AGENCY, 'agency_editor']]),
  via: 'session',
  tokenId: null,
  ...over,
});

// who calls is read from a test header, as auth.hook.ts would resolve it before any route hook
const CALLERS: Record<string, Principal> = {
  none: ANONYMOUS,
  editor: user(),
  token: user({ via: 'token', tokenId: 't1' }),
  admin: user({ isPlatformAdmin: true, roles: new Map() }),
  adminToken: user({ via: 'token', tokenId: 't2', roles: new Map([[AGENCY, 'agency_admin']]) }),
};

describe('route guards', () => {
  let app: Server;
  let reads = 0;
  beforeAll(async () => {
    app = await createServer({ logger: pino({ level: 'silent' }), maxUploadBytes: 1024 });
    app.decorateRequest('principal', null as never);
    app.addHook('preHandler', async (req) => {
      req.principal = CALLERS[String(req.headers['x-test-caller'] ?? 'none')] ?? ANONYMOUS;
    });
    const who = async (req: Parameters<typeof userOf>[0]) => ({ email: userOf(req).email });
    app.get('/api/me', { preHandler: signedIn }, who);
    app.get('/api/admin', { preHandler: platformAdmin }, who);
    app.get('/page', { preHandler: signedInPage() }, who);
    app.post('/page/form', { preHandler: signedInPage() }, who);
    app.post('/page/exchange', { preHandler: signedInPage('/dashboard/exchange') }, who);
    app.get(
      '/agency/:id',
      { preHandler: [signedIn, agencyRole('agency_admin', (req) => (req.params as { id: string }).id)] },
      who,
    );
    app.get(
      '/agency/:id/edit',
      { preHandler: agencyRole('agency_editor', (req) => (req.params as { id: string }).id) },
      who,
    );
    app.get(
      '/trail',
      { preHandler: agencyRoleOrPlatformAdmin('agency_admin', (req) => (req.query as { agency?: string }).agency) },
      who,
    );
    const record = perRequest(async (req) => {
      reads += 1;
      return { agencyId: (req.params as { id: string }).id };
    });
    app.get(
      '/record/:id',
      { preHandler: agencyRole('agency_editor', async (req) => (await record(req)).agencyId) },
      async (req) => ({ agency: (await record(req)).agencyId, reads }),
    );
    await app.ready();
  });
  afterAll(() => app.close());

  const call = (method: 'GET' | 'POST', url: string, caller: string) =>
    app.inject({ method, url, headers: { 'x-test-caller': caller } });

  it('lets a signed-in caller through to the handler, and refuses an anonymous one with 401 in both languages', async () => {
    expect((await call('GET', '/api/me', 'token')).json()).toEqual({ email: 'canbo@example.gov.vn' });
    const refused = await call('GET', '/api/me', 'none');
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('admits only a platform administrator signed in by session', async () => {
    expect((await call('GET', '/api/admin', 'admin')).statusCode).toBe(200);
    expect((await call('GET', '/api/admin', 'editor')).statusCode).toBe(403);
    expect((await call('GET', '/api/admin', 'none')).statusCode).toBe(401);
  });

  it('sends a stranger to the sign-in page and back: the page itself, the dashboard after a form, or where the route says', async () => {
    expect((await call('GET', '/page', 'editor')).statusCode).toBe(200);
    const page = await call('GET', '/page?x=1', 'none');
    expect([page.statusCode, page.headers.location]).toEqual([303, '/signin?next=%2Fpage%3Fx%3D1']);
    // an API token is not a session: pages are for people in a browser
    expect((await call('GET', '/page', 'token')).headers.location).toBe('/signin?next=%2Fpage');
    expect((await call('POST', '/page/form', 'none')).headers.location).toBe('/signin?next=%2Fdashboard');
    expect((await call('POST', '/page/exchange', 'none')).headers.location).toBe(
      '/signin?next=%2Fdashboard%2Fexchange',
    );
  });

  it('checks the role in the agency the route names, a platform administrator holding every role', async () => {
    expect((await call('GET', `/agency/${AGENCY}/edit`, 'editor')).statusCode).toBe(200);
    expect((await call('GET', `/agency/${AGENCY}`, 'editor')).statusCode).toBe(403);
    expect((await call('GET', `/agency/${AGENCY}`, 'admin')).statusCode).toBe(200);
    expect((await call('GET', '/agency/00000000-0000-4000-8000-000000000002/edit', 'editor')).statusCode).toBe(403);
    expect((await call('GET', `/agency/${AGENCY}`, 'none')).statusCode).toBe(401);
  });

  it('asks for the role in the agency the request names, and for a platform administrator when it names none', async () => {
    expect((await call('GET', '/trail', 'admin')).statusCode).toBe(200);
    expect((await call('GET', '/trail', 'editor')).statusCode).toBe(403);
    expect((await call('GET', '/trail', 'none')).statusCode).toBe(401);
    expect((await call('GET', `/trail?agency=${AGENCY}`, 'editor')).statusCode).toBe(403);
    expect((await call('GET', `/trail?agency=${AGENCY}`, 'admin')).statusCode).toBe(200);
    expect((await call('GET', `/trail?agency=${AGENCY}`, 'adminToken')).statusCode).toBe(200);
  });

  it('reads the record a route names once, for the guard and the handler both', async () => {
    reads = 0;
    const res = await call('GET', `/record/${AGENCY}`, 'editor');
    expect(res.json()).toEqual({ agency: AGENCY, reads: 1 });
    expect((await call('GET', '/record/00000000-0000-4000-8000-000000000002', 'editor')).statusCode).toBe(403);
    expect(reads).toBe(2);
  });
});
