// Loaded into a gateway with NDP_BENCH_GATEWAY_NODE_ARGS="--import $PWD/bench/exchange/gc-log.mjs": writes each
// collection over 2 ms and each event-loop stall over 10 ms, with the time, to /tmp/gc-<pid>.log (once a second, so
// that the logging does not stall the gateway itself).
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { appendFileSync } from 'node:fs';

const file = `/tmp/gc-${process.pid}.log`;
const kinds = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak',
};
let lines = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    if (e.duration > 2)
      lines.push(`${Date.now()} gc ${kinds[e.detail?.kind] ?? e.detail?.kind} ${e.duration.toFixed(1)}`);
}).observe({ entryTypes: ['gc'] });
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  if (now - last > 15) lines.push(`${Date.now()} stall ${(now - last - 5).toFixed(1)}`);
  last = now;
}, 5).unref();
setInterval(() => {
  if (lines.length) {
    appendFileSync(file, `${lines.join('\n')}\n`);
    lines = [];
  }
}, 1000).unref();
