import type { AgencyRef, DatabaseRef, ProcedureRow, SourceRow } from './procedure.js';

type Label = { vi: string; en: string };
type ProcedureRef = Pick<ProcedureRow, 'id' | 'code' | 'name_vi' | 'name_en'>;

/** Who holds an element, named for people: the agency, its database and service, or the procedure whose result carries it. */
export interface Holder {
  element: string;
  label: Label | null;
  kind: SourceRow['kind'];
  agency: AgencyRef | null;
  database: DatabaseRef | null;
  service: string | null;
  path: string | null;
  field: string | null;
  procedure: ProcedureRef | null;
  updated_at: Date;
}

/** A bound element of an agency's procedures that nobody holds yet, with the procedures (and their fields) using it. */
export interface Gap {
  element: string;
  label: Label | null;
  procedures: (ProcedureRef & { status: ProcedureRow['status']; fields: string[] })[];
}

export function holdersOf(
  sources: SourceRow[],
  names: {
    agencies: AgencyRef[];
    databases: DatabaseRef[];
    procedures: ProcedureRef[];
    labels: Map<string, Label>;
  },
): Holder[] {
  const agencies = new Map(names.agencies.map((a) => [a.id, a]));
  const databases = new Map(names.databases.map((d) => [d.id, d]));
  const procedures = new Map(names.procedures.map((p) => [p.id, p]));
  return sources.map((s) => ({
    element: s.element_id,
    label: names.labels.get(s.element_id) ?? null,
    kind: s.kind,
    agency: agencies.get(s.agency_id) ?? null,
    database: s.database_id ? (databases.get(s.database_id) ?? null) : null,
    service: s.service,
    path: s.path_template,
    field: s.kind === 'register' ? s.response_field : s.result_field,
    procedure: s.procedure_id ? (procedures.get(s.procedure_id) ?? null) : null,
    updated_at: s.updated_at,
  }));
}

/** The form fields' elements no source holds: what a register (or a result) would still have to serve. */
export function gapsOf(procedures: ProcedureRow[], held: Set<string>, labels: Map<string, Label>): Gap[] {
  const gaps = new Map<string, Gap>();
  for (const p of procedures)
    for (const f of p.fields) {
      if (!f.element || held.has(f.element)) continue;
      const gap = gaps.get(f.element) ?? { element: f.element, label: labels.get(f.element) ?? null, procedures: [] };
      gaps.set(f.element, gap);
      const using = gap.procedures.find((x) => x.id === p.id);
      if (using) using.fields.push(f.key);
      else
        gap.procedures.push({
          id: p.id,
          code: p.code,
          name_vi: p.name_vi,
          name_en: p.name_en,
          status: p.status,
          fields: [f.key],
        });
    }
  return [...gaps.values()].sort((a, b) => a.element.localeCompare(b.element));
}

/** The elements a procedure's form binds. */
export const boundElements = (ps: ProcedureRow[]) => [
  ...new Set(ps.flatMap((p) => p.fields.map((f) => f.element)).filter((e): e is string => !!e)),
];
