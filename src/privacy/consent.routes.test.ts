import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createServer } from '../platform/http.js';
import type { RegistryService } from '../exchange/registry/registry.service.js';
import { consentRoutes } from './consent.routes.js';
import type { ConsentService } from './consent.service.js';

/** The gateways' poll of withdrawals, each second from each provider gateway, must not flood the log at info. */
describe('the withdrawals feed in the log', () => {
  const serve = async (withdrawnAfter: ConsentService['withdrawnAfter']) => {
    const lines: { level: number; msg: string }[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    const app = await createServer({ logger: pino({ level: 'info' }, sink), maxUploadBytes: 1024 });
    const registry = { authenticateGateway: async () => undefined } as unknown as RegistryService;
    consentRoutes(app, { withdrawnAfter } as unknown as ConsentService, registry);
    app.get('/other', async () => ({ ok: true }));
    return { app, lines };
  };

  it('logs the gateways’ polls of withdrawals at no level an operator reads by default, other requests as before', async () => {
    const { app, lines } = await serve((async () => []) as never);
    for (let i = 0; i < 3; i++)
      expect((await app.inject({ method: 'GET', url: '/api/v1/exchange/consents/withdrawn?after=0' })).statusCode).toBe(
        200,
      );
    expect(lines.filter((l) => l.level < 40)).toEqual([]);
    await app.inject({ method: 'GET', url: '/other' });
    expect(lines.some((l) => l.msg === 'request completed')).toBe(true);
    await app.close();
  });

  it('still logs a poll that fails', async () => {
    const { app, lines } = await serve((async () => {
      throw new Error('database unreachable');
    }) as never);
    expect((await app.inject({ method: 'GET', url: '/api/v1/exchange/consents/withdrawn?after=0' })).statusCode).toBe(
      500,
    );
    expect(lines.some((l) => l.level >= 50 && l.msg === 'unhandled error')).toBe(true);
    await app.close();
  });
});
