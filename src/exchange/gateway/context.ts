import { createCipheriv, createDecipheriv, createHmac, randomBytes, type KeyObject } from 'node:crypto';
import { appendFile, open, stat, truncate } from 'node:fs/promises';
import { Pool } from 'undici';
import type { ConfigurationHolder } from './config-holder.js';
import type { EvidenceLog } from '../evidence/evidence-log.js';
import type { GrantLimits } from './limits.js';
import type { BatchSigner, BatchVerifier } from '../protocol/batch-signing.js';
import type { GatewayMetrics } from './metrics.js';
import type { AccessRecord } from '../protocol/access-records.js';
import type { ConsentGuard } from './consents.js';
import { ProofWindowQueue } from './proof-windows.js';

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
  /** AES-256 key under which the provider's entries keep the person's id, to rebuild access records after a crash */
  sealKey: Buffer;
  replay: ReplayGuard;
  accessRecords: AccessRecordQueue;
  consents: ConsentGuard;
  maxBodyBytes: number;
  serviceTimeoutMs: number;
  clockSkewMs: number;
  servicePools: Map<string, Pool>;
}

/**
 * Subject access records waiting to be sent to the registry. Past `max` in memory, the oldest go to a
 * spool file beside the gateway's state (NDJSON, appended in bulk) and come back, in front, whenever
 * fewer than a report's worth wait in memory: an outage of the registry for hours loses none. Only past the spool's own
 * bound (or when it cannot be written) are records dropped, and counted (the provider's evidence log
 * still holds each exchange, with the user as a keyed hash). A restarted gateway sends its whole spool
 * again; the registry keeps each record once.
 *
 * `oldest` names the first record the registry has not acknowledged (waiting, spooled or in a call): the evidence
 * log saves it with each checkpoint, and a gateway that starts again (after a crash too) rebuilds every record from
 * that entry of its log on, in place of the spool.
 */
export class AccessRecordQueue {
  private items: AccessRecord[] = [];
  dropped = 0;
  /** records the registry refused as malformed: counted and not sent again */
  rejected = 0;
  private spoolBytes = 0;
  private readOffset = 0;
  private spoolChain: Promise<void> = Promise.resolve();
  /** batches taken for a report and not yet answered */
  private inFlight = new Set<AccessRecord[]>();
  /** the first record written to the spool since it was last empty: none after it is acknowledged yet */
  private spoolOldest: AccessRecord | undefined;
  /** the entries of these records whose proof windows the registry has not acknowledged (they wait longer) */
  readonly windows = new ProofWindowQueue();
  constructor(
    private readonly max = 200_000,
    private readonly spool?: { file: string; maxBytes: number },
  ) {}

  /** A queue whose spool may hold records from before a restart. */
  static async open(max: number, spool: { file: string; maxBytes: number }): Promise<AccessRecordQueue> {
    const q = new AccessRecordQueue(max, spool);
    q.spoolBytes = await stat(spool.file).then(
      (s) => s.size,
      () => 0,
    );
    return q;
  }

  /** in memory */
  get length(): number {
    return this.items.length;
  }
  /** bytes of records in the spool not yet taken back */
  get spooledBytes(): number {
    return this.spoolBytes - this.readOffset;
  }

  push(r: AccessRecord): void {
    this.items.push(r);
    this.windows.add(r.index, r.at);
    // moved in bulk, not one at a time: shifting a long array on every exchange would cost more than the exchange
    if (this.items.length > this.max + 10_000) this.overflow(this.items.splice(0, this.items.length - this.max));
  }

