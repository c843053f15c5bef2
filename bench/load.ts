/** Latency percentiles and throughput of `fn` called by `clients` concurrent loops until `total` calls are done. */
export interface LoadResult {
  clients: number;
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

export async function load(clients: number, total: number, fn: (i: number) => Promise<void>): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        await fn(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return { clients, requests: total, seconds, rps: total / seconds, p50: pct(50), p95: pct(95), p99: pct(99) };
}

/** The same as `load`, for `seconds` rather than a count: figures of a run long enough to be steady, whatever the pace. */
export async function loadFor(clients: number, seconds: number, fn: (i: number) => Promise<void>): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  const until = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const i = next++;
        const t = performance.now();
        await fn(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return {
    clients,
    requests: latencies.length,
    seconds: elapsed,
    rps: latencies.length / elapsed,
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
  };
}

export const fmt = (r: LoadResult) =>
  `${String(r.clients).padStart(2)} clients  ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p95 ${r.p95.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms`;

/**
 * Open loop: `fn` started at a fixed rate for `seconds`, whatever the answers' pace, and each latency counted from the
 * moment the call was due (not when it went out), so a stall is not hidden by the calls it delayed. This is the
 * latency a hop adds when the machine is not saturated; a closed loop at full load measures queueing instead.
 */
export async function loadAtRate(rate: number, seconds: number, fn: (i: number) => Promise<void>): Promise<LoadResult> {
  const latencies: number[] = [];
  const total = Math.round(rate * seconds);
  const start = performance.now();
  const calls: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    // late: counted from when it was due (a stall is not hidden); early (timers fire up to 1 ms early): from when it was sent
    const from = Math.min(due, performance.now());
    calls.push(
      fn(i).then(() => {
        latencies.push(performance.now() - from);
      }),
    );
  }
  await Promise.all(calls);
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return {
    clients: 0,
    requests: total,
    seconds: elapsed,
    rps: total / elapsed,
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
  };
}
