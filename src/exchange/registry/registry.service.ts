import {
  X509Certificate,
  createHmac,
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  type KeyObject,
} from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError, invalid } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import {
  actorOf,
  hasAgencyRole,
  requireAgencyRole,
  requirePlatformAdmin,
  requireUser,
  type Principal,
} from '../../accounts/principal.js';
import { RegistryRepository, type AccessContext, type GatewayRow, type GrantRow } from './registry.repository.js';
import type {
  ClientCertificateCreate,
  ClientKeyCreate,
  GatewayRegister,
  GatewayReport,
  GrantCreate,
  ServiceCreate,
  ServicePatch,
  SubsystemCreate,
} from './registry.schema.js';
import { signConfiguration, type Anchor, type ExchangeConfiguration } from '../protocol/configuration.js';
import {
  caName,
  createCaCertificate,
  ed25519FromRaw,
  generateTlsKey,
  issueGatewayCertificate,
  rawEd25519,
  spkiPin,
} from '../protocol/pki.js';
import { endpointsOf } from '../protocol/paths.js';
import { groupAccessRecords } from '../protocol/access-records.js';
import { isSealed, openKey, sealKey } from './key-vault.js';
import { verifyRegistryCall } from '../protocol/signing.js';
import { hashClientKey, readClientCertificate } from '../protocol/client-keys.js';

export const MEMBER_CLASS = 'GOV';
export interface Authority {
  signing: KeyObject;
  next: KeyObject | null;
  nextAnnouncedVersion: number | null;
  switchedVersion: number | null;
  caKey: string;
  caCert: string;
  nextCaKey: string | null;
  nextCaCert: string | null;
  previousCaCert: string | null;
  subjectKey: Buffer;
  /** the subject keys before the one in force, newest first: a person's older records were made under them */
  previousSubjectKeys: Buffer[];
}
export interface RegistryOptions {
  instance: string;
  baseUrl: string;
  validityHours: number;
  resolveAgency: (key: string) => Promise<string> /** seals the registry's secret keys at rest (`key-vault.ts`) */;
  keyEncryptionKey?: Buffer;
}

const conflict = (vi: string, en: string) => new DomainError('CONFLICT', { vi, en });
/** What each sealed column holds, bound into its seal: a key moves from next_* to its place at a switch, so the purpose, not the column, is bound. */
const PURPOSE = {
  signing_key: 'configuration-key',
  next_signing_key: 'configuration-key',
  ca_key: 'ca-key',
  next_ca_key: 'ca-key',
  subject_key: 'subject-key',
} as const;
/** Gateways' TLS certificates are short-lived: 90 days, issued again for the same key through the configuration when 30 are left. */
export const GATEWAY_CERTIFICATE_DAYS = 90;
const RENEW_WITHIN_MS = 30 * 86_400_000;
const certificates = new Map<string, X509Certificate>();
const parsed = (pem: string): X509Certificate => {
  let c = certificates.get(pem);
  if (!c) {
    if (certificates.size > 10_000) certificates.clear();
    c = new X509Certificate(pem);
    certificates.set(pem, c);
  }
  return c;
};
const certificateEnds = (pem: string): number => Date.parse(parsed(pem).validTo);
const issuers = new Map<string, boolean>();
/** Whether the CA signed the certificate: worked out once per pair (a configuration is built for every gateway every minute). */
const issuedBy = (pem: string, caPem: string): boolean => {
  const key = `${caPem}\n${pem}`;
  let ok = issuers.get(key);
  if (ok === undefined) {
    if (issuers.size > 10_000) issuers.clear();
    ok = parsed(pem).checkIssued(parsed(caPem)) && parsed(pem).verify(parsed(caPem).publicKey);
    issuers.set(key, ok);
  }
  return ok;
};
const unauthenticated = (en: string, vi: string) => new DomainError('UNAUTHENTICATED', { vi, en });

/**
 * The registry of the exchange: members' subsystems, services, gateways and grants, kept by agency
 * administrators (a provider's administrator approves grants to its services), and the signed
 * configuration each gateway fetches. Every change bumps the configuration's version and is audited.
 */
export class RegistryService {
  readonly repo: RegistryRepository;
  private authorityCache: { value: Authority; pem: string; readAt: number } | undefined;

  constructor(
    private readonly db: Kysely<any>,
    private readonly o: RegistryOptions,
  ) {
    this.repo = new RegistryRepository(db);
  }

  agencyId(key: string): Promise<string> {
    return this.o.resolveAgency(key);
  }

