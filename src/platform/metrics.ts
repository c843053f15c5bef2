import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * The platform server's own figures in Prometheus' text format: requests per method, route pattern and
 * status class with a latency histogram, the database pool, the event loop and memory. Routes are
 * counted by their pattern (`/api/v1/datasets/:id`), never by the path asked for, so that the series
 * stay few whatever callers send; what matched no route is counted as `unmatched`.
 */
const BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000];

interface Series {
  count: number;
  sum: number;
  buckets: number[];
}

export class HttpMetrics {
  private readonly series = new Map<string, Series>();
  private readonly loop = monitorEventLoopDelay({ resolution: 20 });
  private readonly started = Date.now();
  constructor() {
    this.loop.enable();
  }

  observe(method: string, route: string | undefined, status: number, ms: number): void {
    const key = `${method}\u0000${route ?? 'unmatched'}\u0000${Math.floor(status / 100)}xx`;
    let s = this.series.get(key);
    if (!s) {
      s = { count: 0, sum: 0, buckets: new Array(BUCKETS_MS.length).fill(0) };
      this.series.set(key, s);
    }
    s.count++;
    s.sum += ms;
    for (let i = 0; i < BUCKETS_MS.length; i++) if (ms <= BUCKETS_MS[i]!) s.buckets[i]!++;
  }

  prometheus(pool: { total: number; idle: number; waiting: number }): string {
    const out: string[] = [
      '# HELP ndp_http_requests_total Requests answered, by method, route pattern and status class.',
      '# TYPE ndp_http_requests_total counter',
    ];
    const label = (key: string) => {
      const [m, r, c] = key.split('\u0000');
      return `method="${m}",route="${escapeLabel(r!)}",status="${c}"`;
    };
    for (const [k, s] of this.series) out.push(`ndp_http_requests_total{${label(k)}} ${s.count}`);
    out.push(
      '# HELP ndp_http_request_duration_ms Time to answer, in milliseconds.',
      '# TYPE ndp_http_request_duration_ms histogram',
    );
    for (const [k, s] of this.series) {
      for (const [i, b] of BUCKETS_MS.entries()) {
        out.push(`ndp_http_request_duration_ms_bucket{${label(k)},le="${b}"} ${s.buckets[i]}`);
      }
      out.push(
        `ndp_http_request_duration_ms_bucket{${label(k)},le="+Inf"} ${s.count}`,
        `ndp_http_request_duration_ms_sum{${label(k)}} ${s.sum.toFixed(3)}`,
        `ndp_http_request_duration_ms_count{${label(k)}} ${s.count}`,
      );
    }
    const mem = process.memoryUsage();
    out.push(
      '# HELP ndp_db_pool_connections Database connections open and idle; queries waiting for one.',
      '# TYPE ndp_db_pool_connections gauge',
      `ndp_db_pool_connections{state="open"} ${pool.total}`,
      `ndp_db_pool_connections{state="idle"} ${pool.idle}`,
      `ndp_db_pool_connections{state="waiting"} ${pool.waiting}`,
      '# HELP ndp_event_loop_delay_ms Delay of the event loop (a busy or blocked process answers late).',
      '# TYPE ndp_event_loop_delay_ms summary',
      `ndp_event_loop_delay_ms{quantile="0.5"} ${(this.loop.percentile(50) / 1e6).toFixed(3)}`,
      `ndp_event_loop_delay_ms{quantile="0.99"} ${(this.loop.percentile(99) / 1e6).toFixed(3)}`,
      '# HELP process_resident_memory_bytes Resident memory.',
      '# TYPE process_resident_memory_bytes gauge',
      `process_resident_memory_bytes ${mem.rss}`,
      '# HELP nodejs_heap_used_bytes JavaScript heap in use.',
      '# TYPE nodejs_heap_used_bytes gauge',
      `nodejs_heap_used_bytes ${mem.heapUsed}`,
      '# HELP process_uptime_seconds Seconds since the server started.',
      '# TYPE process_uptime_seconds gauge',
      `process_uptime_seconds ${Math.round((Date.now() - this.started) / 1000)}`,
    );
    return `${out.join('\n')}\n`;
  }

  close(): void {
    this.loop.disable();
  }
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
