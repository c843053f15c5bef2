import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError, invalid } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { openKey, sealKey } from '../../platform/key-vault.js';
import { actorOf, hasAgencyRole, requireAgencyRole, type Principal } from '../../accounts/principal.js';
import { SignInThrottle } from '../../accounts/sign-in-throttle.js';
import { requireCitizen, type PublicUser } from '../../identity/public-principal.js';
import type { ProcedureRow } from '../procedures/procedure.js';
import {
  canonical,
  holderCheck,
  resultFields,
  resultNumber,
  resultUrl,
  standing,
  vietnamYear,
  type DossierForResult,
  type HolderCheck,
  type InvalidReason,
  type PublicJwk,
  type ResultFactValue,
  type ResultPayload,
  type ResultRow,
  type ResultSigner,
  type ResultStatus,
} from './result.js';
import { checkJws, newResultKey, publicKeyOf, signResult, withoutWhitespace } from './result-signing.js';
import { ResultsRepository } from './results.repository.js';

/** Who issues and revokes an agency's results: its editors (officers); its administrators retire its key. */
export const RESULT_ROLE = 'agency_editor' as const;
const KEY_PURPOSE = 'service-result-signing-key';
const DAY = 86_400_000;
/** An empty box, or one holding only the spaces and line breaks a copy brings along. */
const NOTHING_PASTED = { vi: 'Hãy dán kết quả đã ký.', en: 'Paste the signed result.' };

export interface AgencyInfo {
  id: string;
  code: string;
  name_vi: string;
  name_en: string | null;
}

export interface ResultsDeps {
  /** an agency's code and names (masterdata) */
  agency(id: string): Promise<AgencyInfo>;
  /** seals agencies' private keys at rest (`NDP_EXCHANGE_KEY_ENCRYPTION_KEY`) */
  keyEncryptionKey: Buffer | undefined;
  now?: () => Date;
}

/** What a verifier is told. The fields only to the holder: `h` matched, or the whole JWS was pasted. */
export interface Verification {
  status: ResultStatus;
  reason: InvalidReason | null;
  holder: HolderCheck;
  result: Pick<ResultRow, 'id' | 'number' | 'issued_at' | 'valid_until' | 'revoked_at' | 'revoke_reason'> | null;
  agency: AgencyInfo | null;
  payload: ResultPayload | null;
}

/**
 * Signed results: an agency's officer issues one inside the dossier's decision (`issueIn`, in the dossier's
 * transaction), signed with the agency's Ed25519 key (made the first time, sealed at rest); anyone verifies it by its
 * QR or by pasting the JWS; the person's later procedures reuse its fields as facts (`fact`).
 */
export class ResultsService {
  private readonly repo: ResultsRepository;
  private readonly now: () => Date;
  /** public keys never change: kept once read */
  private readonly publicKeys = new Map<string, { agencyId: string; key: KeyObject }>();
  /** pasted JWSs: 60 per address in 10 minutes (each is a signature check and a read) */
  private readonly pasteThrottle = new SignInThrottle({ perAddress: 60, perAccount: 60, windowMs: 10 * 60_000 });

  constructor(
    private readonly db: Kysely<any>,
    private readonly deps: ResultsDeps,
  ) {
    this.repo = new ResultsRepository(db);
    this.now = deps.now ?? (() => new Date());
  }

  clock(): Date {
    return this.now();
  }

  /** The agency's signing key, made if it has none. Call it before the issuing transaction: it reads and may write. */
  async signerFor(agencyId: string): Promise<ResultSigner> {
    let row = await this.repo.currentKey(agencyId);
    if (!row) {
      const { jwk, privatePem } = newResultKey();
      await this.repo.insertKey({
        kid: jwk.kid,
        agency_id: agencyId,
        public_jwk: jwk,
        private_key: sealKey(privatePem, this.deps.keyEncryptionKey, KEY_PURPOSE),
        created_at: this.now(),
        retired_at: null,
      });
      row = await this.repo.currentKey(agencyId);
      if (!row) throw new Error('no result key after making one');
    }
    const { code } = await this.deps.agency(agencyId);
    return {
      agencyId,
      agencyCode: code,
      kid: row.kid,
      privateKey: createPrivateKey(openKey(row.private_key, this.deps.keyEncryptionKey, KEY_PURPOSE)),
    };
  }

