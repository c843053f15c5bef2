import { X509Certificate, createPrivateKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { actorOf, requirePlatformAdmin, type Principal } from '../../accounts/principal.js';
import type { Anchor } from '../protocol/configuration.js';
import { caName, createCaCertificate, generateTlsKey, issueGatewayCertificate, rawEd25519 } from '../protocol/pki.js';
import { isSealed, openKey, sealKey } from '../../platform/key-vault.js';
import { AuthorityRepository } from './authority.repository.js';
import { conflict, hostOf, type RegistryOptions } from './registry.rules.js';

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

/**
 * The registry's authority: the key configurations are signed with, the internal CA that issues gateways' TLS
 * certificates (and keeps them fresh), the subject key persons' ids are hashed under, and their rotation (the
 * supervisor's).
 */
export class AuthorityService {
  private readonly repo: AuthorityRepository;
  private authorityCache: { value: Authority; pem: string; readAt: number } | undefined;

  constructor(
    private readonly db: Kysely<any>,
    private readonly o: RegistryOptions,
  ) {
    this.repo = new AuthorityRepository(db);
  }

  /**
   * The registry's keys, made on first use: an Ed25519 key for configurations and a P-256 CA (and their
   * successors, once announced; the CA before a switch, while gateways still present its certificates).
   * Read again every few seconds, so that keys switched by another registry process are this one's too.
   * Internal: it holds the secret keys; trusted code only (the registry's services, `ndp serve` at start).
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
  trustedCas(a: Authority): string {
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
    const gateways = await this.repo.gatewayVersions();
    // every gateway's certificate issued again by the new CA, for the same key and host
    const issued = await Promise.all(
      gateways.map(async (g) => ({
        g,
        certificate: await issueGatewayCertificate({
          caKeyPem: a.nextCaKey!,
          caCertPem: a.nextCaCert!,
          gatewayId: g.id,
          host: hostOf(g.address),
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
  /** Once every active gateway has fetched a configuration from after the switch, the CA before is no longer trusted. Internal: run before each configuration is built. */
  async retirePreviousCa(): Promise<void> {
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

  /** A gateway's TLS certificate from the CA in force, for its key and host. Internal: the caller checked who asks. */
  async issueCertificate(gatewayId: string, host: string, publicKeyPem: string): Promise<string> {
    const a = await this.authority();
    return issueGatewayCertificate({
      caKeyPem: a.caKey,
      caCertPem: a.caCert,
      gatewayId,
      host,
      publicKeyPem,
      days: GATEWAY_CERTIFICATE_DAYS,
    });
  }

  /**
   * Issues again, for the same key and host, the certificates of active gateways that end within 30 days:
   * every gateway's next configuration carries them (its own to present, its peers' to expect), so a
   * certificate never runs out under traffic, and a gateway long offline gets a fresh one when it is back.
   * Internal: run before each configuration is built (no principal; the registry's own upkeep).
   */
  async renewCertificates(): Promise<void> {
    const soon = Date.now() + RENEW_WITHIN_MS;
    const a = await this.authority();
    // due: ending soon, or not from the CA in force (a switch that raced a renewal, or forced past a gateway): never left to lapse with the old CA
    const due = (await this.repo.gatewayVersions()).filter(
      (g) => certificateEnds(g.certificate) < soon || !issuedBy(g.certificate, a.caCert),
    );
    if (!due.length) return;
    for (const g of due) {
      const certificate = await issueGatewayCertificate({
        caKeyPem: a.caKey,
        caCertPem: a.caCert,
        gatewayId: g.id,
        host: hostOf(g.address),
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
}