  /**
   * The registry's keys, made on first use: an Ed25519 key for configurations and a P-256 CA (and their
   * successors, once announced; the CA before a switch, while gateways still present its certificates).
   * Read again every few seconds, so that keys switched by another registry process are this one's too.
   */
  async authority(): Promise<Authority> {
    if (this.authorityCache && Date.now() - this.authorityCache.readAt < 5_000) return this.authorityCache.value;
    const kek = this.o.keyEncryptionKey;
    let row = await this.repo.authority();
    if (!row) {
      const fresh = await this.newAuthority();
      await this.repo.createAuthority({
        signing_key: sealKey(fresh.signingKey, kek, PURPOSE.signing_key),
        ca_key: sealKey(fresh.caKey, kek, PURPOSE.ca_key),
        ca_certificate: fresh.caCertificate,
        subject_key: sealKey(randomBytes(32).toString('base64'), kek, PURPOSE.subject_key),
      });
      row = (await this.repo.authority())!;
    }
    // keys kept in the clear from before a key-encryption key was given are sealed now
    if (kek) {
      const clear = (['signing_key', 'ca_key', 'subject_key', 'next_signing_key', 'next_ca_key'] as const).filter(
        (c) => row![c] && !isSealed(row![c]!),
      );
      if (clear.length) {
        await this.repo.sealAuthority(
          Object.fromEntries(clear.map((c) => [c, { was: row![c]!, sealed: sealKey(row![c]!, kek, PURPOSE[c]) }])),
        );
        row = (await this.repo.authority())!;
      }
    }
    if (kek && row.previous_subject_keys.some((k) => !isSealed(k.key))) {
      await this.repo.replacePreviousSubjectKeys(
        row.previous_subject_keys,
        row.previous_subject_keys.map((k) => ({
          ...k,
          key: isSealed(k.key) ? k.key : sealKey(k.key, kek, PURPOSE.subject_key),
        })),
      );
      row = (await this.repo.authority())!;
    }
    const open = (column: keyof typeof PURPOSE) => openKey(row![column]!, kek, PURPOSE[column]);
    const signingPem = open('signing_key');
    const was = this.authorityCache?.value;
    const value: Authority = {
      signing: was && this.authorityCache!.pem === signingPem ? was.signing : createPrivateKey(signingPem),
      next: row.next_signing_key ? createPrivateKey(open('next_signing_key')) : null,
      nextCaKey: row.next_ca_key ? open('next_ca_key') : null,
      nextCaCert: row.next_ca_certificate,
      previousCaCert: row.previous_ca_certificate,
      nextAnnouncedVersion: row.next_announced_version === null ? null : Number(row.next_announced_version),
      switchedVersion: row.switched_version === null ? null : Number(row.switched_version),
      caKey: open('ca_key'),
      caCert: row.ca_certificate,
      subjectKey: Buffer.from(open('subject_key'), 'base64'),
      previousSubjectKeys: row.previous_subject_keys.map((k) =>
        Buffer.from(openKey(k.key, kek, PURPOSE.subject_key), 'base64'),
      ),
    };
    this.authorityCache = { value, pem: signingPem, readAt: Date.now() };
    return value;
  }

  private async newAuthority(): Promise<{ signingKey: string; caKey: string; caCertificate: string }> {
    const ca = await generateTlsKey();
    return {
      signingKey: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      caKey: ca.keyPem,
      caCertificate: await createCaCertificate(ca.keyPem, caName(this.o.instance, ca.keyPem), 3650),
    };
  }

  /** The CAs a gateway trusts: the one in force, its announced successor, and the one before while certificates it signed are about. */
  private trustedCas(a: Authority): string {
    return [a.caCert, a.nextCaCert, a.previousCaCert].filter((c): c is string => !!c).join('\n');
  }

  /** Where a rotation of the registry's keys stands, and which gateways have fetched its announcement (the supervisor). */
  async authorityStatus(p: Principal) {
    requirePlatformAdmin(p);
    const a = await this.authority();
    const gateways = await this.repo.gatewayVersions();
    const fingerprint = (pem: string | null) => (pem ? new X509Certificate(pem).fingerprint256 : null);
    return {
      current: rawEd25519(a.signing).toString('base64'),
      next: a.next ? rawEd25519(a.next).toString('base64') : null,
      announcedInVersion: a.nextAnnouncedVersion,
      ca: fingerprint(a.caCert),
      nextCa: fingerprint(a.nextCaCert),
      previousCa: fingerprint(a.previousCaCert),
      subjectKeysKept: a.previousSubjectKeys.length,
      gateways: gateways.map((g) => ({
        id: g.id,
        memberCode: g.member_code,
        agencyName: g.agency_name,
        fetchedVersion: g.config_version_fetched === null ? null : Number(g.config_version_fetched),
        hasNext: a.nextAnnouncedVersion !== null && Number(g.config_version_fetched ?? 0) >= a.nextAnnouncedVersion,
      })),
    };
  }

  /** Makes the next configuration key and CA and announces them in every configuration signed with the current key (the new CA trusted beside the old). */
  async announceAuthority(p: Principal) {
    requirePlatformAdmin(p);
    const a = await this.authority();
    if (a.next)
      throw conflict(
        'Đã có khóa kế tiếp đang chờ chuyển.',
        'Next keys are already announced and waiting for the switch.',
      );
    if (a.previousCaCert)
      throw conflict(
        'Lần đổi khóa trước chưa xong: còn cổng chưa nhận chứng thư mới.',
        'The last rotation is not over: some gateways have not fetched their new certificates yet.',
      );
    const next = await this.newAuthority();
    await this.db.transaction().execute(async (trx) => {
      await this.repo.bumpVersion(trx);
      await this.repo.announceAuthority(
        trx,
        {
          ...next,
          signingKey: sealKey(next.signingKey, this.o.keyEncryptionKey, PURPOSE.next_signing_key),
          caKey: sealKey(next.caKey, this.o.keyEncryptionKey, PURPOSE.next_ca_key),
        },
        await this.repo.version(trx),
      );
      await recordAudit(trx, actorOf(p), {
        action: 'exchange.authority.announce',
        entityType: 'exchange_authority',
        entityId: '1',
        after: {
          next: rawEd25519(createPrivateKey(next.signingKey)).toString('base64'),
          nextCa: new X509Certificate(next.caCertificate).fingerprint256,
        },
      });
    });
    this.authorityCache = undefined;
    return this.authorityStatus(p);
  }

