import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError, invalid } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { actorOf, requireAgencyRole, type Principal } from '../../accounts/principal.js';
import { hashClientKey, readClientCertificate } from '../protocol/client-keys.js';
import { MembersRepository } from './members.repository.js';
import type { ClientCertificateCreate, ClientKeyCreate, SubsystemCreate } from './registry.schema.js';
import { change, conflict, type RegistryOptions, type Static } from './registry.rules.js';

/** Members' subsystems (their information systems) and the credentials with which a system signs in to its gateway. */
export class MembersService {
  private readonly repo: MembersRepository;

  constructor(
    db: Kysely<any>,
    private readonly o: RegistryOptions,
  ) {
    this.repo = new MembersRepository(db);
  }

  async createSubsystem(p: Principal, body: SubsystemCreate) {
    const agencyId = await this.o.resolveAgency(body.agency);
    requireAgencyRole(p, agencyId, 'agency_admin');
    const id = randomUUID();
    await change(p, this.repo, async (trx) => {
      if (await this.repo.subsystemCodeTaken(trx, agencyId, body.code)) {
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
    await change(p, this.repo, async (trx) => {
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
      await change(p, this.repo, async (trx) => {
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
    await change(p, this.repo, async (trx) => {
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

  /** Whether `key` is a live API key of the subsystem (its agency's administrators). */
  async isLiveClientKey(p: Principal, subsystemId: string, key: string): Promise<boolean> {
    const s = await this.repo.subsystem(subsystemId);
    if (!s) throw new DomainError('NOT_FOUND');
    requireAgencyRole(p, s.agency_id, 'agency_admin');
    return this.repo.liveClientKey(s.id, hashClientKey(key));
  }

  // ── the directory: public, as the API has always served it (who offers what is no secret) ──
  /** Members' subsystems, of one agency or all. Public. */
  listSubsystems(agencyId?: string) {
    return this.repo.listSubsystems(agencyId);
  }
  /** A subsystem by its member code and code. Public. */
  subsystemByCode(memberCode: string, code: string) {
    return this.repo.subsystemByCode(memberCode, code);
  }
  /** A subsystem by its id. Public (the caller checks what it does with it). */
  subsystem(id: string) {
    return this.repo.subsystem(id);
  }
  /** Members and their subsystems, as every gateway's configuration lists them. Public. */
  members() {
    return this.repo.members();
  }

  // ── for the configuration of an agency's gateway (internal: the gateway was authenticated by the caller) ──
  /** The hashes of the live API keys of an agency's systems. Internal. */
  clientKeys(agencyId: string) {
    return this.repo.clientKeys(agencyId);
  }
  /** The pins of the live client certificates of an agency's systems. Internal. */
  clientCertificates(agencyId: string) {
    return this.repo.clientCertificates(agencyId);
  }
}
