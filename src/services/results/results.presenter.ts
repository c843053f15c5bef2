import type { AgencyInfo, Verification } from './results.service.js';
import { verifyUrl, type ResultRow } from './result.js';

const agencyOf = (a: AgencyInfo | null) => a && { code: a.code, name_vi: a.name_vi, name_en: a.name_en };

/** A result as its holder and its agency's staff get it through the API. */
export function presentResult(r: ResultRow, baseUrl: string) {
  return {
    id: r.id,
    number: r.number,
    dossierId: r.dossier_id,
    issuedAt: r.issued_at.toISOString(),
    validUntil: r.valid_until?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
    revokeReason: r.revoke_reason,
    verifyUrl: verifyUrl(baseUrl, r),
    jws: r.jws,
  };
}

/** A verification: the fields only when the caller holds the record (the QR's `h`, or the whole JWS). */
export function presentVerification(v: Verification) {
  return {
    status: v.status,
    reason: v.reason,
    holder: v.holder,
    agency: agencyOf(v.agency),
    result: v.result && {
      id: v.result.id,
      number: v.result.number,
      issuedAt: v.result.issued_at.toISOString(),
      validUntil: v.result.valid_until?.toISOString() ?? null,
      revokedAt: v.result.revoked_at?.toISOString() ?? null,
      revokeReason: v.result.revoke_reason,
    },
    content: v.payload && {
      title: v.payload.title,
      procedure: v.payload.procedure,
      subject: v.payload.subject,
      fields: v.payload.fields,
    },
  };
}
