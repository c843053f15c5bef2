import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDrivers } from '../../../test/drivers.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { signCheckpoint } from '../protocol/checkpoint.js';
import { rootOf } from '../protocol/merkle.js';
import { generateTlsKey, rawEd25519 } from '../protocol/pki.js';
import { frontierSizes, packHashes } from '../protocol/proof-window.js';
import { verifyRecordProof } from '../protocol/record-proof.js';
import { signRegistryCall } from '../protocol/signing.js';
import { RegistryService } from './registry.service.js';

const leaves = (n: number) => Array.from({ length: n }, () => randomBytes(32));
const frontierOf = (all: Buffer[], from: number) => {
  let lo = 0;
  return frontierSizes(from).map((size) => {
    const r = rootOf(all.slice(lo, lo + size));
    lo += size;
    return r;
  });
};

for (const driver of testDrivers()) {
  describe(`proof windows in the registry (${driver.name})`, () => {
    let h: Harness;
    let registry: RegistryService;
    let gatewayId: string;
    let signing: KeyObject;
    let origin: string;
    const log = leaves(300);

    beforeAll(async () => {
      h = await startHarness(driver);
      registry = new RegistryService(h.db, {
        instance: (await h.inject({ method: 'GET', url: '/api/v1/exchange/anchor' })).json().instance,
        baseUrl: 'http://localhost',
        validityHours: 1,
        resolveAgency: async () => '',
      });
      const admin = (await h.tokenFor('000.00.00.G01', 'agency_admin')).token;
      signing = generateKeyPairSync('ed25519').privateKey;
      const gw = await h.inject({
        method: 'POST',
        url: '/api/v1/exchange/gateways',
        headers: { authorization: `Bearer ${admin}` },
        payload: {
          agency: '000.00.00.G01',
          address: 'https://10.0.0.9:8443',
          signingKey: rawEd25519(signing).toString('base64'),
          tlsPublicKey: (await generateTlsKey()).publicPem,
        },
      });
      gatewayId = gw.json().id;
      const anchor = (await h.inject({ method: 'GET', url: '/api/v1/exchange/anchor' })).json();
      origin = `${anchor.instance}/exchange/gateway/${gatewayId}`;
    });
    afterAll(() => h.close());

    /** The window [from, to) of the test log, signed as the gateway's log signs its checkpoints. */
    const window = (from: number, to: number, o: { key?: KeyObject; root?: Buffer } = {}) => ({
      from,
      frontier: packHashes(frontierOf(log, from)).toString('base64'),
      leaves: packHashes(log.slice(from, to)).toString('base64'),
      checkpoint: signCheckpoint(
        { origin, size: to, root: o.root ?? rootOf(log.slice(0, to)) },
        origin,
        o.key ?? signing,
      ),
    });
    const send = (windows: unknown[], key = signing) => {
      const body = Buffer.from(JSON.stringify({ windows }));
      const at = new Date().toISOString();
      return h.inject({
        method: 'POST',
        url: '/api/v1/exchange/proof-windows',
        payload: body,
        headers: {
          'content-type': 'application/json',
          'x-ndp-gateway': gatewayId,
          'x-ndp-timestamp': at,
          'x-ndp-signature': signRegistryCall('POST', '/api/v1/exchange/proof-windows', at, body, key),
        },
      });
    };

    it('keeps the windows a gateway sends and builds from them proofs that verify', async () => {
      const res = await send([window(0, 37), window(37, 100), window(150, 213)]);
      expect(res.json()).toEqual({ accepted: 3 });
      const refs = [36, 37, 99, 120, 150, 212, 213].map((logIndex) => ({ gatewayId, logIndex }));
      const proofs = await registry.recordProofs(refs);
      // 120 and 213 fall in no window yet
      expect(proofs.map((p) => p !== null)).toEqual([true, true, true, false, true, true, false]);
      for (const p of proofs.filter((p) => p !== null)) {
        expect(verifyRecordProof(p)).toEqual({ ok: true });
        expect(p.gateway).toBe(gatewayId);
        expect(p.verifierKey.startsWith(`${origin}+`)).toBe(true);
      }
      expect(proofs[2]).toMatchObject({ index: 99, treeSize: 100, leaf: log[99]!.toString('base64') });
    });

    it('keeps the longer of two windows from the same start (a gateway rebuilding them after a restart)', async () => {
      expect((await send([window(100, 130)])).json()).toEqual({ accepted: 1 });
      expect((await send([window(100, 120)])).json()).toEqual({ accepted: 1 });
      const [p] = await registry.recordProofs([{ gatewayId, logIndex: 125 }]);
      expect(p).toMatchObject({ treeSize: 130 });
      expect(verifyRecordProof(p!)).toEqual({ ok: true });
    });

    it('refuses a window whose root is not the checkpoint’s, or signed by another key, and keeps none of the call', async () => {
      const wrongRoot = await send([window(220, 240), window(240, 260, { root: randomBytes(32) })]);
      expect(wrongRoot.statusCode).toBe(400);
      expect(wrongRoot.json().error.details[0]).toMatchObject({ field: 'windows[1]' });
      expect(wrongRoot.json().error.details[0].en).toContain('is not the root its checkpoint signs');
      const forged = await send([window(260, 280, { key: generateKeyPairSync('ed25519').privateKey })]);
      expect(forged.statusCode).toBe(400);
      expect(forged.json().error.details[0].en).toContain('not signed by the gateway’s registered key');
      const shifted = await send([{ ...window(280, 290), from: 281 }]);
      expect(shifted.statusCode).toBe(400);
      expect(await registry.recordProofs([220, 250, 270].map((logIndex) => ({ gatewayId, logIndex })))).toEqual([
        null,
        null,
        null,
      ]);
    });

    it('serves the browser’s verifier as a plain module', async () => {
      const res = await h.inject({ method: 'GET', url: '/assets/record-proof.js' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('javascript');
      expect(res.body).toContain('export async function verifyRecordProof');
    });

    it('refuses windows from a caller that is not the gateway', async () => {
      expect((await send([window(0, 10)], generateKeyPairSync('ed25519').privateKey)).statusCode).toBe(401);
    });
  });
}
