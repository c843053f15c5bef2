import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { toDomainError } from './http.js';

describe('a request during a database outage', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(testDrivers()[0]!);
  });
  afterAll(async () => {
    await h.app.jobs.stop();
    await h.app.server.close();
  });

  it('answers 503 with a coded, bilingual error, not 500', async () => {
    expect((await h.inject({ method: 'GET', url: '/api/v1/datasets' })).statusCode).toBe(200);
    await h.database.close();
    // a query never asked before, sorted by title: neither the search cache nor the in-memory index can answer it
    const res = await h.inject({ method: 'GET', url: '/api/v1/datasets?q=outage&sort=title_asc' });
    expect(res.statusCode).toBe(503);
    const e = res.json().error;
    expect(e.code).toBe('SERVICE_UNAVAILABLE');
    expect(e.vi).toMatch(/cơ sở dữ liệu/);
    expect(e.en).toMatch(/database/);
    expect(res.headers['retry-after']).toBeTruthy();
  });

  it('treats PostgreSQL’s connection failures the same way', () => {
    const cases: unknown[] = [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      Object.assign(new Error('sorry, too many clients already'), { code: '53300' }),
      Object.assign(new Error('connection failure'), { code: '08006' }),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
    ];
    for (const err of cases) expect(toDomainError(err).code, String(err)).toBe('SERVICE_UNAVAILABLE');
    expect(toDomainError(Object.assign(new Error('x'), { code: '22012' })).code).toBe('INTERNAL');
  });
});