  /**
   * Signs configurations with the announced key and every gateway's certificate with the announced CA
   * from now on (the old CA stays trusted until every gateway has fetched its new certificate). Refused
   * while an active gateway has not fetched the announcement (it would refuse every configuration after
   * the switch, and its peers' new certificates), unless forced.
   */
  async switchAuthority(p: Principal, force = false) {
    requirePlatformAdmin(p);
    const status = await this.authorityStatus(p);
    if (!status.next)
      throw new DomainError('NOT_FOUND', {
        vi: 'Chưa có khóa kế tiếp nào được công bố.',
        en: 'No next keys have been announced.',
      });
    const behind = status.gateways.filter((g) => !g.hasNext);
    if (behind.length && !force) {
      const names = behind.map((g) => `${g.memberCode} (${g.agencyName})`).join(', ');
      throw conflict(
        `Các cổng sau chưa nhận khóa kế tiếp: ${names}. Chờ chúng lấy cấu hình, hoặc buộc chuyển (các cổng này sẽ phải được thiết lập lại).`,
        `These gateways have not fetched the next keys yet: ${names}. Wait for them to fetch a configuration, or force the switch (they will have to be set up again).`,
      );
    }
    this.authorityCache = undefined;
    const a = await this.authority();
    if (!a.nextCaKey || !a.nextCaCert) throw new DomainError('NOT_FOUND');
    const gateways = await this.repo.activeGateways();
    // every gateway's certificate issued again by the new CA, for the same key and host
    const issued = await Promise.all(
      gateways.map(async (g) => ({
        g,
        certificate: await issueGatewayCertificate({
          caKeyPem: a.nextCaKey!,
          caCertPem: a.nextCaCert!,
          gatewayId: g.id,
          host: new URL(g.address).hostname.replace(/^\[|\]$/g, ''),
          publicKeyPem: g.tls_public_key,
          days: GATEWAY_CERTIFICATE_DAYS,
        }),
      })),
    );
    await this.db.transaction().execute(async (trx) => {
      await this.repo.bumpVersion(trx);
      if (!(await this.repo.promoteAuthority(trx, await this.repo.version(trx)))) throw new DomainError('NOT_FOUND');
      for (const { g, certificate } of issued)
        await this.repo.replaceCertificate(trx, g.id, g.certificate, certificate);
      await recordAudit(trx, actorOf(p), {
        action: 'exchange.authority.switch',
        entityType: 'exchange_authority',
        entityId: '1',
        before: { current: status.current, ca: status.ca },
        after: { current: status.next, ca: status.nextCa, forced: behind.length > 0, certificates: issued.length },
      });
    });
    this.authorityCache = undefined;
    return this.authorityStatus(p);
  }

  /** Once every active gateway has fetched a configuration from after the switch, the CA before is no longer trusted. */
  private async retirePreviousCa(): Promise<void> {
    const a = await this.authority();
    if (!a.previousCaCert || a.switchedVersion === null) return;
    const gateways = await this.repo.gatewayVersions();
    if (gateways.some((g) => Number(g.config_version_fetched ?? 0) < a.switchedVersion!)) return;
    await this.db.transaction().execute(async (trx) => {
      if (!(await this.repo.retirePreviousCa(trx))) return;
      await this.repo.bumpVersion(trx);
      await recordAudit(
        trx,
        { userId: null, tokenId: null },
        {
          action: 'exchange.authority.retire_ca',
          entityType: 'exchange_authority',
          entityId: '1',
          after: { retired: new X509Certificate(a.previousCaCert!).fingerprint256 },
        },
      );
    });
    this.authorityCache = undefined;
  }

  /**
   * A new subject key for the records made from now on (the supervisor: after a suspected leak, or on a schedule).
   * The key before is kept for finding a person's older records until the housekeeping has deleted them all.
   */
  async rotateSubjectKey(p: Principal) {
    requirePlatformAdmin(p);
    await this.authority(); // made on first use
    const kept = await this.db.transaction().execute(async (trx) => {
      const n = await this.repo.rotateSubjectKey(
        trx,
        sealKey(randomBytes(32).toString('base64'), this.o.keyEncryptionKey, PURPOSE.subject_key),
        new Date().toISOString(),
      );
      await recordAudit(trx, actorOf(p), {
        action: 'exchange.authority.subject_key',
        entityType: 'exchange_authority',
        entityId: '1',
        after: { previousKeysKept: n },
      });
      return n;
    });
    this.authorityCache = undefined;
    return { rotatedAt: new Date().toISOString(), previousKeysKept: kept };
  }

  /** What a gateway is set up with, out of band: the instance, where the registry is, and the key its configurations are signed with. */
  async anchor(): Promise<Anchor & { caCertificate: string }> {
    const a = await this.authority();
    return {
      instance: this.o.instance,
      registryUrl: this.o.baseUrl,
      signingKey: rawEd25519(a.signing).toString('base64'),
      caCertificate: a.caCert,
    };
  }

  private async change<T>(p: Principal, work: (trx: Kysely<any>) => Promise<T>): Promise<T> {
    requireUser(p);
    return this.db.transaction().execute(async (trx) => {
      const out = await work(trx);
      await this.repo.bumpVersion(trx);
      return out;
    });
  }

