import http from 'node:http';
import tls from 'node:tls';
import https from 'node:https';
import { createPrivateKey, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { ConfigurationHolder } from './config-holder.js';
import type { Anchor } from '../protocol/configuration.js';
import { AccessRecordQueue, ReplayGuard, unsealUser, type GatewayContext } from './context.js';
import { EvidenceLog } from '../evidence/evidence-log.js';
import { BatchSigner, BatchVerifier } from '../protocol/batch-signing.js';
import { GrantLimits } from './limits.js';
import { GatewayMetrics } from './metrics.js';
import { gatewayKeys } from '../protocol/pki.js';
import { TAKEN_IDS, handleLinkRequest, handleProvider } from './provider.js';
import { handleConsumer, MAX_HEAD, ProviderGateways } from './consumer.js';
import { LINK_PROTOCOL } from './link-frames.js';
import { serveLink } from './link-server.js';
import { sendXRoadError, XRoadError } from '../protocol/xroad-errors.js';
import { registryGet, report, shipAccessRecords, waitingForRegistry } from './reporting.js';
import { ConsentGuard } from './consents.js';
import { admin } from './internal-routes.js';

export interface GatewayOptions {
  dir: string;
  anchor: Anchor;
  gatewayId: string;
  consumer: { host: string; port: number };
  provider: { host: string; port: number };
  configIntervalMs?: number;
  reportIntervalMs?: number;
  accessRecordIntervalMs?: number;
  checkpointMs?: number;
  graceMs?: number;
  maxBodyBytes?: number;
  serviceTimeoutMs?: number;
  clockSkewMs?: number;
  /** how often a provider gateway enforcing consent asks the registry for withdrawals (1 s) */
  consentIntervalMs?: number;
  /** past this without an answer from the registry, calls relying on consent are refused (30 s) */
  consentStaleMs?: number;
  /** how much of the subject access records the registry has not taken yet may wait on disk (1 GiB) */
  accessRecordSpoolBytes?: number;
  /** speak the link protocol to other gateways (default); false: HTTPS only, as before it existed */
  link?: boolean;
  /** also take the agency's systems' calls over HTTPS, where a system may sign in with a registered client certificate */
  consumerTls?: { host: string; port: number };
  onEvent?: (e: { level: 'info' | 'warn' | 'error'; msg: string }) => void;
}

/**
 * One agency's gateway: a consumer side for the agency's own systems (HTTP on the internal network,
 * and HTTPS where asked; X-Road REST; API keys or pinned client certificates; also /health, /metrics,
 * /listClients and the log's proofs) and a
 * provider side for other gateways (mutual TLS). Stateless apart from its keys, its last good
 * configuration and its evidence log, all in `dir`.
 */
export class Gateway {
  private constructor(
    private readonly ctx: GatewayContext,
    private readonly consumerServer: http.Server,
    private readonly consumerTlsServer: https.Server | undefined,
    private readonly providerServer: tls.Server,
    private readonly providerHttp: http.Server,
    private readonly peerSockets: Set<tls.TLSSocket>,
    private readonly gateways: ProviderGateways,
    private readonly timers: NodeJS.Timeout[],
    private readonly o: GatewayOptions,
  ) {}

  get consumerPort(): number {
    return (this.consumerServer.address() as AddressInfo).port;
  }
  /** the HTTPS port for the agency's systems, when there is one */
  get consumerTlsPort(): number | undefined {
    return (this.consumerTlsServer?.address() as AddressInfo | null)?.port;
  }
  get providerPort(): number {
    return (this.providerServer.address() as AddressInfo).port;
  }
  get log(): EvidenceLog {
    return this.ctx.log;
  }
  get context(): GatewayContext {
    return this.ctx;
  }

  static async start(o: GatewayOptions): Promise<Gateway> {
    const say = o.onEvent ?? (() => undefined);
    const keys = await gatewayKeys(path.join(o.dir, 'keys'));
    const userKeyFile = path.join(o.dir, 'keys', 'user-hash.key');
    const secret = (file: string) =>
      readFile(file).catch(async () => {
        const k = randomBytes(32);
        await writeFile(file, k, { mode: 0o600, flag: 'wx' });
        return k;
      });
    const userKey = await secret(userKeyFile);
    const sealKey = await secret(path.join(o.dir, 'keys', 'user-seal.key'));
    const holder = new ConfigurationHolder({
      anchor: o.anchor,
      gatewayId: o.gatewayId,
      key: keys.signing,
      stateDir: path.join(o.dir, 'state'),
      intervalMs: o.configIntervalMs ?? 60_000,
      graceMs: o.graceMs,
      onEvent: (msg) => say({ level: 'info', msg }),
    });
    const origin = `${o.anchor.instance}/exchange/gateway/${o.gatewayId}`;
    const limits = new GrantLimits();
    const consents = new ConsentGuard(limits, o.consentStaleMs);
    // today's quota use survives a restart (the provider's entries name the grant each allowed call used)…
    const clockSkewMs = o.clockSkewMs ?? 120_000;
    const started = Date.now();
    const replayGuard = new ReplayGuard(clockSkewMs * 2, started);
    // …and so do the ids of requests taken in the last two clock windows: a restart opens no gap for replays
    const recentSince = started - 4 * clockSkewMs;
    await mkdir(path.join(o.dir, 'state'), { recursive: true });
    const accessRecords = await AccessRecordQueue.open(200_000, {
      file: path.join(o.dir, 'state', 'access-records.spool'),
      maxBytes: o.accessRecordSpoolBytes ?? 1024 ** 3,
    });
    // the first access record the registry had not acknowledged at the last checkpoint: from it on they are rebuilt.
    // With no saved state to say so (a gateway killed before its first checkpoint, or a state that does not hold),
    // every entry of the log is read for them: the registry keeps each record once, so sending one twice costs nothing
    let accessFrom: { index: number; at: number } | undefined = { index: 0, at: 0 };
    const rebuild = rebuildAccessRecords(sealKey, accessRecords);
    // (today's counts up to the last checkpoint come back from the log's saved state; the entries after it are counted)
    const replay = (line: Buffer, afterSnapshot: boolean, index: number) => {
      const rebuilding = accessFrom !== undefined && index >= accessFrom.index;
      // the provider's entries start with their time: one not wanted is passed over before any JSON is read
      if (line.subarray(0, PROVIDER_ENTRY.length).equals(PROVIDER_ENTRY)) {
        const at = Date.parse(line.toString('latin1', PROVIDER_ENTRY.length, PROVIDER_ENTRY.length + 24));
        if (!rebuilding && !(afterSnapshot && limits.isToday(at)) && !(at >= recentSince)) return;
      } else if (!line.includes('"side":"provider"')) return;
      const e = JSON.parse(line.toString('utf8')) as ProviderEntry;
      const at = Date.parse(e.at ?? '');
      if (afterSnapshot && e.grant && limits.isToday(at)) limits.restore(e.grant, at);
      if (afterSnapshot && e.consent && e.error == null && limits.isToday(at)) consents.restoreUse(e.consent, at);
      if (at >= recentSince && e.peer && e.id && (e.error == null || TAKEN_IDS.has(e.error)))
        replayGuard.fresh(e.peer, e.id, at);
      if (rebuilding) rebuild(e, index);
    };
    const log = await EvidenceLog.open(path.join(o.dir, 'log'), {
      origin,
      keyName: origin,
      key: keys.signing,
      checkpointMs: o.checkpointMs ?? 1000,
      replay,
      // read back from the last few minutes only (today's counts before the saved state come with its snapshot), or
      // from the first access record not acknowledged
      replaySince: () => Math.min(recentSince, accessFrom?.at ?? recentSince),
      snapshot: (appended) => {
        const first = accessRecords.oldest();
        return {
          limits: limits.snapshot(),
          accessFrom: first ? { index: first.index, at: Date.parse(first.at) } : { index: appended, at: Date.now() },
        };
      },
      restore: (v) => {
        // a state saved before access records were rebuilt holds the quota counts alone
        const saved = v as { limits?: unknown; accessFrom?: { index?: unknown; at?: unknown } } | unknown[];
        accessFrom = undefined;
        if (Array.isArray(saved)) return limits.restoreSnapshot(saved);
        limits.restoreSnapshot(saved?.limits);
        const from = saved?.accessFrom;
        if (from && Number.isSafeInteger(from.index) && Number.isFinite(from.at)) {
          accessFrom = { index: from.index as number, at: from.at as number };
          // every record in the spool came at or after it, and is rebuilt from the log with the rest
          accessRecords.discardSpool();
        }
      },
    });
    if (accessFrom && accessRecords.length)
      say({
        level: 'info',
        msg: `${accessRecords.length} subject access records not acknowledged by the registry before the gateway stopped were rebuilt from its log (entry ${accessFrom.index} on)`,
      });
    void log.audit.then((r) => {
      if (!r.ok) say({ level: 'error', msg: `${r.problem}; exchanges are refused until the log is repaired` });
    });
    const ctx: GatewayContext = {
      holder,
      log,
      limits,
      metrics: new GatewayMetrics(),
      signing: keys.signing,
      signer: new BatchSigner(createPrivateKey(keys.tlsKeyPem)),
      verifier: new BatchVerifier(),
      tlsKeyPem: keys.tlsKeyPem,
      userKey,
      sealKey,
      replay: replayGuard,
      accessRecords,
      consents,
      maxBodyBytes: o.maxBodyBytes ?? 16 * 1024 * 1024,
      serviceTimeoutMs: o.serviceTimeoutMs ?? 30_000,
      clockSkewMs,
      servicePools: new Map(),
    };
    const gateways = new ProviderGateways(ctx, o.link ?? true);
    // answered even when the peer's certificate fails, so the caller gets an X-Road error, not a broken handshake
    const providerHttp = http.createServer((req, res) => {
      handleProvider(ctx, req, res).catch((err) => {
        say({ level: 'error', msg: `provider side: ${(err as Error).message}` });
        if (!res.headersSent) sendXRoadError(res, new XRoadError('Server.ServerProxy.ServiceFailed'));
      });
    });
    // one TLS port for both: a peer that offers the link protocol (ALPN) gets it, any other is served HTTPS
    const providerServer = tls.createServer({
      key: keys.tlsKeyPem,
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.3',
      ALPNProtocols: (o.link ?? true) ? [LINK_PROTOCOL, 'http/1.1'] : ['http/1.1'],
    });
    const peerSockets = new Set<tls.TLSSocket>();
    providerServer.on('secureConnection', (socket: tls.TLSSocket) => {
      ctx.metrics.tlsHandshakes++;
      peerSockets.add(socket);
      socket.once('close', () => peerSockets.delete(socket));
      if (socket.alpnProtocol === LINK_PROTOCOL) {
        ctx.metrics.linkConnections++;
        // a peer whose certificate failed gets only refusals: it may not make the gateway hold large frames for it
        serveLink(socket, (r, s) => handleLinkRequest(ctx, r, s), {
          maxFrame: socket.authorized ? ctx.maxBodyBytes + MAX_HEAD : MAX_HEAD,
          maxInFlight: 1024,
          idleMs: 65_000,
          onError: (err) => say({ level: 'warn', msg: `link from a gateway: ${err.message}` }),
        });
      } else {
        providerHttp.emit('connection', socket);
      }
    });
    // the agency's systems over HTTPS: the gateway's own certificate; a system's certificate is not chained but pinned
    // (self-signed ones are common inside an agency), so it is asked for and then checked against the configuration
    const consumerTlsServer = o.consumerTls
      ? https.createServer({ key: keys.tlsKeyPem, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' })
      : undefined;
    holder.onChange = (view) => {
      providerServer.setSecureContext({ key: keys.tlsKeyPem, cert: view.self.certificate, ca: view.c.ca });
      consumerTlsServer?.setSecureContext({ key: keys.tlsKeyPem, cert: view.self.certificate });
      say({ level: 'info', msg: `configuration version ${view.c.version} in force until ${view.c.expiresAt}` });
    };
    await holder.start();
    if (!holder.current()) say({ level: 'warn', msg: `no valid configuration yet: ${holder.status().lastError}` });
    const onConsumer = (req: http.IncomingMessage, res: http.ServerResponse) => {
      (admin(ctx, req, res) ? Promise.resolve() : handleConsumer(ctx, gateways, req, res)).catch((err) => {
        say({ level: 'error', msg: `consumer side: ${(err as Error).message}` });
        if (!res.headersSent) sendXRoadError(res, new XRoadError('Server.ClientProxy.NetworkError'));
      });
    };
    const consumerServer = http.createServer(onConsumer);
    consumerTlsServer?.on('request', onConsumer);
    for (const s of [consumerServer, providerHttp, ...(consumerTlsServer ? [consumerTlsServer] : [])]) {
      s.keepAliveTimeout = 65_000;
      s.headersTimeout = 66_000;
    }
    const listen = (server: http.Server | tls.Server, at: { host: string; port: number }) =>
      new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(at.port, at.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    try {
      await Promise.all([
        listen(consumerServer, o.consumer),
        listen(providerServer, o.provider),
        ...(consumerTlsServer && o.consumerTls ? [listen(consumerTlsServer, o.consumerTls)] : []),
      ]);
    } catch (err) {
      // a port taken: close what did open, stop the timers, and say so
      holder.stop();
      consumerServer.close();
      consumerTlsServer?.close();
      providerServer.close();
      await log.close();
      throw err;
    }
    const failed = (err: unknown) =>
      say({ level: 'warn', msg: `report to the registry failed: ${(err as Error).message}` });
    // figures and the checkpoint every 10 s; access records every second, in small batches, so that neither side
    // ever stops for long to serialise or store a large one
    let shipping = false;
    let syncingConsents = false;
    const timers = [
      setInterval(() => {
        void report(ctx, o).catch(failed);
      }, o.reportIntervalMs ?? 10_000),
      setInterval(() => {
        if (shipping || !waitingForRegistry(ctx)) return;
        shipping = true;
        void shipAccessRecords(ctx, o)
          .catch(failed)
          .finally(() => {
            shipping = false;
          });
      }, o.accessRecordIntervalMs ?? 1000),
      setInterval(() => {
        if (syncingConsents || !enforcesConsent(ctx)) return;
        syncingConsents = true;
        void ctx.consents
          .sync((after) => registryGet(ctx, o, `/api/v1/exchange/consents/withdrawn?after=${after}`))
          .catch((err) => say({ level: 'warn', msg: `withdrawals of consent: ${(err as Error).message}` }))
          .finally(() => {
            syncingConsents = false;
          });
      }, o.consentIntervalMs ?? 1000),
    ];
    for (const t of timers) t.unref();
    return new Gateway(
      ctx,
      consumerServer,
      consumerTlsServer,
      providerServer,
      providerHttp,
      peerSockets,
      gateways,
      timers,
      o,
    );
  }

  /** Sends the registry the latest checkpoint, figures and subject access records now. */
  async report(): Promise<void> {
    await report(this.ctx, this.o);
    if (waitingForRegistry(this.ctx)) await shipAccessRecords(this.ctx, this.o, true);
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.ctx.metrics.loopDelay.disable();
    this.ctx.holder.stop();
    this.gateways.close();
    for (const p of this.ctx.servicePools.values()) void p.close();
    this.consumerServer.closeAllConnections?.();
    this.consumerTlsServer?.closeAllConnections?.();
    this.providerHttp.closeAllConnections?.();
    for (const s of this.peerSockets) s.destroy();
    await Promise.all([
      new Promise((r) => this.consumerServer.close(r)),
      new Promise((r) => this.providerServer.close(r)),
      ...(this.consumerTlsServer ? [new Promise((r) => this.consumerTlsServer!.close(r))] : []),
    ]);
    await this.report().catch(() => undefined);
    // what the registry did not take before the stop waits on disk for the next start
    await this.ctx.accessRecords.persist();
    await this.ctx.log.close();
  }
}

/** How every provider entry begins (`provider.ts` writes `v`, `side` and `at` first). */
const PROVIDER_ENTRY = Buffer.from('{"v":1,"side":"provider","at":"');

/** What the start reads of a provider's entry. */
interface ProviderEntry {
  grant?: string | null;
  consent?: string;
  at?: string;
  peer?: string | null;
  id?: string;
  error?: string | null;
  status?: number;
  client?: string | null;
  service?: string;
  purpose?: string | null;
  legalBasis?: string | null;
  represented?: string;
  userSealed?: string;
}

/** An access record made again from its exchange's entry (one that kept the person's id sealed for this gateway). */
function rebuildAccessRecords(sealKey: Buffer, queue: AccessRecordQueue) {
  return (e: ProviderEntry, index: number): void => {
    // the provider seals the person's id exactly in the entries that made an access record (refusals included)
    if (!e.userSealed || !e.id || !e.client || !e.service || !e.at) return;
    const subject = unsealUser(sealKey, e.userSealed);
    if (!subject) return;
    queue.push({
      subject,
      at: e.at,
      id: e.id,
      index,
      client: e.client,
      service: e.service,
      purpose: e.purpose ?? null,
      legalBasis: e.legalBasis ?? null,
      status: e.status ?? 200,
      representedParty: e.represented ?? null,
      consent: e.consent ?? null,
    });
  };
}

/** Whether a grant this gateway enforces rests on consent: only then does it follow the withdrawals. */
function enforcesConsent(ctx: GatewayContext): boolean {
  const view = ctx.holder.current();
  return !!view?.c.grants.some((g) => g.basis === 'consent' && g.service.memberCode === view.self.memberCode);
}
