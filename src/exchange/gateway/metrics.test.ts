import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from './metrics.js';

describe("a gateway's figures", () => {
  it('counts as successful only the reads the service answered 2xx/3xx without an X-Road error', () => {
    const m = new GatewayMetrics();
    m.observe('provider', 'GOV/G01/people/v1', 3, undefined, 200);
    m.observe('provider', 'GOV/G01/people/v1', 3, undefined, 404);
    m.observe('provider', 'GOV/G01/people/v1', 3, 'Server.ServerProxy.AccessDenied', 403);
    m.observe('provider', 'GOV/G01/people/v1', 3, undefined, 304);
    const [s] = m.summary();
    m.loopDelay.disable();
    expect(s).toMatchObject({ requests: 4, ok: 2, errors: 1 });
  });
});
