import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';

const TOKEN = 'scrape-me-please-0123456789';

describe('/metrics of the platform server', () => {
  let h: Harness;
  let without: Harness;
  beforeAll(async () => {
    h = await startHarness(testDrivers()[0]!, { NDP_METRICS_TOKEN: TOKEN });
    without = await startHarness(testDrivers()[0]!);
  });
  afterAll(async () => {
    await h.close();
    await without.close();
  });

  it('answers only the scraper with its token, counting requests by route pattern, never by the path asked', async () => {
    for (let i = 0; i < 3; i++) expect((await h.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    await h.inject({ method: 'GET', url: '/api/v1/datasets/no-such-dataset-1' });
    await h.inject({ method: 'GET', url: '/api/v1/datasets/no-such-dataset-2' });
    await h.inject({ method: 'GET', url: '/nothing/here' });
    const refused = await h.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer wrong-token-wrong-token' },
    });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('UNAUTHENTICATED');
    expect((await h.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const res = await h.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toContain('ndp_http_requests_total{method="GET",route="/healthz",status="2xx"} 3');
    expect(res.body).toMatch(
      /ndp_http_requests_total\{method="GET",route="\/api\/v1\/datasets\/:[a-zA-Z]+",status="4xx"\} 2/,
    );
    expect(res.body).not.toContain('no-such-dataset');
    expect(res.body).toContain('route="unmatched",status="4xx"} 1');
    expect(res.body).toMatch(
      /ndp_http_request_duration_ms_bucket\{method="GET",route="\/healthz",status="2xx",le="\+Inf"\} 3/,
    );
    expect(res.body).toMatch(/ndp_db_pool_connections\{state="open"\} \d+/);
    expect(res.body).toMatch(/ndp_event_loop_delay_ms\{quantile="0.99"\} \d+\.\d{3}/);
  });

  it('does not exist when no token is configured', async () => {
    expect((await without.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
  });
});
