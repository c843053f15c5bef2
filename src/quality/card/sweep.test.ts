import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { buildDataset, buildDistribution, loadDistribution, publishDataset } from '../../../test/factories.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { probe } from './probe.js';
import { QualitySweep } from './sweep.js';

describe('availability probes', () => {
  let server: http.Server;
  let base = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/ok.csv') return res.writeHead(200, { 'content-type': 'text/csv' }).end('a,b\n');
      if (req.url === '/moved') return res.writeHead(301, { location: '/ok.csv' }).end();
      if (req.url === '/no-head') return req.method === 'HEAD' ? res.writeHead(405).end() : res.writeHead(206).end('a');
      if (req.url === '/slow') return void setTimeout(() => res.writeHead(200).end(), 2000);
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );

  it('answers 2xx, follows redirects, asks for a byte when HEAD is refused, and reports failures', async () => {
    const allow = { allowPrivate: true };
    expect(await probe(`${base}/ok.csv`, allow)).toMatchObject({ ok: true, status: 200, error: null });
    expect(await probe(`${base}/moved`, allow)).toMatchObject({ ok: true, status: 200 });
    expect(await probe(`${base}/no-head`, allow)).toMatchObject({ ok: true, status: 206 });
    expect(await probe(`${base}/gone`, allow)).toMatchObject({ ok: false, status: 404 });
    expect(await probe(`${base}/slow`, { ...allow, timeoutMs: 200 })).toMatchObject({
      ok: false,
      error: 'no answer within the deadline',
    });
  });

  it('never reaches private, local or metadata addresses unless allowed, nor other schemes', async () => {
    expect(await probe(`${base}/ok.csv`)).toMatchObject({
      ok: false,
      error: '127.0.0.1 is a private or local address',
    });
    expect((await probe('http://169.254.169.254/latest/meta-data/')).error).toMatch(/private or local/);
    expect((await probe('http://[::1]:80/')).error).toMatch(/private or local/);
    expect((await probe('http://10.0.0.7/x')).error).toMatch(/private or local/);
    expect((await probe('file:///etc/passwd', { allowPrivate: true })).error).toBe('scheme file: is not probed');
  });
});

for (const driver of testDrivers()) {
  describe(`the scheduled quality pass on ${driver.name}`, () => {
    let h: Harness;
    let server: http.Server;
    let slug = '';
    beforeAll(async () => {
      server = http.createServer((req, res) => res.writeHead(req.url === '/ok.csv' ? 200 : 404).end());
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      h = await startHarness(driver);
      const dataset = await buildDataset(h, { agency: 'bo-y-te' });
      slug = dataset.slug;
      await buildDistribution(h, { dataset, title_vi: 'Danh sách', url: `${base}/ok.csv` });
      const broken = await buildDistribution(h, { dataset, title_vi: 'Bản cũ', url: `${base}/old.csv` });
      await loadDistribution(h, broken, { content: 'ma,so\nA,1\nB,2\n' });
      await h.app.services.quality.setSuite(dataset.user.principal, broken.id, {
        checks: [{ type: 'row_count', min: 1 }],
      });
      await publishDataset(h, dataset);
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await h.close();
    });

    it('probes the links, runs the kept suites and keeps a card per data set; the card then measures availability', async () => {
      const sweep = new QualitySweep(h.app.services.quality, h.app.services.cards, { allowPrivateLinks: true });
      const lines: string[] = [];
      const r = await sweep.run((l) => lines.push(l));
      expect(r).toMatchObject({ probed: 2, unreachable: 1, runs: 1 });
      expect(lines[0]).toBe('links probed: 2 (1 not answering)');
      const card = (await h.inject({ method: 'GET', url: `/api/v1/datasets/${slug}/quality` })).json();
      expect(card.dimensions.find((d: { id: string }) => d.id === 'availability').score).toBeLessThan(100);
      expect(
        card.issues.some(
          (i: { en: string }) => i.en === 'Bản cũ: the link did not answer when probed: fix it or upload the file.',
        ),
      ).toBe(true);
      expect(card.history.map((x: { reason: string }) => x.reason)).toEqual(['schedule']);
      // and the MQA accessibility indicators are assessed now
      const mqa = (await h.inject({ method: 'GET', url: `/api/v1/datasets/${slug}/quality/metadata` })).json();
      expect(mqa.indicators.find((i: { id: string }) => i.id === 'access_url_status')).toMatchObject({
        assessed: true,
        points: 25,
      }); // one link of two answers
    });
  });
}
