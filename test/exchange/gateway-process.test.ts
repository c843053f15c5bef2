import { describe, expect, it } from 'vitest';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import path from 'node:path';
import { rawEd25519 } from '../../src/exchange/protocol/pki.js';
import { freePort, startGateway, tempDir, writeJson } from './network.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('ndp gateway run, as a process', () => {
  it('runs with its heap floor, passes signals on, and does not outlive the process that started it', async () => {
    const dir = tempDir('ndp-gw-proc-');
    // no registry answers: the gateway starts without a configuration and says so, which is enough here
    const anchor = writeJson(path.join(dir, 'anchor.json'), {
      instance: 'VN',
      registryUrl: `http://127.0.0.1:${await freePort()}`,
      signingKey: rawEd25519(generateKeyPairSync('ed25519').publicKey).toString('base64url'),
    });
    const args = (sub: string) => [
      '--dir',
      path.join(dir, sub),
      '--anchor',
      anchor,
      '--id',
      randomUUID(),
      '--listen',
      '127.0.0.1:0',
      '--peer-listen',
      '127.0.0.1:0',
    ];

    const first = await startGateway(args('a'));
    expect(first.pid).not.toBe(first.child.pid);
    const metrics = await (await fetch(`http://127.0.0.1:${first.consumerPort}/metrics`)).text();
    expect(Number(/ndp_gateway_young_generation_bytes (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(
      16 * 1024 * 1024,
    );
    await first.stop(); // SIGTERM to the starter, passed on: the gateway closes its log and exits
    for (let i = 0; i < 50 && alive(first.pid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive(first.pid)).toBe(false);

    const second = await startGateway(args('b'));
    second.child.kill('SIGKILL'); // the starter dies without a word: the gateway notices its channel close
    for (let i = 0; i < 100 && alive(second.pid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive(second.pid)).toBe(false);
    await expect(fetch(`http://127.0.0.1:${second.consumerPort}/health`)).rejects.toThrow();
  }, 60_000);
});
