import { createHash, timingSafeEqual, type KeyObject } from 'node:crypto';
import { DomainError } from '../../platform/errors.js';
import type { DossierField } from '../dossiers/dossier.types.js';
import type { ResultSpec } from '../procedures/procedure.js';

/**
 * A signed result as the platform keeps it: plain data and pure rules, no request and no SQL. The payload is what the
 * agency signs (a compact JWS, EdDSA); the row keeps both, so a row altered in the database no longer matches its
 * signature.
 */
export interface ResultPayloadField {
  key: string;
  element: string | null;
  label_vi: string;
  label_en: string | null;
  value: string;
}

export interface ResultPayload {
  /** the issuing agency's code (QĐ 20/2020/QĐ-TTg) */
  iss: string;
  kid: string;
  /** the result's id: the verification page's address */
  id: string;
  number: string;
  procedure: { code: string; name: string };
  title: string;
  /** the applicant's name */
  subject: string;
  fields: ResultPayloadField[];
  issued_at: string;
  valid_until: string | null;
}

export interface ResultRow {
  id: string;
  dossier_id: string;
  procedure_id: string;
  agency_id: string;
  public_user_id: string;
  subject_hash: string;
  number: string;
  kid: string;
  payload: ResultPayload;
  jws: string;
  issued_at: Date;
  issued_by: string | null;
  valid_until: Date | null;
  revoked_at: Date | null;
  revoke_reason: string | null;
}

export interface ResultKeyRow {
  kid: string;
  agency_id: string;
  public_jwk: PublicJwk;
  private_key: string;
  created_at: Date;
  retired_at: Date | null;
}

export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

/** An agency's signing key, opened: made by `ResultsService.signerFor` outside any transaction. */
export interface ResultSigner {
  agencyId: string;
  agencyCode: string;
  kid: string;
  privateKey: KeyObject;
}

/** What `issueIn` needs of a dossier (a `service_dossiers` row). */
export interface DossierForResult {
  id: string;
  procedure_id: string;
  agency_id: string;
  public_user_id: string;
  subject_hash: string;
  applicant_name: string;
  fields: DossierField[];
}

/** A fact a result holds for a person, as the prefill's engine reuses it. */
export interface ResultFactValue {
  value: string;
  resultId: string;
  agencyId: string;
  issuedAt: Date;
}

/** `ResultsService.fact`, as `services.part.ts` passes it to the prefill. */
export type ResultFact = (
  subjectHashes: string[],
  procedureId: string,
  field: string,
) => Promise<ResultFactValue | undefined>;

export type ResultStatus = 'valid' | 'invalid' | 'revoked' | 'expired';
/** Why a record is invalid: not a JWS, a key nobody published, a signature that fails, a row unlike what was signed */
export type InvalidReason = 'malformed' | 'unknown_key' | 'signature' | 'altered' | 'unknown_record';
/** Whether the `h` of the QR matched the record: only the holder of the paper sees the fields */
export type HolderCheck = 'match' | 'mismatch' | 'absent';

export const MAX_WRITTEN = 2000;

/**
 * The result's fields: each copied from the dossier's field named by `from`, or written by the officer (`from: null`,
 * required). A missing or too long written value is refused, naming the field.
 */
export function resultFields(
  spec: ResultSpec,
  dossierFields: DossierField[],
  written: Record<string, string>,
): ResultPayloadField[] {
  const byKey = new Map(dossierFields.map((f) => [f.key, f.value]));
  const problems: { field: string; vi: string; en: string }[] = [];
  const fields = spec.fields.map((f) => {
    let value: string;
    if (f.from === null) {
      value = (written[f.key] ?? '').trim();
      if (!value)
        problems.push({
          field: `written.${f.key}`,
          vi: `Cần ghi “${f.label_vi}”.`,
          en: `Write “${f.label_en ?? f.label_vi}”.`,
        });
      else if (value.length > MAX_WRITTEN)
        problems.push({
          field: `written.${f.key}`,
          vi: `“${f.label_vi}” dài quá ${MAX_WRITTEN} ký tự.`,
          en: `“${f.label_en ?? f.label_vi}” is longer than ${MAX_WRITTEN} characters.`,
        });
    } else value = byKey.get(f.from) ?? '';
    return { key: f.key, element: f.element, label_vi: f.label_vi, label_en: f.label_en, value };
  });
  if (problems.length)
    throw new DomainError(
      'VALIDATION_FAILED',
      { vi: 'Kết quả chưa đủ thông tin.', en: 'The result is incomplete.' },
      problems,
    );
  return fields;
}

/** The year in Vietnam's time zone, for the result's number. */
export const vietnamYear = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).getUTCFullYear();

/** 12/2026/GXN (giấy xác nhận) or 12/2026/QĐ (quyết định): the agency's sequence in the year. */
export const resultNumber = (seq: number, year: number, kind: ResultSpec['kind']) =>
  `${seq}/${year}/${kind === 'certificate' ? 'GXN' : 'QĐ'}`;

/** The first 16 bytes of SHA-256 of the JWS, base64url: the QR's `h`, proof that its reader holds the paper. */
export const holderHash = (jws: string) =>
  createHash('sha256').update(jws).digest().subarray(0, 16).toString('base64url');

export function holderCheck(jws: string, h: string | undefined): HolderCheck {
  if (!h) return 'absent';
  const want = Buffer.from(holderHash(jws));
  const got = Buffer.from(h);
  return want.length === got.length && timingSafeEqual(want, got) ? 'match' : 'mismatch';
}

/** The address the QR encodes. */
export const verifyUrl = (baseUrl: string, r: Pick<ResultRow, 'id' | 'jws'>) =>
  `${baseUrl}/verify/${r.id}?h=${holderHash(r.jws)}`;

/** The citizen's and the agency's printable page of a result (the dossier pages link to it). */
export const resultUrl = (id: string) => `/my/results/${id}`;

/** JSON with keys sorted: jsonb keeps no key order, so the stored payload is compared with the signed one this way. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** Valid, revoked or expired (a signature already checked). */
export function standing(r: Pick<ResultRow, 'revoked_at' | 'valid_until'>, now: Date): ResultStatus {
  if (r.revoked_at) return 'revoked';
  if (r.valid_until && r.valid_until.getTime() <= now.getTime()) return 'expired';
  return 'valid';
}