  /** Retires the agency's key: it signs no more, still verifies; the next result makes a new one. */
  async retireKey(p: Principal, agencyId: string): Promise<{ kid: string | null }> {
    requireAgencyRole(p, agencyId, 'agency_admin');
    const kid = await this.db.transaction().execute(async (trx) => {
      const retired = await this.repo.retireKey(trx, agencyId, this.now());
      if (retired)
        await recordAudit(trx, actorOf(p), {
          action: 'services.result_key.retire',
          entityType: 'service_result_key',
          entityId: retired,
          agencyId,
        });
      return retired;
    });
    return { kid: kid ?? null };
  }

  /**
   * Issues the result of a dossier inside the caller's transaction (the dossier's decision): the fields from the
   * procedure's result spec, signed, stored, audited. `signer` comes from `signerFor`, read before the transaction.
   */
  async issueIn(
    trx: Kysely<any>,
    signer: ResultSigner,
    o: {
      user: Principal;
      dossier: DossierForResult;
      procedure: ProcedureRow;
      written: Record<string, string>;
      now?: Date;
    },
  ): Promise<ResultRow> {
    const { dossier, procedure } = o;
    const officer = requireAgencyRole(o.user, procedure.agency_id, RESULT_ROLE);
    if (dossier.procedure_id !== procedure.id || signer.agencyId !== procedure.agency_id)
      throw new DomainError('INVALID_STATE', {
        vi: 'Hồ sơ, thủ tục và khóa ký không khớp nhau.',
        en: 'The dossier, the procedure and the signing key do not belong together.',
      });
    const fields = resultFields(procedure.result, dossier.fields, o.written);
    const now = o.now ?? this.now();
    const year = vietnamYear(now);
    const number = resultNumber(await this.repo.nextNumber(trx, signer.agencyId, year), year, procedure.result.kind);
    const days = procedure.result.validity_days;
    const validUntil = days === null ? null : new Date(now.getTime() + days * DAY);
    const id = randomUUID();
    const payload: ResultPayload = {
      iss: signer.agencyCode,
      kid: signer.kid,
      id,
      number,
      procedure: { code: procedure.code, name: procedure.name_vi },
      title: procedure.result.title_vi,
      subject: dossier.applicant_name,
      fields,
      issued_at: now.toISOString(),
      valid_until: validUntil?.toISOString() ?? null,
    };
    const row: ResultRow = {
      id,
      dossier_id: dossier.id,
      procedure_id: procedure.id,
      agency_id: signer.agencyId,
      public_user_id: dossier.public_user_id,
      subject_hash: dossier.subject_hash,
      number,
      kid: signer.kid,
      payload,
      jws: await signResult(payload, signer),
      issued_at: now,
      issued_by: officer.userId,
      valid_until: validUntil,
      revoked_at: null,
      revoke_reason: null,
    };
    await this.repo.insert(trx, row);
    await recordAudit(trx, actorOf(o.user), {
      action: 'services.result.issue',
      entityType: 'service_result',
      entityId: id,
      agencyId: signer.agencyId,
      after: { number, dossier: dossier.id, kid: signer.kid },
    });
    return row;
  }

  async revoke(p: Principal, id: string, reason: string): Promise<ResultRow> {
    const row = await this.repo.byId(id);
    if (!row) throw notFound();
    requireAgencyRole(p, row.agency_id, RESULT_ROLE);
    const why = reason.trim();
    if (why.length < 3 || why.length > 1000)
      throw new DomainError('VALIDATION_FAILED', undefined, [
        { field: 'reason', vi: 'Ghi lý do thu hồi (3–1.000 ký tự).', en: 'Give the reason (3–1,000 characters).' },
      ]);
    if (row.revoked_at)
      throw new DomainError('INVALID_STATE', { vi: 'Kết quả đã bị thu hồi.', en: 'The result is already revoked.' });
    const at = this.now();
    await this.db.transaction().execute(async (trx) => {
      await this.repo.revoke(trx, id, at, why);
      await recordAudit(trx, actorOf(p), {
        action: 'services.result.revoke',
        entityType: 'service_result',
        entityId: id,
        agencyId: row.agency_id,
        after: { reason: why },
      });
    });
    return { ...row, revoked_at: at, revoke_reason: why };
  }

  /** Every agency's result keys, retired ones too (they still verify what they signed): a JWKS. */
  async keys(): Promise<{ keys: PublicJwk[] }> {
    return { keys: (await this.repo.publicKeys()).map((k) => k.public_jwk) };
  }

