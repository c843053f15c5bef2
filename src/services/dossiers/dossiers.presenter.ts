import type { ProcedureRow } from '../procedures/procedure.js';
import type { CorrectionFiled, ShownDossier } from './dossiers.service.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

const label = (p: ProcedureRow, key: string) => {
  const f = p.fields.find((x) => x.key === key);
  return { label_vi: f?.label_vi ?? key, label_en: f?.label_en ?? null };
};

/** A dossier as its applicant or the deciding agency's officer sees it: per field origin and source; never the hash. */
export const presentDossier = ({ row, procedure, agency }: ShownDossier, resultUrl: string | null = null) => ({
  id: row.id,
  reference: row.reference,
  procedure: { code: procedure.code, name_vi: procedure.name_vi, name_en: procedure.name_en },
  agency: { id: agency.id, code: agency.code, name_vi: agency.name_vi, name_en: agency.name_en },
  applicantName: row.applicant_name,
  status: row.status,
  fields: row.fields.map((f) => ({ ...f, ...label(procedure, f.key) })),
  reused: row.reused,
  typed: row.typed,
  submittedAt: row.submitted_at.toISOString(),
  dueAt: iso(row.due_at),
  decidedAt: iso(row.decided_at),
  decisionNote: row.decision_note,
  resultUrl,
});

export const presentCorrection = (c: CorrectionFiled) => ({
  agencyId: c.agencyId,
  fields: c.fields,
  requestId: c.requestId,
  error: c.error,
});
