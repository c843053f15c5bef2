#!/usr/bin/env node
// Runs the TypeScript sources directly (no build output in the repo).
import { spawn } from 'node:child_process';
import { register } from 'tsx/esm/api';

// A gateway's young generation must not shrink while traffic is quiet: V8 shrinks it after a lull and grows it back
// only slowly, and until then every exchange pays for frequent collections (bench/exchange: p99 45–110 ms after a
// minute's lull, 13–16 ms with a floor). V8 takes these sizes only at start, so `gateway run` starts itself again with
// them, tied to this process: signals are passed on, and the gateway stops if this process dies (its IPC channel closes).
const GATEWAY_HEAP = ['--min-semi-space-size=16', '--max-semi-space-size=32'];
if (process.argv[2] === 'gateway' && process.argv[3] === 'run' && !process.env.NDP_GATEWAY_PROCESS) {
  const child = spawn(process.execPath, [...GATEWAY_HEAP, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, NDP_GATEWAY_PROCESS: '1' },
  });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
} else {
  register();
  await import('../src/cli/main.ts');
}