  /** The person's latest result of the procedure in force, with the field's value as signed; else undefined. */
  async fact(subjectHashes: string[], procedureId: string, field: string): Promise<ResultFactValue | undefined> {
    const row = await this.repo.latestValid(subjectHashes, procedureId, this.now());
    if (!row) return undefined;
    const checked = await checkJws(row.jws, (kid) => this.publicKey(kid));
    if (!checked.ok || checked.payload.id !== row.id) return undefined;
    const f = checked.payload.fields.find((x) => x.key === field);
    if (!f) return undefined;
    return { value: f.value, resultId: row.id, agencyId: row.agency_id, issuedAt: row.issued_at };
  }

  /** The verification page of the QR: the signature checked every time, the fields only when `h` matches. */
  async verifyById(id: string, h: string | undefined): Promise<Verification> {
    const row = await this.repo.byId(id);
    if (!row) throw notFound();
    const agency = await this.deps.agency(row.agency_id);
    const checked = await checkJws(row.jws, (kid) => this.publicKey(kid));
    let reason: InvalidReason | null = checked.ok ? null : checked.reason;
    if (checked.ok && (canonical(checked.payload) !== canonical(row.payload) || checked.payload.id !== row.id))
      reason = 'altered';
    if (checked.ok && this.publicKeys.get(checked.kid)?.agencyId !== row.agency_id) reason = 'signature';
    const holder = holderCheck(row.jws, h);
    const status = reason ? 'invalid' : standing(row, this.now());
    return {
      status,
      reason,
      holder,
      result: row,
      agency,
      payload: checked.ok && !reason && holder === 'match' ? checked.payload : null,
    };
  }

  /** A pasted compact JWS, checked against the published keys and the register of results. */
  async verifyJws(pasted: string, clientAddress: string): Promise<Verification> {
    const jws = withoutWhitespace(pasted);
    if (!jws) throw invalid([{ field: 'body.jws', ...NOTHING_PASTED }]);
    if (this.pasteThrottle.retryAfter(clientAddress, clientAddress) > 0) throw new DomainError('TOO_MANY_ATTEMPTS');
    this.pasteThrottle.fail(clientAddress, clientAddress);
    const bad = (reason: InvalidReason, agency: AgencyInfo | null = null): Verification => ({
      status: 'invalid',
      reason,
      holder: 'match',
      result: null,
      agency,
      payload: null,
    });
    const checked = await checkJws(jws, (kid) => this.publicKey(kid));
    if (!checked.ok) return bad(checked.reason);
    const keyAgency = await this.deps.agency(this.publicKeys.get(checked.kid)!.agencyId);
    if (keyAgency.code !== checked.payload.iss) return bad('signature');
    const row = typeof checked.payload.id === 'string' ? await this.repo.byId(checked.payload.id) : undefined;
    if (!row || row.agency_id !== keyAgency.id) return bad('unknown_record', keyAgency);
    return {
      status: standing(row, this.now()),
      reason: null,
      holder: 'match',
      result: row,
      agency: keyAgency,
      payload: checked.payload,
    };
  }

  /** The printable page's result: the person's own (e-ID level 2) or the deciding agency's staff; else not found. */
  async forViewer(p: Principal, u: PublicUser | null, id: string): Promise<{ row: ResultRow; agency: AgencyInfo }> {
    const row = await this.repo.byId(id);
    if (!row) throw notFound();
    if (u && u.userId === row.public_user_id) requireCitizen(u, 2);
    else if (!hasAgencyRole(p, row.agency_id, 'viewer')) throw notFound();
    return { row, agency: await this.deps.agency(row.agency_id) };
  }

  /** For the dossier pages: the result a dossier was decided with, if any. */
  async ofDossier(dossierId: string): Promise<ResultRow | undefined> {
    return this.repo.byDossier(dossierId);
  }

  /** The printable page's address of a dossier's result, for the dossier pages; null before one is issued. */
  async resultLink(dossierId: string): Promise<string | null> {
    const row = await this.repo.byDossier(dossierId);
    return row ? resultUrl(row.id) : null;
  }

  async ofPerson(u: PublicUser | null): Promise<ResultRow[]> {
    return this.repo.ofUser(requireCitizen(u, 2).userId);
  }

  private async publicKey(kid: string): Promise<KeyObject | undefined> {
    let known = this.publicKeys.get(kid);
    if (!known) {
      const row = await this.repo.key(kid);
      if (!row) return undefined;
      known = { agencyId: row.agency_id, key: publicKeyOf(row.public_jwk) };
      this.publicKeys.set(kid, known);
    }
    return known.key;
  }
}

const notFound = () => new DomainError('NOT_FOUND', { vi: 'Không tìm thấy kết quả.', en: 'No such result.' });
