import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError, invalid } from '../platform/errors.js';
import { recordAudit } from '../platform/audit.js';
import { actorOf, requireAgencyRole, requireUser, type Principal } from '../accounts/principal.js';
import { consentSubject, signConsent, type ConsentArtefact } from '../exchange/protocol/consent.js';
import { validUserId } from '../exchange/protocol/identifiers.js';
import { MEMBER_CLASS, subjectHash, type RegistryService } from '../exchange/registry/registry.service.js';
import { ConsentRepository, type ConsentRow } from './consent.repository.js';
import type { ConsentRequest } from './consent.schema.js';

/** A request the person has not answered in this time lapses: silence is never consent (Law 91, Art. 9). */
export const REQUEST_LAPSES_MS = 30 * 86_400_000;
const MAX_VALIDITY_MS = 5 * 365 * 86_400_000;

/**
 * Consent bound to the exchange: an agency's system asks (`request`), the person approves or refuses it and may
 * withdraw it at any time (`decide`, with the keyed hashes of the person signed in at the e-ID's level 2), the
 * recipient fetches the signed artefact to send with its calls (`forRecipient`), and provider gateways learn
 * withdrawals from `withdrawnAfter` every second.
 */
export class ConsentService {
  private readonly repo: ConsentRepository;
  constructor(
    private readonly db: Kysely<any>,
    private readonly registry: RegistryService,
    private readonly instance: string,
  ) {
    this.repo = new ConsentRepository(db);
  }

