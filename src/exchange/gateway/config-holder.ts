import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { X509Certificate, type KeyObject } from 'node:crypto';
import {
  openConfiguration,
  type Anchor,
  type ConfiguredGateway,
  type ConfiguredGrant,
  type ConfiguredService,
  type ExchangeConfiguration,
} from '../protocol/configuration.js';
import { serviceKey, subsystemKey } from '../protocol/identifiers.js';
import { ed25519FromRaw, spkiPin } from '../protocol/pki.js';
import { signRegistryCall } from '../protocol/signing.js';

/** A verified configuration with the lookups the hot path needs. */
export class ConfigView {
  readonly services = new Map<string, ConfiguredService>();
  readonly gateways = new Map<string, ConfiguredGateway & { key: KeyObject; messageKey: KeyObject }>();
  readonly grants = new Map<string, ConfiguredGrant[]>();
  readonly clientKeys = new Map<string, Set<string>>();
  /** pins of each own system's client certificates */
  readonly clientCertificates = new Map<string, Set<string>>();
  /** every registered subsystem, as `subsystemKey` writes it */
  readonly subsystems = new Set<string>();
  /** a service's internal base URL, parsed once */
  readonly serviceTargets = new Map<string, { origin: string; prefix: string }>();
  readonly self: ConfiguredGateway;
  readonly expiresAt: number;
  constructor(readonly c: ExchangeConfiguration) {
    for (const s of c.services) {
      const key = serviceKey({ instance: c.instance, ...s });
      this.services.set(key, s);
      if (s.baseUrl) {
        const u = new URL(s.baseUrl);
        this.serviceTargets.set(key, { origin: u.origin, prefix: u.pathname.replace(/\/$/, '') });
      }
    }
    for (const m of c.members)
      for (const sub of m.subsystems)
        this.subsystems.add(
          subsystemKey({
            instance: c.instance,
            memberClass: m.memberClass,
            memberCode: m.memberCode,
            subsystemCode: sub.code,
          }),
        );
    for (const g of c.gateways) {
      // the certificate's key signs messages; it must be the key the configuration pins
      const messageKey = new X509Certificate(g.certificate).publicKey;
      if (spkiPin(messageKey) !== g.tlsPin)
        throw new Error(`gateway ${g.id}: its certificate does not hold its pinned key`);
      this.gateways.set(g.id, { ...g, key: ed25519FromRaw(g.signingKey), messageKey });
    }
    for (const g of c.grants) {
      const k = `${subsystemKey({ instance: c.instance, ...g.client })}→${serviceKey({ instance: c.instance, ...g.service })}`;
      this.grants.set(k, [...(this.grants.get(k) ?? []), g]);
    }
    for (const cl of c.clients) {
      this.clientKeys.set(cl.subsystemCode, new Set(cl.keyHashes));
      this.clientCertificates.set(cl.subsystemCode, new Set(cl.certificates ?? []));
    }
    const self = c.gateways.find((g) => g.id === c.gateway);
    if (!self) throw new Error('the configuration does not list this gateway');
    this.self = self;
    this.expiresAt = Date.parse(c.expiresAt);
  }
  grantsFor(client: string, service: string): ConfiguredGrant[] {
    return this.grants.get(`${client}→${service}`) ?? [];
  }
}

export interface HolderStatus {
  version: number | null;
  expiresAt: string | null;
  valid: boolean;
  lastFetchAt: string | null;
  lastError: string | null;
}

/**
 * Keeps the gateway's configuration: fetched from the registry every `intervalMs` with a signed
 * request, verified against the anchor, written to disk as the last good copy, and used until it
 * expires — so the registry may be away for as long as the registry's validity period (its grace)
 * without stopping traffic. An older version than the one held is refused (no rollback).
 */
export class ConfigurationHolder {
  private view: ConfigView | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastFetchAt: Date | null = null;
  private lastError: string | null = null;
  onChange: ((v: ConfigView) => void) | undefined;

  /** the configuration key in force (the anchor's, or one taken up since) and the next one announced */
  private keys: { signingKey: string; next?: string };

  constructor(
    private readonly o: {
      anchor: Anchor;
      gatewayId: string;
      key: KeyObject;
      stateDir: string;
      intervalMs: number;
      graceMs?: number;
      fetchImpl?: typeof fetch;
      now?: () => number;
      onEvent?: (msg: string) => void;
    },
  ) {
    this.keys = { signingKey: o.anchor.signingKey };
  }

  private get file() {
    return path.join(this.o.stateDir, 'configuration.jws');
  }
  private get keysFile() {
    return path.join(this.o.stateDir, 'configuration-keys.json');
  }
  /** The configuration key this gateway now trusts. */
  get signingKey(): string {
    return this.keys.signingKey;
  }
  /** The registry's keys a signed artefact (a consent) may carry: the one in force and the one announced. */
  get registryKeys(): string[] {
    return this.keys.next ? [this.keys.signingKey, this.keys.next] : [this.keys.signingKey];
  }

