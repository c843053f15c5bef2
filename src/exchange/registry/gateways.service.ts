import type { KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { invalid } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { actorOf, hasAgencyRole, requireAgencyRole, requireUser, type Principal } from '../../accounts/principal.js';
import { ed25519FromRaw, spkiPin } from '../protocol/pki.js';
import { verifyRegistryCall } from '../protocol/signing.js';
import type { AuthorityService } from './authority.service.js';
import type { AccessRecordsService } from './access-records.service.js';
import { GatewaysRepository } from './gateways.repository.js';
import type { GatewayRow } from './registry.rows.js';
import type { GatewayRegister, GatewayReport } from './registry.schema.js';
import { change, conflict, hostOf, unauthenticated, type RegistryOptions } from './registry.rules.js';

/** Agencies' gateways: registered by their administrators, authenticated on every signed call, and what they report. */
export class GatewaysService {
  private readonly repo: GatewaysRepository;

  constructor(
    db: Kysely<any>,
    private readonly o: RegistryOptions,
    private readonly authority: AuthorityService,
    private readonly accessRecords: AccessRecordsService,
  ) {
    this.repo = new GatewaysRepository(db);
  }

  /** Registers the agency's gateway (replacing the one before) and issues its TLS certificate from the internal CA. */
  async registerGateway(p: Principal, body: GatewayRegister) {
    const agencyId = await this.o.resolveAgency(body.agency);
    requireAgencyRole(p, agencyId, 'agency_admin');
    let host: string;
    try {
      host = hostOf(body.address);
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
    const known = await this.repo.bySigningKey(body.signingKey);
    if (known && (known.agency_id !== agencyId || known.revoked_at || known.tls_public_key !== body.tlsPublicKey)) {
      throw conflict(
        'Khoá ký này đã được đăng ký cho một cổng khác.',
        'This signing key is already registered for a gateway.',
      );
    }
    if (known) {
      // the same gateway at a new address: same id, a certificate for the new host
      const certificate = await this.authority.issueCertificate(known.id, host, body.tlsPublicKey);
      await change(p, this.repo, async (trx) => {
        await this.repo.moveGateway(trx, known.id, body.address, certificate);
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
    const certificate = await this.authority.issueCertificate(id, host, body.tlsPublicKey);
    await change(p, this.repo, async (trx) => {
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

  /** A gateway's report: its latest signed checkpoint, its figures, and the subject access records it wrote. */
  async report(g: GatewayRow, body: GatewayReport): Promise<{ accepted: number }> {
    if (body.checkpoint) {
      const size = Number(body.checkpoint.split('\n')[1]);
      if (Number.isInteger(size)) await this.repo.insertCheckpoint(g.id, size, body.checkpoint);
    }
    const accepted = await this.accessRecords.record(g.id, body);
    // a report of access records alone (sent every second) keeps the last figures; it still says the gateway is alive
    if (body.metrics !== undefined)
      await this.repo.touchGateway(g.id, { at: new Date().toISOString(), metrics: body.metrics });
    else await this.repo.seenGateway(g.id);
    return { accepted };
  }

  /** Gateways with their last reports: an agency's own for its officers, all of them for the supervisor. */
  async monitoring(p: Principal) {
    const user = requireUser(p);
    const gateways = await this.repo.activeGateways();
    return gateways.filter(
      (g) => (user.isPlatformAdmin && user.via === 'session') || hasAgencyRole(p, g.agency_id, 'viewer'),
    );
  }

  /** The signed log checkpoints a gateway reported, newest first. Public: an auditor's copy, as the API serves it. */
  checkpoints(gatewayId: string, limit = 100) {
    return this.repo.checkpoints(gatewayId, limit);
  }

  /** An agency's active gateway, or all of them. Internal: for the configuration and trusted code (the demo network at start). */
  activeGateways(agencyId?: string) {
    return this.repo.activeGateways(agencyId);
  }

  /** Notes that the gateway fetches the configuration of the current version, and returns that version. Internal: the gateway was authenticated. */
  async fetching(gatewayId: string): Promise<number> {
    const version = await this.repo.version();
    await this.repo.configFetched(gatewayId, version);
    return version;
  }
}
