import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';

/**
 * A gateway's figures: requests, errors and latency per service and side, quota use per grant, the
 * log's state — as JSON for the registry and the portal, and in Prometheus's text format at /metrics.
 * Latency goes into fixed buckets (ms), enough for percentiles without keeping every sample.
 */
const lateMs = (ns: number): string => Math.max(0, ns / 1e6 - 10).toFixed(3);
const BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];

/** The one label of every exchange whose service the configuration does not know (or whose caller was not known). */
export const UNKNOWN_SERVICE = 'unknown';

interface Series {
  count: number;
  /** answered 2xx or 3xx, with no X-Road error */
  ok: number;
  errors: number;
  buckets: number[];
  sum: number;
  byType: Map<string, number>;
}

export class GatewayMetrics {
  private series = new Map<string, Series>();
  /** how late the event loop runs: every exchange in the gateway waits that long behind whatever blocked it */
  readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });
  constructor() {
    this.loopDelay.enable();
  }
  /** TLS sessions other gateways opened here: with keep-alive, a handful, not one per request */
  tlsHandshakes = 0;
  /** of those, the ones that speak the link protocol (many exchanges at once on one connection) */
  linkConnections = 0;

  /**
   * One exchange. `status` is the HTTP status answered: a read the service answered 404 or 500 is an exchange, not a
   * successful read, and only those answered 2xx/3xx without an X-Road error count as `ok`.
   */
  observe(side: 'consumer' | 'provider', service: string, ms: number, errorType?: string, status?: number): void {
    const key = `${side}\u0000${service}`;
    let s = this.series.get(key);
    if (!s) {
      s = { count: 0, ok: 0, errors: 0, buckets: new Array(BUCKETS.length + 1).fill(0), sum: 0, byType: new Map() };
      this.series.set(key, s);
    }
    s.count++;
    if (!errorType && (status === undefined || status < 400)) s.ok++;
    s.sum += ms;
    let i = 0;
    while (i < BUCKETS.length && ms > BUCKETS[i]!) i++;
    s.buckets[i]!++;
    if (errorType) {
      s.errors++;
      s.byType.set(errorType, (s.byType.get(errorType) ?? 0) + 1);
    }
  }

  private percentile(s: Series, q: number): number {
    const target = q * s.count;
    let seen = 0;
    for (let i = 0; i < s.buckets.length; i++) {
      seen += s.buckets[i]!;
      if (seen >= target) return BUCKETS[i] ?? Infinity;
    }
    return Infinity;
  }

  summary() {
    return [...this.series.entries()].map(([key, s]) => {
      const [side, service] = key.split('\u0000');
      return {
        side,
        service,
        requests: s.count,
        ok: s.ok,
        errors: s.errors,
        errorTypes: Object.fromEntries(s.byType),
        meanMs: s.count ? s.sum / s.count : 0,
        p50Ms: this.percentile(s, 0.5),
        p95Ms: this.percentile(s, 0.95),
        p99Ms: this.percentile(s, 0.99),
      };
    });
  }

  prometheus(extra: {
    signing?: { signatures: number; signed: number; checks: number; verified: number };
    log: { size: number; pending: number; checkpointSize: number; failures: number; failing?: string };
    config: { version: number | null; valid: boolean; expiresAt: string | null };
    quotas: { grant: string; used: number; quota: number }[];
    accessRecords?: { waiting: number; spooledBytes: number; dropped: number; rejected?: number };
  }): string {
    const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
    const out: string[] = [
      '# HELP ndp_gateway_requests_total Exchanges handled, by side and service.',
      '# TYPE ndp_gateway_requests_total counter',
    ];
    for (const [key, s] of this.series) {
      const [side, service] = key.split('\u0000');
      out.push(`ndp_gateway_requests_total{side="${side}",service="${esc(service!)}"} ${s.count}`);
    }
    out.push(
      '# HELP ndp_gateway_errors_total Exchanges refused or failed, by X-Road error type.',
      '# TYPE ndp_gateway_errors_total counter',
    );
    for (const [key, s] of this.series) {
      const [side, service] = key.split('\u0000');
      for (const [t, n] of s.byType)
        out.push(`ndp_gateway_errors_total{side="${side}",service="${esc(service!)}",type="${esc(t)}"} ${n}`);
    }
    out.push(
      '# HELP ndp_gateway_request_duration_ms Time from request to response at this gateway.',
      '# TYPE ndp_gateway_request_duration_ms histogram',
    );
    for (const [key, s] of this.series) {
      const [side, service] = key.split('\u0000');
      const labels = `side="${side}",service="${esc(service!)}"`;
      let cumulative = 0;
      BUCKETS.forEach((b, i) => {
        cumulative += s.buckets[i]!;
        out.push(`ndp_gateway_request_duration_ms_bucket{${labels},le="${b}"} ${cumulative}`);
      });
      out.push(
        `ndp_gateway_request_duration_ms_bucket{${labels},le="+Inf"} ${s.count}`,
        `ndp_gateway_request_duration_ms_sum{${labels}} ${s.sum}`,
        `ndp_gateway_request_duration_ms_count{${labels}} ${s.count}`,
      );
    }
    out.push(
      '# HELP ndp_gateway_quota_used Requests counted today against a grant’s daily quota.',
      '# TYPE ndp_gateway_quota_used gauge',
    );
    for (const q of extra.quotas) out.push(`ndp_gateway_quota_used{grant="${q.grant}",quota="${q.quota}"} ${q.used}`);
    out.push(
      '# HELP ndp_gateway_tls_handshakes_total TLS sessions opened by other gateways.',
      '# TYPE ndp_gateway_tls_handshakes_total counter',
      `ndp_gateway_tls_handshakes_total ${this.tlsHandshakes}`,
      "# HELP ndp_gateway_young_generation_bytes Size of the JavaScript heap's young generation (a floor is set at start: shrunk after a lull, it made every exchange pay for frequent collections).",
      '# TYPE ndp_gateway_young_generation_bytes gauge',
      `ndp_gateway_young_generation_bytes ${getHeapSpaceStatistics().find((h) => h.space_name === 'new_space')?.space_size ?? 0}`,
      '# HELP ndp_gateway_link_connections_total Of those, connections speaking the link protocol (ndp-link/1).',
      '# TYPE ndp_gateway_link_connections_total counter',
      `ndp_gateway_link_connections_total ${this.linkConnections}`,
      '# HELP ndp_gateway_signatures_total Batch signatures made, and the messages they covered.',
      '# TYPE ndp_gateway_signatures_total counter',
      `ndp_gateway_signatures_total ${extra.signing?.signatures ?? 0}`,
      '# TYPE ndp_gateway_signed_messages_total counter',
      `ndp_gateway_signed_messages_total ${extra.signing?.signed ?? 0}`,
      '# HELP ndp_gateway_signature_checks_total Signature checks made, and the messages accepted (a batch is checked once).',
      '# TYPE ndp_gateway_signature_checks_total counter',
      `ndp_gateway_signature_checks_total ${extra.signing?.checks ?? 0}`,
      '# TYPE ndp_gateway_verified_messages_total counter',
      `ndp_gateway_verified_messages_total ${extra.signing?.verified ?? 0}`,
      "# HELP ndp_gateway_event_loop_delay_ms How late the gateway's event loop ran since it started (p50, p99, max).",
      '# TYPE ndp_gateway_event_loop_delay_ms gauge',
      // the histogram holds the intervals of a 10 ms timer: the delay is what exceeds 10 ms
      ...(['50', '99'] as const).map(
        (q) => `ndp_gateway_event_loop_delay_ms{quantile="0.${q}"} ${lateMs(this.loopDelay.percentile(Number(q)))}`,
      ),
      `ndp_gateway_event_loop_delay_ms{quantile="1"} ${lateMs(this.loopDelay.max)}`,
      '# TYPE ndp_gateway_log_entries gauge',
      `ndp_gateway_log_entries ${extra.log.size}`,
      '# TYPE ndp_gateway_log_pending gauge',
      `ndp_gateway_log_pending ${extra.log.pending}`,
      '# TYPE ndp_gateway_log_checkpoint_size gauge',
      `ndp_gateway_log_checkpoint_size ${extra.log.checkpointSize}`,
      '# TYPE ndp_gateway_log_write_failures_total counter',
      `ndp_gateway_log_write_failures_total ${extra.log.failures}`,
      '# TYPE ndp_gateway_log_failing gauge',
      `ndp_gateway_log_failing ${extra.log.failing ? 1 : 0}`,
      '# HELP ndp_gateway_access_records_waiting Subject access records not yet taken by the registry: in memory, and bytes held on disk.',
      '# TYPE ndp_gateway_access_records_waiting gauge',
      `ndp_gateway_access_records_waiting ${extra.accessRecords?.waiting ?? 0}`,
      '# TYPE ndp_gateway_access_records_spooled_bytes gauge',
      `ndp_gateway_access_records_spooled_bytes ${extra.accessRecords?.spooledBytes ?? 0}`,
      "# HELP ndp_gateway_access_records_dropped_total Subject access records lost past the spool's bound (each exchange is still in the evidence log).",
      '# TYPE ndp_gateway_access_records_dropped_total counter',
      `ndp_gateway_access_records_dropped_total ${extra.accessRecords?.dropped ?? 0}`,
      '# HELP ndp_gateway_access_records_rejected_total Subject access records the registry refused as malformed, not sent again (each exchange is still in the evidence log).',
      '# TYPE ndp_gateway_access_records_rejected_total counter',
      `ndp_gateway_access_records_rejected_total ${extra.accessRecords?.rejected ?? 0}`,
      '# TYPE ndp_gateway_configuration_version gauge',
      `ndp_gateway_configuration_version ${extra.config.version ?? 0}`,
      '# TYPE ndp_gateway_configuration_valid gauge',
      `ndp_gateway_configuration_valid ${extra.config.valid ? 1 : 0}`,
      '# TYPE ndp_gateway_configuration_expiry_seconds gauge',
      `ndp_gateway_configuration_expiry_seconds ${extra.config.expiresAt ? Math.round(Date.parse(extra.config.expiresAt) / 1000) : 0}`,
    );
    return `${out.join('\n')}\n`;
  }
}