  /**
   * Verifies a configuration with the key in force; one signed with the key the registry announced (in a
   * configuration signed with the key in force) is taken up, and from then on the old key is refused.
   */
  private async open(jws: string): Promise<ExchangeConfiguration> {
    try {
      return await openConfiguration(jws, { ...this.o.anchor, signingKey: this.keys.signingKey }, this.o.gatewayId);
    } catch (err) {
      const next = this.keys.next;
      if (!next) throw err;
      let c: ExchangeConfiguration;
      try {
        c = await openConfiguration(jws, { ...this.o.anchor, signingKey: next }, this.o.gatewayId);
      } catch {
        throw err;
      }
      await this.saveKeys({ signingKey: next });
      this.o.onEvent?.(
        'the registry now signs configurations with the key it announced: taken up, the old one is refused from now on',
      );
      return c;
    }
  }

  private async learn(c: ExchangeConfiguration): Promise<void> {
    if (c.nextSigningKey && c.nextSigningKey !== this.keys.next && c.nextSigningKey !== this.keys.signingKey) {
      await this.saveKeys({ signingKey: this.keys.signingKey, next: c.nextSigningKey });
      this.o.onEvent?.('the registry announced its next configuration key');
    }
  }

  private async saveKeys(keys: { signingKey: string; next?: string }): Promise<void> {
    const tmp = `${this.keysFile}.tmp`;
    await writeFile(tmp, JSON.stringify(keys), { mode: 0o600 });
    await rename(tmp, this.keysFile);
    this.keys = keys;
  }
  private now() {
    return this.o.now?.() ?? Date.now();
  }

  async start(): Promise<void> {
    await mkdir(this.o.stateDir, { recursive: true });
    // keys taken up since the anchor was given (a rotation this gateway followed) are the ones in force
    const saved = JSON.parse(await readFile(this.keysFile, 'utf8').catch(() => 'null')) as {
      signingKey?: unknown;
      next?: unknown;
    } | null;
    if (saved && typeof saved.signingKey === 'string')
      this.keys = { signingKey: saved.signingKey, ...(typeof saved.next === 'string' ? { next: saved.next } : {}) };
    const kept = await readFile(this.file, 'utf8').catch(() => undefined);
    if (kept) {
      try {
        const c = await this.open(kept);
        this.accept(c);
        await this.learn(c);
      } catch (err) {
        this.lastError = `kept configuration refused: ${(err as Error).message}`;
      }
    }
    await this.refresh();
    this.timer = setInterval(() => {
      void this.refresh();
    }, this.o.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The configuration, if one is held and not expired. */
  current(): ConfigView | undefined {
    return this.view && this.now() < this.until(this.view) ? this.view : undefined;
  }

  /** The registry's expiry, or sooner if this gateway was set up with a shorter grace. */
  private until(v: ConfigView): number {
    return this.o.graceMs === undefined
      ? v.expiresAt
      : Math.min(v.expiresAt, Date.parse(v.c.issuedAt) + this.o.graceMs);
  }

  status(): HolderStatus {
    return {
      version: this.view?.c.version ?? null,
      expiresAt: this.view ? new Date(this.until(this.view)).toISOString() : null,
      valid: !!this.current(),
      lastFetchAt: this.lastFetchAt?.toISOString() ?? null,
      lastError: this.lastError,
    };
  }

  async refresh(): Promise<boolean> {
    const pathname = '/api/v1/exchange/configuration';
    const timestamp = new Date().toISOString();
    try {
      const res = await (this.o.fetchImpl ?? fetch)(new URL(pathname, this.o.anchor.registryUrl), {
        headers: {
          'x-ndp-gateway': this.o.gatewayId,
          'x-ndp-timestamp': timestamp,
          'x-ndp-signature': signRegistryCall('GET', pathname, timestamp, Buffer.alloc(0), this.o.key),
        },
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`the registry answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      const jws = await res.text();
      const c = await this.open(jws);
      if (this.view && c.version < this.view.c.version)
        throw new Error(`the registry sent version ${c.version}, older than the ${this.view.c.version} held`);
      this.accept(c);
      await this.learn(c);
      const tmp = `${this.file}.tmp`;
      await writeFile(tmp, jws, { mode: 0o600 });
      await rename(tmp, this.file);
      this.lastFetchAt = new Date();
      this.lastError = null;
      return true;
    } catch (err) {
      this.lastError = (err as Error).message;
      return false;
    }
  }

  private accept(c: ExchangeConfiguration): void {
    this.view = new ConfigView(c);
    this.onChange?.(this.view);
  }
}