  // ── subsystems and their keys ──────────────────────────────────────────
  async createSubsystem(p: Principal, body: SubsystemCreate) {
    const agencyId = await this.o.resolveAgency(body.agency);
    requireAgencyRole(p, agencyId, 'agency_admin');
    const id = randomUUID();
    await this.change(p, async (trx) => {
      if (
        await trx
          .selectFrom('exchange_subsystems')
          .select('id')
          .where('agency_id', '=', agencyId)
          .where('code', '=', body.code)
          .executeTakeFirst()
      ) {
        throw conflict(
          `Cơ quan đã có hệ thống mã “${body.code}”.`,
          `The agency already has a subsystem “${body.code}”.`,
        );
      }
      await this.repo.insertSubsystem(trx, { id, agency_id: agencyId, code: body.code, name: body.name });
      await recordAudit(trx, actorOf(p), {
        action: 'exchange.subsystem.create',
        entityType: 'exchange_subsystem',
        entityId: id,
        agencyId,
        after: body,
      });
    });
    return (await this.repo.subsystem(id))!;
  }

  /** A new API key for a subsystem's calls to its own gateway; shown once, kept as a hash. */
  async createClientKey(p: Principal, subsystemId: string, body: Static<typeof ClientKeyCreate>) {
    const s = await this.repo.subsystem(subsystemId);
    if (!s) throw new DomainError('NOT_FOUND');
    requireAgencyRole(p, s.agency_id, 'agency_admin');
    const key = `ndpx_${randomBytes(24).toString('base64url')}`;
    const id = randomUUID();
    await this.change(p, async (trx) => {
      await this.repo.insertClientKey(trx, { id, subsystem_id: s.id, key_hash: hashClientKey(key), label: body.label });
      await recordAudit(trx, actorOf(p), {
        action: 'exchange.client_key.create',
        entityType: 'exchange_subsystem',
        entityId: s.id,
        agencyId: s.agency_id,
        after: { keyId: id, label: body.label },
      });
    });
    return { id, subsystem: s.id, label: body.label, key };
  }

  /** A system's TLS client certificate, pinned: with it the system signs in to its gateway over HTTPS without an API key. */
  async addClientCertificate(p: Principal, subsystemId: string, body: ClientCertificateCreate) {
    const s = await this.repo.subsystem(subsystemId);
    if (!s) throw new DomainError('NOT_FOUND');
    requireAgencyRole(p, s.agency_id, 'agency_admin');
    const read = readClientCertificate(body.certificate);
    if ('problem' in read) throw invalid([{ field: 'certificate', ...read.problem }]);
    const id = randomUUID();
    const registered = () =>
      conflict('Chứng thư này đã được đăng ký cho hệ thống.', 'This certificate is already registered for the system.');
    try {
      await this.change(p, async (trx) => {
        if (await this.repo.liveCertificate(trx, s.id, read.fingerprint)) throw registered();
        await this.repo.insertClientCertificate(trx, {
          id,
          subsystem_id: s.id,
          fingerprint: read.fingerprint,
          subject: read.subject,
          not_after: read.notAfter,
          label: body.label,
        });
        await recordAudit(trx, actorOf(p), {
          action: 'exchange.client_certificate.create',
          entityType: 'exchange_subsystem',
          entityId: s.id,
          agencyId: s.agency_id,
          after: { certificateId: id, label: body.label, fingerprint: read.fingerprint, subject: read.subject },
        });
      });
    } catch (err) {
      // two administrators adding the same certificate at once: the unique index decides
      if ((err as { code?: string }).code === '23505') throw registered();
      throw err;
    }
    return {
      id,
      subsystem: s.id,
      label: body.label,
      fingerprint: read.fingerprint,
      subject: read.subject,
      notAfter: read.notAfter.toISOString(),
    };
  }

  /** A subsystem's API keys (labels and dates only) and client certificates, revoked ones too (its agency's administrators). */
  async credentials(p: Principal, subsystemId: string) {
    const s = await this.repo.subsystem(subsystemId);
    if (!s) throw new DomainError('NOT_FOUND');
    requireAgencyRole(p, s.agency_id, 'agency_admin');
    return this.repo.credentials(s.id);
  }

  /** Revokes an API key or a client certificate: gone from the gateway's next configuration (within its refresh interval). */
  async revokeCredential(p: Principal, subsystemId: string, kind: 'key' | 'certificate', id: string) {
    const s = await this.repo.subsystem(subsystemId);
    if (!s) throw new DomainError('NOT_FOUND');
    requireAgencyRole(p, s.agency_id, 'agency_admin');
    await this.change(p, async (trx) => {
      if (!(await this.repo.revokeCredential(trx, kind, s.id, id))) throw new DomainError('NOT_FOUND');
      await recordAudit(trx, actorOf(p), {
        action: `exchange.client_${kind}.revoke`,
        entityType: 'exchange_subsystem',
        entityId: s.id,
        agencyId: s.agency_id,
        after: { [kind === 'key' ? 'keyId' : 'certificateId']: id },
      });
    });
    return { id, revoked: true };
  }

