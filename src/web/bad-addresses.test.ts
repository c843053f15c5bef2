import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../test/drivers.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { citizenSession } from '../../test/citizens.js';

const PAGES = ['/verify/abc', '/my/dossiers/abc', '/my/results/abc', '/data-requests/abc', '/my-data/requests/abc'];

describe.each(testDrivers())('a malformed address (%s)', (driver) => {
  let h: Harness;
  let citizen: Awaited<ReturnType<typeof citizenSession>>;
  const page = (url: string, headers: Record<string, string> = {}) =>
    h.inject({ method: 'GET', url, headers: { accept: 'text/html,application/xhtml+xml', ...headers } });
  beforeAll(async () => {
    h = await startHarness(driver);
    citizen = await citizenSession(h, '001090000123', 'Trần Thị Bình');
  });
  afterAll(async () => h.close());

  it.each(PAGES)('%s answers a Vietnamese page saying the address is not valid', async (url) => {
    const res = await page(url, { cookie: citizen.cookie });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('<html lang="vi"');
    expect(res.body).toContain('Địa chỉ này không hợp lệ');
    expect(res.body).not.toContain('Cannot read');
    expect(res.body).not.toContain('statusCode');
    // the page still knows who is signed in: the header names the citizen, not a sign-in link
    expect(res.body).toContain('Trần Thị Bình');
  });

  it.each(PAGES)('%s?lang=en answers the same page in English', async (url) => {
    const res = await page(`${url}?lang=en`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<html lang="en"');
    expect(res.body).toContain('This address is not valid');
    expect(res.body).not.toContain('Cannot read');
  });

  it('a malformed query on a page is an invalid address too', async () => {
    const res = await page(`/verify/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}?h=${'x'.repeat(5000)}`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Địa chỉ này không hợp lệ');
  });

  it('a well-formed unknown id is still a 404 page', async () => {
    const res = await page('/verify/00000000-0000-4000-8000-000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('text/html');
  });

  it('a form whose body cannot be read still answers a page, not an internal message', async () => {
    const res = await h.inject({
      method: 'POST',
      url: '/verify?lang=en',
      headers: { accept: 'text/html', 'content-type': 'application/json', cookie: citizen.cookie },
      payload: '{"jws":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('<html lang="en"');
    expect(res.body).not.toContain('Cannot read');
  });

  it.each(['/api/v1/services/results/abc/verification', '/api/v1/data-requests/abc'])(
    'the API twin %s answers VALIDATION_FAILED in JSON',
    async (url) => {
      const res = await page(url, { cookie: citizen.cookie });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/json');
      const { error } = res.json();
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.en).toBe('This address is not valid. Check the link.');
      expect(error.details[0].field).toBe('params.id');
    },
  );

  it('a signed-out visitor to a staff page is still sent to sign in by the error page', async () => {
    const res = await page('/dashboard/services');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/signin?next=%2Fdashboard%2Fservices');
  });
});
