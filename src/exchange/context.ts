import { createHmac, type KeyObject } from 'node:crypto';
import { Pool } from 'undici';
import type { ConfigurationHolder } from './config-holder.js';
import type { EvidenceLog } from './evidence-log.js';
import type { GrantLimits } from './limits.js';
import type { BatchSigner, BatchVerifier } from './batch-signing.js';
import type { GatewayMetrics } from './metrics.js';

/** What a gateway's two sides share: its keys, configuration, log, limits and figures. */
export interface GatewayContext {
  holder: ConfigurationHolder;
  log: EvidenceLog;
  limits: GrantLimits;
  metrics: GatewayMetrics;
  /** Ed25519: checkpoints and calls to the registry */
  signing: KeyObject;
  /** the certificate's P-256 key (TLS), signing messages in batches */
  signer: BatchSigner;
  verifier: BatchVerifier;
  tlsKeyPem: string;
  /** keyed hash of user ids in log entries; the key stays in the gateway's folder */
  userKey: Buffer;
  replay: ReplayGuard;
  accessRecords: AccessRecord[];
  maxBodyBytes: number;
  serviceTimeoutMs: number;
  clockSkewMs: number;
  servicePools: Map<string, Pool>;
}

export interface AccessRecord { subject: string; at: string; id: string; client: string; service: string; purpose: string | null; legalBasis: string | null; status: number }

export const userHash = (ctx: GatewayContext, userId: string): string | null => (userId ? createHmac('sha256', ctx.userKey).update(userId).digest('base64url') : null);

/** Remembers signed message ids for twice the allowed clock skew: a request seen once is refused again. */
export class ReplayGuard {
  private seen = new Map<string, number>();
  private lastSweep = Date.now();
  constructor(private readonly windowMs: number) {}
  /** true if the id is new (and remembers it) */
  fresh(id: string, now = Date.now()): boolean {
    if (now - this.lastSweep > this.windowMs) {
      for (const [k, at] of this.seen) if (now - at > this.windowMs) this.seen.delete(k);
      this.lastSweep = now;
    }
    if (this.seen.has(id)) return false;
    this.seen.set(id, now);
    return true;
  }
}

export function servicePool(ctx: GatewayContext, origin: string): Pool {
  let pool = ctx.servicePools.get(origin);
  if (!pool) {
    pool = new Pool(origin, { connections: 64, pipelining: 1, keepAliveTimeout: 30_000, headersTimeout: ctx.serviceTimeoutMs, bodyTimeout: ctx.serviceTimeoutMs });
    ctx.servicePools.set(origin, pool);
  }
  return pool;
}