  // ── services ───────────────────────────────────────────────────────────
  async createService(p: Principal, body: ServiceCreate) {
    const s = await this.repo.subsystem(body.subsystem);
    if (!s) throw invalid([{ field: 'subsystem', vi: 'Không có hệ thống này.', en: 'No such subsystem.' }]);
    requireAgencyRole(p, s.agency_id, 'agency_admin');
    checkServiceUrl(body.baseUrl);
    if (endpointsOf(body.openapi).length === 0)
      throw invalid([
        {
          field: 'openapi',
          vi: 'Tài liệu OpenAPI không khai báo điểm cuối nào.',
          en: 'The OpenAPI document declares no endpoint.',
        },
      ]);
    const id = randomUUID();
    await this.change(p, async (trx) => {
      if (
        await trx
          .selectFrom('exchange_services')
          .select('id')
          .where('subsystem_id', '=', s.id)
          .where('code', '=', body.code)
          .executeTakeFirst()
      ) {
        throw conflict(
          `Hệ thống đã có dịch vụ mã “${body.code}”.`,
          `The subsystem already has a service “${body.code}”.`,
        );
      }
      await this.repo.insertService(trx, {
        id,
        subsystem_id: s.id,
        code: body.code,
        title: body.title,
        base_url: body.baseUrl,
        openapi: body.openapi,
      });
      await recordAudit(trx, actorOf(p), {
        action: 'exchange.service.create',
        entityType: 'exchange_service',
        entityId: id,
        agencyId: s.agency_id,
        after: { code: body.code, title: body.title, baseUrl: body.baseUrl },
      });
    });
    return (await this.repo.service(id))!;
  }

  async updateService(p: Principal, id: string, body: ServicePatch) {
    const v = await this.repo.service(id);
    if (!v) throw new DomainError('NOT_FOUND');
    requireAgencyRole(p, v.agency_id, 'agency_admin');
    if (body.baseUrl) checkServiceUrl(body.baseUrl);
    await this.change(p, async (trx) => {
      await this.repo.updateService(trx, id, {
        title: body.title,
        base_url: body.baseUrl,
        openapi: body.openapi,
        enabled: body.enabled,
      });
      await recordAudit(trx, actorOf(p), {
        action: 'exchange.service.update',
        entityType: 'exchange_service',
        entityId: id,
        agencyId: v.agency_id,
        before: { title: v.title, baseUrl: v.base_url, enabled: v.enabled },
        after: body,
      });
    });
    return (await this.repo.service(id))!;
  }

  // ── gateways ───────────────────────────────────────────────────────────
  /** Registers the agency's gateway (replacing the one before) and issues its TLS certificate from the internal CA. */
  async registerGateway(p: Principal, body: GatewayRegister) {
    const agencyId = await this.o.resolveAgency(body.agency);
    requireAgencyRole(p, agencyId, 'agency_admin');
    let host: string;
    try {
      host = new URL(body.address).hostname.replace(/^\[|\]$/g, '');
    } catch {
      throw invalid([{ field: 'address', vi: 'Địa chỉ không hợp lệ.', en: 'Not a valid address.' }]);
    }
    try {
      ed25519FromRaw(body.signingKey);
      spkiPin(body.tlsPublicKey);
    } catch {
      throw invalid([
        { field: 'tlsPublicKey', vi: 'Khoá công khai không đọc được.', en: 'The public key cannot be read.' },
      ]);
    }
    const a = await this.authority();
    const known = (await this.db
      .selectFrom('exchange_gateways')
      .select(['id', 'agency_id', 'revoked_at', 'tls_public_key'])
      .where('signing_key', '=', body.signingKey)
      .executeTakeFirst()) as
      | { id: string; agency_id: string; revoked_at: Date | null; tls_public_key: string }
      | undefined;
    if (known && (known.agency_id !== agencyId || known.revoked_at || known.tls_public_key !== body.tlsPublicKey)) {
      throw conflict(
        'Khoá ký này đã được đăng ký cho một cổng khác.',
        'This signing key is already registered for a gateway.',
      );
    }
    if (known) {
      // the same gateway at a new address: same id, a certificate for the new host
      const certificate = await issueGatewayCertificate({
        caKeyPem: a.caKey,
        caCertPem: a.caCert,
        gatewayId: known.id,
        host,
        publicKeyPem: body.tlsPublicKey,
        days: GATEWAY_CERTIFICATE_DAYS,
      });
      await this.change(p, async (trx) => {
        await trx
          .updateTable('exchange_gateways')
          .set({ address: body.address, certificate })
          .where('id', '=', known.id)
          .execute();
        await recordAudit(trx, actorOf(p), {
          action: 'exchange.gateway.move',
          entityType: 'exchange_gateway',
          entityId: known.id,
          agencyId,
          after: { address: body.address },
        });
      });
      return (await this.repo.gateway(known.id))!;
    }
    const id = randomUUID();
    const certificate = await issueGatewayCertificate({
      caKeyPem: a.caKey,
      caCertPem: a.caCert,
      gatewayId: id,
      host,
      publicKeyPem: body.tlsPublicKey,
      days: GATEWAY_CERTIFICATE_DAYS,
    });
    await this.change(p, async (trx) => {
      await this.repo.revokeGateways(trx, agencyId);
      await this.repo.insertGateway(trx, {
        id,
        agency_id: agencyId,
        address: body.address,
        signing_key: body.signingKey,
        tls_public_key: body.tlsPublicKey,
        certificate,
      });
      await recordAudit(trx, actorOf(p), {
        action: 'exchange.gateway.register',
        entityType: 'exchange_gateway',
        entityId: id,
        agencyId,
        after: { address: body.address, signingKey: body.signingKey },
      });
    });
    return (await this.repo.gateway(id))!;
  }

