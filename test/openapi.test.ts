import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from './drivers.js';
import { startHarness, type Harness } from './harness.js';

describe('OpenAPI 3.1 description', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(testDrivers()[0]!);
  });
  afterAll(() => h.close());

  it('documents every native API route, with a schema for each body', async () => {
    const doc = (await h.inject({ method: 'GET', url: '/api/docs/json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    const paths = Object.keys(doc.paths);
    for (const p of [
      '/api/v1/datasets',
      '/api/v1/datasets/{id}',
      '/api/v1/datasets/{id}/distributions',
      '/api/v1/units/crosswalk',
      '/api/v1/databases',
      '/api/v1/dictionary',
      '/api/v1/tokens',
      '/api/3/action/{action}',
      '/catalog.ttl',
    ]) {
      expect(paths).toContain(p);
    }
    const bodiless: string[] = [];
    for (const [p, ops] of Object.entries<
      Record<string, { requestBody?: { content: Record<string, { schema?: object }> }; summary?: string }>
    >(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.summary, `${method} ${p}`).toBeTruthy();
        if (
          ['post', 'put', 'patch'].includes(method) &&
          !p.startsWith('/api/3') &&
          !p.endsWith('/logout') &&
          !p.endsWith('/distributions') &&
          !p.endsWith('/datastore/load') &&
          // a publisher's decision on a version: the address says it all, as for a reload
          !/\/datastore\/\{version\}\/(publish|discard|current)$/.test(p) &&
          // sending a breach's notification as drafted and edited: the address says it all too
          !/\/privacy\/breaches\/\{id\}\/notify$/.test(p) &&
          // a person's one click on an offer (accept or decline): nothing to send but the decision in the address
          !/\/my\/offers\/\{id\}\/\{decision\}$/.test(p) &&
          // a prefill: the procedure in the address, the person from the session
          !/\/services\/procedures\/\{code\}\/prefill$/.test(p) &&
          // an officer takes a dossier into review: the step is the address
          !/\/services\/dossiers\/\{id\}\/take$/.test(p)
        ) {
          if (!op.requestBody) bodiless.push(`${method} ${p}`);
        }
      }
    }
    // every write that sends data has a body schema (listed all at once when some do not)
    expect(bodiless).toEqual([]);
    const docs = await h.inject({ method: 'GET', url: '/api/docs' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('href="/api/openapi.json"');
  });

  it('answers unknown routes with the coded 404', async () => {
    const res = await h.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('serves the API documentation under a Content-Security-Policy that allows no inline or foreign script', async () => {
    for (const url of ['/api/docs', '/api/docs/get-api-v1-datasets']) {
      const res = await h.inject({ method: 'GET', url });
      if (res.statusCode >= 300 && res.statusCode < 400) continue;
      expect(res.statusCode, url).toBe(200);
      const csp = String(res.headers['content-security-policy'] ?? '');
      expect(csp, url).toMatch(/script-src 'self'(;|$)/);
      expect(csp, url).toMatch(/object-src 'none'/);
      expect(csp, url).toMatch(/frame-ancestors 'none'/);
    }
  });
});
