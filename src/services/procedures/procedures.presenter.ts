import type { AgencyRef, DeskRow, ProcedureRow } from './procedure.js';
import type { Described } from './procedures.service.js';
import type { Gap, Holder } from './sources-view.js';

const agencyOut = (a: AgencyRef | null | undefined) =>
  a ? { slug: a.slug, code: a.code, name_vi: a.name_vi, name_en: a.name_en } : null;

/** A procedure as the API shows it: its form and result, its agency by name; never internal ids but its own. */
export function presentProcedure(r: ProcedureRow, agency: AgencyRef | undefined, baseUrl: string) {
  return {
    id: r.id,
    code: r.code,
    name_vi: r.name_vi,
    name_en: r.name_en,
    description_vi: r.description_vi,
    description_en: r.description_en,
    legal_basis: r.legal_basis,
    processing_days: r.processing_days,
    status: r.status,
    version: r.version,
    agency: agencyOut(agency),
    fields: r.fields,
    result: r.result,
    created: r.created_at.toISOString(),
    modified: r.updated_at.toISOString(),
    page: `${baseUrl}/services/${encodeURIComponent(r.code)}`,
  };
}

/** A procedure with, on each form field, where its value will come from (`null`: the applicant types it). */
export function presentDescribed(d: Described, baseUrl: string) {
  const out = presentProcedure(d.procedure, d.agency, baseUrl);
  return {
    ...out,
    fields: d.procedure.fields.map((f) => {
      const h = f.element ? d.holders.get(f.element) : undefined;
      return { ...f, source: h ? presentHolder(h) : null };
    }),
  };
}

/** Who holds an element: public (no gateway address, no key). */
export function presentHolder(h: Holder) {
  return {
    element: h.element,
    label: h.label,
    kind: h.kind,
    agency: agencyOut(h.agency),
    database: h.database ? { id: h.database.id, name_vi: h.database.name_vi, name_en: h.database.name_en } : null,
    service: h.service,
    path: h.path,
    field: h.field,
    procedure: h.procedure
      ? { code: h.procedure.code, name_vi: h.procedure.name_vi, name_en: h.procedure.name_en }
      : null,
    modified: h.updated_at.toISOString(),
  };
}

export function presentGap(g: Gap) {
  return {
    element: g.element,
    label: g.label,
    procedures: g.procedures.map((p) => ({
      code: p.code,
      name_vi: p.name_vi,
      name_en: p.name_en,
      status: p.status,
      fields: p.fields,
    })),
  };
}

/** A desk without its key, which is write-only. */
export function presentDesk(d: Omit<DeskRow, 'api_key'>) {
  return {
    client: d.client,
    gatewayUrl: d.gateway_url,
    timeoutMs: d.timeout_ms,
    hasKey: true,
    modified: d.updated_at.toISOString(),
  };
}