  // ── grants ─────────────────────────────────────────────────────────────
  /** A grant asked by the client's administrator waits for the provider's; one made by the provider's administrator holds at once. */
  async createGrant(p: Principal, body: GrantCreate) {
    const user = requireUser(p);
    const client = await this.repo.subsystem(body.client);
    const service = await this.repo.service(body.service);
    if (!client) throw invalid([{ field: 'client', vi: 'Không có hệ thống này.', en: 'No such subsystem.' }]);
    if (!service) throw invalid([{ field: 'service', vi: 'Không có dịch vụ này.', en: 'No such service.' }]);
    const asProvider = hasAgencyRole(p, service.agency_id, 'agency_admin');
    if (!asProvider) requireAgencyRole(p, client.agency_id, 'agency_admin');
    if (body.expiresAt && new Date(body.expiresAt) <= new Date())
      throw invalid([{ field: 'expiresAt', vi: 'Ngày hết hạn đã qua.', en: 'The expiry is in the past.' }]);
    const id = randomUUID();
    const status = asProvider ? 'approved' : 'requested';
    await this.change(p, async (trx) => {
      await this.repo.insertGrant(trx, {
        id,
        client_subsystem_id: client.id,
        service_id: service.id,
        endpoints: body.endpoints ?? [],
        purposes: body.purposes ?? [],
        legal_basis: body.legalBasis ?? null,
        rate_per_second: body.ratePerSecond ?? null,
        daily_quota: body.dailyQuota ?? null,
        expires_at: body.expiresAt ? new Date(body.expiresAt) : null,
        status,
        requested_by: user.userId,
        decided_by: asProvider ? user.userId : null,
        decided_at: asProvider ? new Date() : null,
      });
      await recordAudit(trx, actorOf(p), {
        action: `exchange.grant.${status === 'approved' ? 'create' : 'request'}`,
        entityType: 'exchange_grant',
        entityId: id,
        agencyId: service.agency_id,
        after: { ...body, status },
      });
    });
    return (await this.repo.grant(id))!;
  }

  async decideGrant(p: Principal, id: string, decision: 'approve' | 'reject' | 'revoke') {
    const user = requireUser(p);
    const g = await this.repo.grant(id);
    if (!g) throw new DomainError('NOT_FOUND');
    // approving and rejecting are the provider's; either side may revoke
    if (decision === 'revoke' && hasAgencyRole(p, g.client_agency_id, 'agency_admin')) {
      /* the client may give up its own grant */
    } else requireAgencyRole(p, g.provider_agency_id, 'agency_admin');
    const allowed = decision === 'revoke' ? ['approved', 'requested'] : ['requested'];
    if (!allowed.includes(g.status))
      throw new DomainError('INVALID_STATE', {
        vi: `Quyền truy cập đang ở trạng thái “${g.status}”.`,
        en: `The grant is ${g.status}.`,
      });
    const status = decision === 'approve' ? 'approved' : decision === 'reject' ? 'rejected' : 'revoked';
    await this.change(p, async (trx) => {
      await this.repo.decideGrant(trx, id, status, user.userId);
      await recordAudit(trx, actorOf(p), {
        action: `exchange.grant.${decision}`,
        entityType: 'exchange_grant',
        entityId: id,
        agencyId: g.provider_agency_id,
        before: { status: g.status },
        after: { status },
      });
    });
    return (await this.repo.grant(id))!;
  }

  async listGrants(p: Principal, agencyKey?: string): Promise<GrantRow[]> {
    const user = requireUser(p);
    if (agencyKey) {
      const agencyId = await this.o.resolveAgency(agencyKey);
      requireAgencyRole(p, agencyId, 'viewer');
      return this.repo.listGrants(agencyId);
    }
    if (user.isPlatformAdmin && user.via === 'session') return this.repo.listGrants();
    const all = await Promise.all([...user.roles.keys()].map((a) => this.repo.listGrants(a)));
    const seen = new Map<string, GrantRow>();
    for (const g of all.flat()) seen.set(g.id, g);
    return [...seen.values()];
  }

  // ── the configuration ──────────────────────────────────────────────────
  // a signed call is good for one use within its clock window (±5 min): the calls taken are kept in the database for 10 min,
  // shared by every registry process; the old ones are forgotten a minute at a time
  private lastForget = 0;
  // gateways call every second: their keys are imported once (bounded; emptied when full)
  private readonly gatewayKeys = new Map<string, KeyObject>();
  private gatewayKey(raw: string): KeyObject {
    let key = this.gatewayKeys.get(raw);
    if (!key) {
      if (this.gatewayKeys.size >= 10_000) this.gatewayKeys.clear();
      key = ed25519FromRaw(raw);
      this.gatewayKeys.set(raw, key);
    }
    return key;
  }

  /** Checks a gateway's signed call; the gateway must be registered and active. */
  async authenticateGateway(
    method: string,
    path: string,
    headers: Record<string, string | string[] | undefined>,
    body: Uint8Array,
  ): Promise<GatewayRow> {
    const id = String(headers['x-ndp-gateway'] ?? '');
    const timestamp = String(headers['x-ndp-timestamp'] ?? '');
    const signature = String(headers['x-ndp-signature'] ?? '');
    const g = /^[0-9a-f-]{36}$/.test(id) ? await this.repo.gateway(id) : undefined;
    if (!g || g.revoked_at)
      throw unauthenticated(
        'This gateway is not registered (or was replaced).',
        'Cổng này chưa được đăng ký (hoặc đã bị thay thế).',
      );
    const skew = Math.abs(Date.now() - Date.parse(timestamp));
    if (!(skew < 300_000))
      throw unauthenticated(
        'The gateway’s clock is more than five minutes off, or the time is missing.',
        'Đồng hồ của cổng lệch quá năm phút hoặc thiếu thời gian.',
      );
    if (!verifyRegistryCall(method, path, timestamp, body, signature, this.gatewayKey(g.signing_key)))
      throw unauthenticated('The gateway’s signature does not verify.', 'Chữ ký của cổng không hợp lệ.');
    if (!(await this.repo.takeCall(g.id, signature)))
      throw unauthenticated(
        'This signed call was made before: a replay is refused.',
        'Lời gọi đã ký này đã được dùng trước đó: không chấp nhận phát lại.',
      );
    const now = Date.now();
    if (now - this.lastForget > 60_000) {
      this.lastForget = now;
      await this.repo.forgetCallsBefore(new Date(now - 600_000));
    }
    return g;
  }