  private overflow(records: AccessRecord[]): void {
    const text = `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;
    const bytes = Buffer.byteLength(text);
    if (!this.spool || this.spoolBytes + bytes > this.spool.maxBytes) {
      this.dropped += records.length;
      return;
    }
    if (this.spooledBytes === 0 || !this.spoolOldest) this.spoolOldest = records[0];
    this.spoolBytes += bytes;
    const file = this.spool.file;
    this.spoolChain = this.spoolChain
      .then(() => appendFile(file, text))
      .catch(() => {
        this.dropped += records.length;
      });
  }

  /** Brings back up to `n` of the oldest spooled records, in front, when fewer than `n` wait in memory. */
  async refill(n: number): Promise<void> {
    if (!this.spool || this.items.length >= n || this.spooledBytes === 0) return;
    await this.spoolChain;
    const limit = this.spoolBytes;
    const want = Math.min(limit - this.readOffset, Math.max(64 << 10, n * 512));
    const buf = Buffer.alloc(want);
    let read = 0;
    try {
      const f = await open(this.spool.file, 'r');
      try {
        read = (await f.read(buf, 0, want, this.readOffset)).bytesRead;
      } finally {
        await f.close();
      }
    } catch {
      read = 0;
    }
    // the file ends before what was counted into it (a write failed): what is there is all there is
    if (read < want) this.spoolBytes -= limit - (this.readOffset + read);
    const back: AccessRecord[] = [];
    let start = 0;
    for (let nl = buf.indexOf(0x0a); nl !== -1 && nl < read && back.length < n; nl = buf.indexOf(0x0a, start)) {
      try {
        back.push(JSON.parse(buf.toString('utf8', start, nl)) as AccessRecord);
      } catch {
        this.dropped++;
      }
      start = nl + 1;
    }
    // a torn last line, or a line longer than a whole read, is not a record: passed over, so the spool always drains
    if (back.length < n && start < read && (start === 0 || this.readOffset + read === this.spoolBytes)) {
      this.dropped++;
      start = read;
    }
    this.readOffset += start;
    this.items = back.concat(this.items);
    // all taken back: the file starts again, in turn with the writes (one queued meanwhile keeps it)
    if (this.readOffset === this.spoolBytes) {
      this.spoolChain = this.spoolChain
        .then(async () => {
          if (this.readOffset === this.spoolBytes) {
            await truncate(this.spool!.file, 0).catch(() => undefined);
            this.readOffset = 0;
            this.spoolBytes = 0;
            this.spoolOldest = undefined;
          }
        })
        .catch(() => undefined);
      await this.spoolChain;
    }
  }

  /** Waits for what is being written to the spool. */
  async settled(): Promise<void> {
    await this.spoolChain;
  }

  /** For a gateway that stops: what still waits in memory goes to the spool, to be sent after the restart. */
  async persist(): Promise<void> {
    if (this.spool && this.items.length) this.overflow(this.items.splice(0));
    await this.spoolChain;
  }

  /** Takes the first `n` for a report: they count as unacknowledged until `done` or `giveBack`. */
  take(n: number): AccessRecord[] {
    const taken = this.items.splice(0, n);
    if (taken.length) this.inFlight.add(taken);
    return taken;
  }
  /** the registry took them (or refused them for good) */
  done(taken: AccessRecord[]): void {
    this.inFlight.delete(taken);
  }
  /** puts back what could not be sent, in front */
  giveBack(taken: AccessRecord[]): void {
    this.inFlight.delete(taken);
    this.items = taken.concat(this.items);
  }

  /**
   * The first record, or record's proof window, not yet acknowledged by the registry (records are queued in the order
   * of their log entries): a restart rebuilds both from it on.
   */
  oldest(): { index: number; at: string } | undefined {
    let first: { index: number; at: string } | undefined = this.spooledBytes > 0 ? this.spoolOldest : undefined;
    const older = (r: { index: number; at: string } | undefined) => {
      if (r && Number.isInteger(r.index) && (!first || r.index < first.index)) first = r;
    };
    older(this.items[0]);
    for (const b of this.inFlight) older(b[0]);
    older(this.windows.oldest());
    return first ? { index: first.index, at: first.at } : undefined;
  }

  /** Lets the spool go: the records in it are rebuilt from the evidence log instead (`oldest` was saved before any of them). */
  discardSpool(): void {
    if (!this.spool) return;
    const file = this.spool.file;
    this.readOffset = 0;
    this.spoolBytes = 0;
    this.spoolOldest = undefined;
    this.spoolChain = this.spoolChain.then(() => truncate(file, 0)).catch(() => undefined);
  }
}

export const userHash = (ctx: GatewayContext, userId: string): string | null =>
  userId ? createHmac('sha256', ctx.userKey).update(userId).digest('base64url') : null;

/**
 * The person's id as the provider's log entry keeps it for the gateway alone: AES-256-GCM under `sealKey` (which
 * stays in the gateway's keys folder), so that a restart can rebuild the access records the registry has not yet
 * acknowledged; anyone else reading the log (or its archived segments) sees only the keyed hash.
 */
export function sealUser(key: Buffer, userId: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(userId, 'utf8'), c.final()]);
  return Buffer.concat([iv, body, c.getAuthTag()]).toString('base64url');
}
/** The id back, or undefined when the text was not sealed under this key. */
export function unsealUser(key: Buffer, sealed: string): string | undefined {
  try {
    const b = Buffer.from(sealed, 'base64url');
    const d = createDecipheriv('aes-256-gcm', key, b.subarray(0, 12));
    d.setAuthTag(b.subarray(b.length - 16));
    return Buffer.concat([d.update(b.subarray(12, b.length - 16)), d.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

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
  constructor(
    private readonly windowMs: number,
    now = Date.now(),
    private readonly maxIds = 4_000_000,
  ) {
    this.since = now;
    // nothing accepted before the start is known; the gateway fills the guard from its log before it opens
    this.previousSince = now - 2 * windowMs;
  }

  /** Every id accepted at or after this time is remembered. */
  get coveredSince(): number {
    return this.previousSince;
  }

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
    if (!ids) {
      ids = new Set();
      this.current.set(sender, ids);
    }
    if (ids.has(id)) return false;
    ids.add(id);
    this.currentCount++;
    return true;
  }
  get size(): number {
    return this.currentCount + this.previousCount;
  }
}

export function servicePool(ctx: GatewayContext, origin: string): Pool {
  let pool = ctx.servicePools.get(origin);
  if (!pool) {
    pool = new Pool(origin, {
      connections: 64,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      headersTimeout: ctx.serviceTimeoutMs,
      bodyTimeout: ctx.serviceTimeoutMs,
    });
    ctx.servicePools.set(origin, pool);
  }
  return pool;
}