  async request(p: Principal, body: ConsentRequest) {
    const user = requireUser(p);
    const recipient = await this.registry.subsystem(body.recipient);
    if (!recipient) throw invalid([{ field: 'recipient', vi: 'Không có hệ thống này.', en: 'No such subsystem.' }]);
    requireAgencyRole(p, recipient.agency_id, 'agency_editor');
    const subject = body.subject.trim().toUpperCase();
    if (!validUserId(subject))
      throw invalid([
        {
          field: 'subject',
          vi: 'Mã người dùng không hợp lệ (ví dụ VN001234567890).',
          en: 'Not a valid user id (e.g. VN001234567890).',
        },
      ]);
    const services: ConsentArtefact['services'] = [];
    for (const [i, s] of body.services.entries()) {
      const v = await this.registry.service(s.service);
      if (!v) throw invalid([{ field: `services/${i}`, vi: 'Không có dịch vụ này.', en: 'No such service.' }]);
      services.push({
        service: `${this.instance}/${MEMBER_CLASS}/${v.member_code}/${v.subsystem_code}/${v.code}`,
        fields: [...new Set(s.fields ?? [])],
      });
    }
    const now = Date.now();
    const until = Date.parse(body.validUntil);
    if (!(until > now) || until - now > MAX_VALIDITY_MS)
      throw invalid([
        {
          field: 'validUntil',
          vi: 'Thời hạn phải ở tương lai và không quá 5 năm.',
          en: 'The validity must end in the future, within 5 years.',
        },
      ]);
    const a = await this.registry.authority();
    const id = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await this.repo.insert(trx, {
        id,
        subject_hash: subjectHash(a.subjectKey, subject),
        artefact_subject: consentSubject(subject),
        recipient_subsystem_id: recipient.id,
        services,
        purpose: body.purpose,
        valid_from: new Date(now),
        valid_until: new Date(until),
        uses_per_day: body.usesPerDay ?? null,
        retention_days: body.retentionDays,
        note: body.note ?? null,
        status: 'requested',
        requested_by: user.userId,
      });
      await recordAudit(trx, actorOf(p), {
        action: 'privacy.consent.request',
        entityType: 'privacy_consent',
        entityId: id,
        agencyId: recipient.agency_id,
        after: { recipient: recipient.id, services, purpose: body.purpose, validUntil: body.validUntil },
      });
    });
    return this.withRecipient((await this.repo.get(id))!);
  }

  /** A consent its recipient agency asked for, with the signed artefact while it is in force. */
  async forRecipient(p: Principal, id: string) {
    const c = await this.repo.get(id);
    if (!c) throw new DomainError('NOT_FOUND');
    const recipient = await this.registry.subsystem(c.recipient_subsystem_id);
    if (!recipient) throw new DomainError('NOT_FOUND');
    requireAgencyRole(p, recipient.agency_id, 'viewer');
    const shown = await this.withRecipient(c);
    return { ...shown, artefact: effective(c) === 'active' ? await this.artefact(c, shown.recipient) : undefined };
  }

  /** The consents asked of the person whose keyed hashes these are (the e-ID sign-in gives them), newest first. */
  async ofPerson(subjectHashes: string[]) {
    const rows = await this.repo.ofSubjects(subjectHashes, 500);
    return Promise.all(rows.map((c) => this.withRecipient(c)));
  }

  /** The person approves, refuses or withdraws; only the person the consent names, only from a state that allows it. */
  async decide(subjectHashes: string[], id: string, decision: 'approve' | 'refuse' | 'withdraw') {
    // another person's consent is as unknown as one that does not exist
    const known = await this.repo.get(id);
    if (!known || !subjectHashes.includes(known.subject_hash)) throw new DomainError('NOT_FOUND');
    // read before the transaction: the embedded database has one connection, which the transaction holds
    const recipient = await this.registry.subsystem(known.recipient_subsystem_id);
    await this.db.transaction().execute(async (trx) => {
      const c = (await this.repo.forUpdate(trx, id))!;
      const now = effective(c);
      const allowed = decision === 'withdraw' ? now === 'active' : now === 'requested';
      if (!allowed)
        throw new DomainError('INVALID_STATE', {
          vi: `Không thể ${decision === 'withdraw' ? 'rút lại' : 'quyết định'} sự đồng ý ở trạng thái “${now}”.`,
          en: `A consent that is “${now}” cannot be ${decision === 'withdraw' ? 'withdrawn' : 'decided'}.`,
        });
      if (decision === 'withdraw') await this.repo.withdraw(trx, id);
      else await this.repo.decide(trx, id, decision === 'approve' ? 'active' : 'refused');
      // the person acts, not a staff account: the trail names them as the keyed hash only
      await recordAudit(
        trx,
        { userId: null, tokenId: null },
        {
          action: `privacy.consent.${decision}`,
          entityType: 'privacy_consent',
          entityId: id,
          agencyId: recipient?.agency_id ?? null,
          after: { by: 'data_subject', subject: c.subject_hash.slice(0, 32) },
        },
      );
    });
    return this.withRecipient((await this.repo.get(id))!);
  }

  /**
   * The signed artefact of the person's consent in force for this recipient system (`instance/class/member/subsystem`),
   * service (its X-Road id) and purpose, if they gave one: what a platform system calling on the person's own behalf
   * (a prefill of the services part) attaches. Internal: the hashes come from the person's level-2 sign-in.
   */
  async artefactInForce(subjectHashes: string[], client: string, service: string, purpose: string) {
    for (const c of await this.repo.ofSubjects(subjectHashes, 500)) {
      if (effective(c) !== 'active' || c.purpose !== purpose || !c.services.some((s) => s.service === service))
        continue;
      const { recipient } = await this.withRecipient(c);
      if (recipient === client) return this.artefact(c, recipient);
    }
    return undefined;
  }

  /** Withdrawals after `after` for the gateways' feed. Internal: the caller authenticated the gateway. */
  withdrawnAfter(after: number, limit = 1000) {
    return this.repo.withdrawnAfter(after, limit);
  }

  private async withRecipient(c: ConsentRow) {
    const r = await this.registry.subsystem(c.recipient_subsystem_id);
    const recipient = r ? `${this.instance}/${MEMBER_CLASS}/${r.member_code}/${r.code}` : '';
    return {
      ...c,
      status: effective(c),
      recipient,
      recipientName: r?.name ?? '',
      agencyName: r?.agency_name ?? '',
      agencyNameEn: r?.agency_name_en ?? null,
    };
  }

  /** Signed when fetched, with the registry's key in force: a key rotation never strands an artefact. */
  private async artefact(c: ConsentRow, recipient: string): Promise<string> {
    const [, memberClass, memberCode, subsystemCode] = recipient.split('/') as [string, string, string, string];
    const a = await this.registry.authority();
    return signConsent(
      {
        v: 1,
        id: c.id,
        subject: c.artefact_subject,
        recipient: { memberClass, memberCode, subsystemCode },
        services: c.services,
        purpose: c.purpose,
        validFrom: c.valid_from.toISOString(),
        validUntil: c.valid_until.toISOString(),
        usesPerDay: c.uses_per_day,
        retentionDays: c.retention_days,
        issuedAt: (c.decided_at ?? c.requested_at).toISOString(),
      },
      a.signing,
    );
  }
}

/** The status as of now: a request unanswered for 30 days has lapsed, a consent past its validity too. */
export function effective(c: ConsentRow, now = Date.now()): ConsentRow['status'] {
  if (
    c.status === 'requested' &&
    (now - c.requested_at.getTime() > REQUEST_LAPSES_MS || c.valid_until.getTime() <= now)
  )
    return 'lapsed';
  if (c.status === 'active' && c.valid_until.getTime() <= now) return 'lapsed';
  return c.status;
}