  /**
   * Issues again, for the same key and host, the certificates of active gateways that end within 30 days:
   * every gateway's next configuration carries them (its own to present, its peers' to expect), so a
   * certificate never runs out under traffic, and a gateway long offline gets a fresh one when it is back.
   */
  private async renewCertificates(): Promise<void> {
    const soon = Date.now() + RENEW_WITHIN_MS;
    const a = await this.authority();
    // due: ending soon, or not from the CA in force (a switch that raced a renewal, or forced past a gateway): never left to lapse with the old CA
    const due = (await this.repo.activeGateways()).filter(
      (g) => certificateEnds(g.certificate) < soon || !issuedBy(g.certificate, a.caCert),
    );
    if (!due.length) return;
    for (const g of due) {
      const host = new URL(g.address).hostname.replace(/^\[|\]$/g, '');
      const certificate = await issueGatewayCertificate({
        caKeyPem: a.caKey,
        caCertPem: a.caCert,
        gatewayId: g.id,
        host,
        publicKeyPem: g.tls_public_key,
        days: GATEWAY_CERTIFICATE_DAYS,
      });
      await this.db.transaction().execute(async (trx) => {
        if (!(await this.repo.replaceCertificate(trx, g.id, g.certificate, certificate))) return;
        await this.repo.bumpVersion(trx);
        await recordAudit(
          trx,
          { userId: null, tokenId: null },
          {
            action: 'exchange.gateway.certificate_renew',
            entityType: 'exchange_gateway',
            entityId: g.id,
            agencyId: g.agency_id,
            after: { notAfter: new X509Certificate(certificate).validTo },
          },
        );
      });
    }
  }

