import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Helpers for end-to-end tests that run gateways as their own processes on loopback. */
export const NDP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/ndp.js');

export { freeLoopbackPort as freePort } from '../../src/platform/ports.js';

export function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [NDP, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => {
      stdout += d;
    });
    p.stderr.on('data', (d) => {
      stderr += d;
    });
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export interface GatewayProcess {
  child: ChildProcess;
  consumerPort: number /** the HTTPS port for the agency's systems, with --listen-tls */;
  consumerTlsPort?: number;
  providerPort: number /** the gateway's own process (bin/ndp.js starts it again with its heap settings) */;
  pid: number;
  stderr: () => string;
  stop(): Promise<void>;
}

/** Starts `ndp gateway run` and waits for its ready line. */
export function startGateway(args: string[]): Promise<GatewayProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NDP, 'gateway', 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let out = '';
    child.stderr!.on('data', (d) => {
      err += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gateway did not start:\n${err}`));
    }, 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{"ready"'));
      if (!line) return;
      clearTimeout(timer);
      const r = JSON.parse(line) as {
        consumerPort: number;
        consumerTlsPort?: number;
        providerPort: number;
        pid: number;
      };
      resolve({
        child,
        consumerPort: r.consumerPort,
        consumerTlsPort: r.consumerTlsPort,
        providerPort: r.providerPort,
        pid: r.pid,
        stderr: () => err,
        stop: () =>
          new Promise((res) => {
            if (child.exitCode !== null) return res();
            child.once('exit', () => res());
            child.kill('SIGTERM');
          }),
      });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code}:\n${err}`));
    });
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}
export function writeJson(file: string, value: unknown): string {
  writeFileSync(file, JSON.stringify(value));
  return file;
}
