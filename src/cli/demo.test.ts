import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { createLogger } from '../platform/logger.js';
import { publishDemo } from './demo.js';

describe('demo data on first start', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(testDrivers()[0]!);
    await h.app.jobs.start();
  });
  afterAll(() => h.close());

  it('publishes three real data sets once, and their tables become queryable', async () => {
    const logger = createLogger({ logLevel: 'silent' });
    expect(await publishDemo(h.app, h.database, logger)).toBe(3);
    expect(await publishDemo(h.app, h.database, logger)).toBe(0); // once only
    const search = (await h.inject({ method: 'GET', url: '/api/v1/datasets?q=dan%20so' })).json();
    expect(search.total).toBe(3);
    const provinces = search.results.find((d: { title_vi: string }) => d.title_vi.startsWith('34 tỉnh'));
    const resource = provinces.distributions[0].id;
    let total = 0;
    for (let i = 0; i < 100 && !total; i++) {
      const r = (
        await h.inject({ method: 'GET', url: `/api/3/action/datastore_search?resource_id=${resource}&limit=0` })
      ).json();
      total = r.success ? r.result.total : 0;
      if (!total) await new Promise((res) => setTimeout(res, 200));
    }
    expect(total).toBe(34);
    // The system account that published them cannot sign in.
    const login = await h.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'demo-data@ndp.invalid', password: 'x' },
    });
    expect(login.statusCode).toBe(401);
  });
});