  async configurationFor(gateway: GatewayRow): Promise<string> {
    await this.renewCertificates();
    await this.retirePreviousCa();
    const a = await this.authority();
    const version = await this.repo.version();
    await this.repo.configFetched(gateway.id, version);
    const [gateways, services, grants, members, keys, certificates] = await Promise.all([
      this.repo.activeGateways(),
      this.repo.listServices(),
      this.repo.approvedGrants(gateway.agency_id),
      this.repo.members(),
      this.repo.clientKeys(gateway.agency_id),
      this.repo.clientCertificates(gateway.agency_id),
    ]);
    const gatewayOf = new Map(gateways.map((g) => [g.agency_id, g.id]));
    const now = new Date();
    const memberMap = new Map<string, ExchangeConfiguration['members'][number]>();
    for (const m of members) {
      const entry = memberMap.get(m.member_code) ?? {
        memberClass: MEMBER_CLASS,
        memberCode: m.member_code,
        name: m.name,
        subsystems: [],
      };
      entry.subsystems.push({ code: m.subsystem_code, name: m.subsystem_name });
      memberMap.set(m.member_code, entry);
    }
    const clients = new Map<string, { keyHashes: string[]; certificates: string[] }>();
    const client = (code: string) => {
      let c = clients.get(code);
      if (!c) {
        c = { keyHashes: [], certificates: [] };
        clients.set(code, c);
      }
      return c;
    };
    for (const k of keys) client(k.subsystem_code).keyHashes.push(k.key_hash);
    for (const c of certificates) client(c.subsystem_code).certificates.push(c.fingerprint);
    const config: ExchangeConfiguration = {
      instance: this.o.instance,
      version,
      issuedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.o.validityHours * 3_600_000).toISOString(),
      gateway: gateway.id,
      ca: this.trustedCas(a),
      members: [...memberMap.values()],
      gateways: gateways.map((g) => ({
        id: g.id,
        memberClass: MEMBER_CLASS,
        memberCode: g.member_code,
        address: g.address,
        signingKey: g.signing_key,
        tlsPin: spkiPin(g.tls_public_key),
        certificate: g.certificate,
      })),
      services: services
        .filter((v) => v.enabled && gatewayOf.has(v.agency_id))
        .map((v) => ({
          memberClass: MEMBER_CLASS,
          memberCode: v.member_code,
          subsystemCode: v.subsystem_code,
          serviceCode: v.code,
          title: v.title,
          endpoints: endpointsOf(v.openapi),
          gateway: gatewayOf.get(v.agency_id)!,
          ...(v.agency_id === gateway.agency_id ? { baseUrl: v.base_url, openapi: v.openapi } : {}),
        })),
      grants: grants
        .filter((g) => !g.expires_at || g.expires_at > now)
        .map((g) => ({
          id: g.id,
          client: { memberClass: MEMBER_CLASS, memberCode: g.client_member_code, subsystemCode: g.client_code },
          service: {
            memberClass: MEMBER_CLASS,
            memberCode: g.provider_member_code,
            subsystemCode: g.provider_subsystem_code,
            serviceCode: g.service_code,
          },
          endpoints: g.endpoints,
          purposes: g.purposes,
          legalBasis: g.legal_basis,
          ratePerSecond: g.rate_per_second,
          dailyQuota: g.daily_quota,
          expiresAt: g.expires_at?.toISOString() ?? null,
        })),
      clients: [...clients.entries()].map(([subsystemCode, c]) => ({ subsystemCode, ...c })),
      ...(a.next ? { nextSigningKey: rawEd25519(a.next).toString('base64') } : {}),
    };
    return signConfiguration(config, a.signing);
  }

  /** Context ids by their content: a context never changes once made, so every process may keep its own. */
  private readonly contexts = new Map<string, number>();
  private async accessContext(c: AccessContext): Promise<number> {
    // null and '' kept apart, as the gateways group them
    const key = JSON.stringify([c.client, c.service, c.purpose, c.legal_basis, c.represented_party ?? null]);
    let id = this.contexts.get(key);
    if (id === undefined) {
      id = await this.repo.accessContext(c);
      if (this.contexts.size >= 10_000) this.contexts.clear();
      this.contexts.set(key, id);
    }
    return id;
  }

  /** A gateway's report: its latest signed checkpoint, its figures, and the subject access records it wrote. */
  async report(g: GatewayRow, body: GatewayReport): Promise<{ accepted: number }> {
    const a = await this.authority();
    if (body.checkpoint) {
      const size = Number(body.checkpoint.split('\n')[1]);
      if (Number.isInteger(size)) await this.repo.insertCheckpoint(g.id, size, body.checkpoint);
    }
    const groups = [...(body.accessRecordGroups ?? []), ...groupAccessRecords(body.accessRecords ?? [])];
    let total = 0;
    for (const r of groups) {
      if (
        r.subjects.length !== r.at.length ||
        r.subjects.length !== r.ids.length ||
        r.subjects.length !== r.indexes.length
      ) {
        throw invalid([
          {
            field: 'accessRecordGroups',
            vi: 'Mỗi nhóm phải có số chủ thể, số thời điểm, số mã thông điệp và số vị trí trong nhật ký bằng nhau.',
            en: 'Each group must hold as many subjects as times, message ids and log indexes.',
          },
        ]);
      }
      total += r.subjects.length;
    }
    if (total > 10_000)
      throw invalid([
        {
          field: 'accessRecordGroups',
          vi: 'Một báo cáo chứa tối đa 10.000 bản ghi truy cập.',
          en: 'A report holds at most 10,000 access records.',
        },
      ]);
    for (const r of groups) {
      const context = await this.accessContext({
        client: r.client,
        service: r.service,
        purpose: r.purpose,
        legal_basis: r.legalBasis,
        represented_party: r.representedParty ?? null,
      });
      await this.repo.insertAccessRecords(
        g.id,
        context,
        r.status,
        r.subjects.map((s) => subjectHash(a.subjectKey, s)),
        r.at,
        r.ids,
        r.indexes,
      );
    }
    // a report of access records alone (sent every second) keeps the last figures; it still says the gateway is alive
    if (body.metrics !== undefined)
      await this.repo.touchGateway(g.id, { at: new Date().toISOString(), metrics: body.metrics });
    else await this.repo.seenGateway(g.id);
    return { accepted: total };
  }

  /**
   * Who read a person's data: the supervisor across the exchange, or an agency's administrators for the reads of
   * their own services (records their agency's gateways made, the data their agency holds: Decree 13's controller
   * answers its data subjects). The citizen's own page comes with e-ID sign-in. Each lookup is audited (the person
   * as the keyed hash only), since it reads personal data itself.
   */
  async accessRecords(p: Principal, subject: string, agencyKey?: string) {
    requireUser(p);
    const agencyId = agencyKey ? await this.o.resolveAgency(agencyKey) : null;
    if (agencyId) requireAgencyRole(p, agencyId, 'agency_admin');
    else requirePlatformAdmin(p);
    const a = await this.authority();
    const id = subject.trim().toUpperCase();
    const rows = await this.repo.accessRecords(
      [a.subjectKey, ...a.previousSubjectKeys].map((k) => subjectHash(k, id)),
      500,
      agencyId,
    );
    await recordAudit(this.db, actorOf(p), {
      action: 'exchange.access_records.read',
      entityType: 'exchange_access_records',
      entityId: subjectHash(a.subjectKey, id).slice(0, 32),
      after: { agency: agencyId, records: rows.length },
    });
    return rows;
  }

  /** Gateways with their last reports: an agency's own for its officers, all of them for the supervisor. */
  async monitoring(p: Principal) {
    const user = requireUser(p);
    const gateways = await this.repo.activeGateways();
    return gateways.filter(
      (g) => (user.isPlatformAdmin && user.via === 'session') || hasAgencyRole(p, g.agency_id, 'viewer'),
    );
  }
}

type Static<T> = T extends { static: infer S } ? S : never;
/** The person's identifier under the registry's subject key, in hex: the records keep its bytes, never the identifier. */
export const subjectHash = (key: Buffer, subject: string): string =>
  createHmac('sha256', key).update(subject).digest('hex');

function checkServiceUrl(url: string): void {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw invalid([
      {
        field: 'baseUrl',
        vi: 'Địa chỉ dịch vụ phải là http hoặc https.',
        en: 'The service address must be http or https.',
      },
    ]);
  if (u.username || u.password || u.search || u.hash)
    throw invalid([
      {
        field: 'baseUrl',
        vi: 'Địa chỉ dịch vụ không được chứa thông tin đăng nhập, truy vấn hay phân đoạn.',
        en: 'The service address may not hold credentials, a query or a fragment.',
      },
    ]);
}
