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
  accessRecords: AccessRecordQueue;
  maxBodyBytes: number;
  serviceTimeoutMs: number;
  clockSkewMs: number;
  servicePools: Map<string, Pool>;
}

export interface AccessRecord { subject: string; at: string; id: string; client: string; service: string; purpose: string | null; legalBasis: string | null; status: number }

/**
 * Subject access records waiting to be sent to the registry. Bounded: if the registry stays away
 * that long, the oldest are dropped and counted (the provider's evidence log still holds each
 * exchange, with the user as a keyed hash).
 */
export class AccessRecordQueue {
  private items: AccessRecord[] = [];
  dropped = 0;
  constructor(private readonly max = 200_000) {}
  get length(): number { return this.items.length; }
  push(r: AccessRecord): void {
    this.items.push(r);
    // trimmed in bulk, not one at a time: shifting a long array on every exchange would cost more than the exchange
    if (this.items.length > this.max + 10_000) { const over = this.items.length - this.max; this.items.splice(0, over); this.dropped += over; }
  }
  take(n: number): AccessRecord[] { return this.items.splice(0, n); }
  /** puts back what could not be sent, in front */
  giveBack(records: AccessRecord[]): void { this.items = records.concat(this.items); }
}

export const userHash = (ctx: GatewayContext, userId: string): string | null => (userId ? createHmac('sha256', ctx.userKey).update(userId).digest('base64url') : null);

/**
 * Remembers signed message ids for at least `windowMs` (twice the allowed clock skew): a request seen
 * once is refused again. Two generations, the older dropped whole when the newer is `windowMs` old: a
 * sweep over every id (hundreds of thousands under load) would stop the gateway's traffic while it ran.
 * Ids are kept per sender (a gateway, a caller of the registry) as they came, not joined to the sender's
 * name. Memory is bounded: a generation that reaches half of `maxIds` turns early, and from then on
 * `coveredSince` says since when every accepted id is still known — a request older than that could be
 * a replay of one forgotten, and the caller refuses it (under a flood, the clock window narrows).
 */
export class ReplayGuard {
  private current = new Map<string, Set<string>>();
  private previous = new Map<string, Set<string>>();
  private currentCount = 0;
  private previousCount = 0;
  private since: number;
  private previousSince: number;
  constructor(private readonly windowMs: number, now = Date.now(), private readonly maxIds = 4_000_000) {
    this.since = now;
    // nothing accepted before the start is known; the gateway fills the guard from its log before it opens
    this.previousSince = now - 2 * windowMs;
  }

  /** Every id accepted at or after this time is remembered. */
  get coveredSince(): number { return this.previousSince; }

  /** true if `id` is new from `sender` (and remembers it) */
  fresh(sender: string, id: string, now = Date.now()): boolean {
    if (now - this.since >= this.windowMs || this.currentCount >= this.maxIds / 2) {
      if (now - this.since >= 2 * this.windowMs) {
        // a whole window passed in silence: what the current generation holds was accepted before `since + windowMs`
        this.previousSince = this.since + this.windowMs;
        this.previous = new Map();
        this.previousCount = 0;
      } else {
        this.previousSince = this.since;
        this.previous = this.current;
        this.previousCount = this.currentCount;
      }
      this.current = new Map();
      this.currentCount = 0;
      this.since = now;
    }
    if (this.previous.get(sender)?.has(id)) return false;
    let ids = this.current.get(sender);
    if (!ids) { ids = new Set(); this.current.set(sender, ids); }
    if (ids.has(id)) return false;
    ids.add(id);
    this.currentCount++;
    return true;
  }
  get size(): number { return this.currentCount + this.previousCount; }
}

export function servicePool(ctx: GatewayContext, origin: string): Pool {
  let pool = ctx.servicePools.get(origin);
  if (!pool) {
    pool = new Pool(origin, { connections: 64, pipelining: 1, keepAliveTimeout: 30_000, headersTimeout: ctx.serviceTimeoutMs, bodyTimeout: ctx.serviceTimeoutMs });
    ctx.servicePools.set(origin, pool);
  }
  return pool;
}
