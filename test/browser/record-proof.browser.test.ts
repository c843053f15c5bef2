import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCheckpoint, verifierKey } from '../../src/exchange/protocol/checkpoint.js';
import { inclusionProof, rootOf } from '../../src/exchange/protocol/merkle.js';
import { verifyRecordProof, type RecordProof } from '../../src/exchange/protocol/record-proof.js';
import { testDrivers } from '../drivers.js';
import { startHarness, type Harness } from '../harness.js';
import { freePort } from '../ports.js';
import { HAS_CHROMIUM, launch } from './browser.js';

// the page's verifier in Chromium itself (WebCrypto's Ed25519 and SHA-256), on the proofs the Node verifier judges
const driver = testDrivers()[0]!;
describe.skipIf(!HAS_CHROMIUM)('a record’s proof checked in Chromium', () => {
  let h: Harness;
  let browser: Browser;
  let base = '';
  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await startHarness(driver, { NDP_BASE_URL: base });
    await h.app.server.listen({ port, host: '127.0.0.1' });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('verifies a good proof and refuses each tampered one with the reason the server gives', async () => {
    const key = generateKeyPairSync('ed25519').privateKey;
    const name = 'VN/exchange/gateway/00000000-0000-4000-8000-000000000001';
    const leaves = Array.from({ length: 1000 }, () => randomBytes(32));
    const good: RecordProof = {
      gateway: '00000000-0000-4000-8000-000000000001',
      index: 777,
      leaf: leaves[777]!.toString('base64'),
      treeSize: leaves.length,
      proof: inclusionProof(leaves, 777).map((x) => x.toString('base64')),
      checkpoint: signCheckpoint({ origin: name, size: leaves.length, root: rootOf(leaves) }, name, key),
      verifierKey: verifierKey(name, key),
    };
    const proofs = [
      good,
      { ...good, leaf: leaves[776]!.toString('base64') },
      { ...good, proof: good.proof.slice(1) },
      { ...good, treeSize: 999 },
      { ...good, checkpoint: good.checkpoint.replace('\n1000\n', '\n1001\n') },
      { ...good, verifierKey: verifierKey(name, generateKeyPairSync('ed25519').privateKey) },
    ];
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    // as text: the test runner would rewrite an import() written here
    const inBrowser = (await page.evaluate(`(async () => {
      const { verifyRecordProof } = await import('/assets/record-proof.js');
      return Promise.all(${JSON.stringify(proofs)}.map((p) => verifyRecordProof(p)));
    })()`)) as unknown[];
    expect(inBrowser[0]).toEqual({ ok: true });
    expect(inBrowser).toEqual(proofs.map((p) => verifyRecordProof(p)));
    await page.close();
  });
});
