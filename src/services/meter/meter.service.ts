import type { Kysely } from 'kysely';
import { invalid } from '../../platform/errors.js';
import { MeterRepository, type DossierFilter, type ShareGrouping, type ShareRow } from './meter.repository.js';

export type { ShareGrouping, ShareRow } from './meter.repository.js';

/** Decision 142/QĐ-TTg III.2.d: at least 80% of procedure data reused by 2030. */
export const REUSE_GOAL = 0.8;
export const SHARE_GROUPINGS: readonly ShareGrouping[] = ['procedure', 'agency', 'province'];
/** How many of the most-typed fields one may ask for at once. */
export const TYPED_MOST_LIMIT = 100;

type Text = { vi: string; en: string };

export interface MeterDeps {
  /** an agency's id from its id, slug or code (NOT_FOUND when there is none) */
  agencyId(key: string): Promise<string>;
  /** the register of databases' names of these entries */
  registerNames(ids: string[]): Promise<Map<string, Text>>;
  /** the shared dictionary's labels of these elements */
  elementLabels(ids: string[]): Promise<Map<string, Text>>;
}

export interface Period {
  from?: Date;
  to?: Date;
}

export interface SharesQuery extends Period {
  by: ShareGrouping;
  /** an agency's id, slug or code: its dossiers and those of the agencies under it */
  agency?: string;
}

export interface Shares {
  goal: number;
  by: ShareGrouping;
  /** every dossier the query counts */
  total: ShareRow;
  rows: ShareRow[];
}

/** Who holds what a typed field asks for: a register's database, or the signed result of another procedure. */
export type Holder =
  | { kind: 'register'; element: string; agencyId: string; databaseId: string; name: Text }
  | { kind: 'result'; element: string; agencyId: string; procedureCode: string; name: Text };

/**
 * What would spare the applicant the typing: `held` (the field is bound to an element a holder has: its fetch failed,
 * was refused or disputed — see the reasons), `unheld` (bound, but no register holds the element yet), `bind` (the
 * field is not bound, but the element of the same id is held), `asked` (asked of the applicant; nothing known).
 */
export type Remedy =
  | { kind: 'held'; holder: Holder }
  | { kind: 'unheld'; element: string; label: Text }
  | { kind: 'bind'; holder: Holder }
  | { kind: 'asked' };

export interface TypedField {
  procedure: { id: string; code: string; name: Text };
  key: string;
  label: Text;
  element: string | null;
  /** times typed by hand in the dossiers counted */
  typed: number;
  /** the times per reason: `disputed`, the prefill's problem (`refused`, `timeout`, `not_found`…), `none` */
  reasons: Record<string, number>;
  remedy: Remedy;
}

export interface TypedMostQuery extends Period {
  agency?: string;
  procedure?: string;
  limit: number;
}

export interface AgencyShare {
  agencyId: string;
  dossiers: number;
  reused: number;
  typed: number;
  share: number | null;
}

const text = (vi: string | null | undefined, en: string | null | undefined): Text => ({
  vi: vi ?? '',
  en: en || (vi ?? ''),
});

/**
 * The once-only reuse meter: of the fields of submitted dossiers, the share filled from registers and results rather
 * than typed, per procedure, deciding agency and province, against the 80% goal; the fields most often typed and what
 * would remove them. Public aggregates: no person, no value, no dossier is ever returned.
 */
export class MeterService {
  private readonly repo: MeterRepository;

  constructor(
    db: Kysely<any>,
    private readonly deps: MeterDeps,
  ) {
    this.repo = new MeterRepository(db);
  }

  async shares(q: SharesQuery): Promise<Shares> {
    const filter = await this.filter(q);
    const [total, rows] = await Promise.all([this.repo.shares('all', filter), this.repo.shares(q.by, filter)]);
    return { goal: REUSE_GOAL, by: q.by, total: total[0] ?? emptyTotal(), rows };
  }

  /** Per deciding agency, for the data development index (issue 22): dossiers submitted in [from, to) (`periodOf` makes whole days). */
  async agencyShares(from?: Date, to?: Date): Promise<AgencyShare[]> {
    const rows = await this.repo.shares('agency', await this.filter({ from, to }));
    return rows.map((r) => ({
      agencyId: r.id!,
      dossiers: r.dossiers,
      reused: r.reused,
      typed: r.typed,
      share: r.share,
    }));
  }

  async typedMost(q: TypedMostQuery): Promise<TypedField[]> {
    if (!Number.isInteger(q.limit) || q.limit < 1 || q.limit > TYPED_MOST_LIMIT)
      throw invalid([
        { field: 'limit', vi: `Số trường từ 1 đến ${TYPED_MOST_LIMIT}.`, en: `From 1 to ${TYPED_MOST_LIMIT} fields.` },
      ]);
    const filter = await this.filter(q);
    if (q.procedure) filter.procedure = q.procedure;
    const rows = await this.repo.typedMost(filter, q.limit);
    const registers = await this.deps.registerNames([
      ...new Set(rows.flatMap((r) => (r.source_database_id ? [r.source_database_id] : []))),
    ]);
    const unheld = rows.filter((r) => r.element && !r.source_kind).map((r) => r.element!);
    const labels = unheld.length ? await this.deps.elementLabels([...new Set(unheld)]) : new Map<string, Text>();
    return rows.map((r) => {
      const field = r.form.find((x) => x.key === r.key);
      const holder: Holder | null =
        r.source_kind === 'register'
          ? {
              kind: 'register',
              element: r.source_element!,
              agencyId: r.source_agency_id!,
              databaseId: r.source_database_id!,
              name: registers.get(r.source_database_id!) ?? text(r.source_database_id, null),
            }
          : r.source_kind === 'result'
            ? {
                kind: 'result',
                element: r.source_element!,
                agencyId: r.source_agency_id!,
                procedureCode: r.source_procedure_code!,
                name: text(r.source_procedure_name_vi, r.source_procedure_name_en),
              }
            : null;
      const remedy: Remedy = r.element
        ? holder
          ? { kind: 'held', holder }
          : { kind: 'unheld', element: r.element, label: labels.get(r.element) ?? text(r.element, null) }
        : holder
          ? { kind: 'bind', holder }
          : { kind: 'asked' };
      return {
        procedure: { id: r.procedure_id, code: r.procedure_code, name: text(r.procedure_name_vi, r.procedure_name_en) },
        key: r.key,
        label: field ? text(field.label_vi, field.label_en) : text(r.key, null),
        element: r.element,
        typed: r.typed,
        reasons: r.reasons,
        remedy,
      };
    });
  }

  private async filter(q: Period & { agency?: string }): Promise<DossierFilter> {
    if (q.from && q.to && q.from >= q.to)
      throw invalid([
        { field: 'to', vi: 'Ngày kết thúc phải sau ngày bắt đầu.', en: 'The end must come after the start.' },
      ]);
    return {
      from: q.from,
      to: q.to,
      agencyId: q.agency ? await this.deps.agencyId(q.agency) : undefined,
    };
  }
}

const emptyTotal = (): ShareRow => ({
  id: null,
  code: null,
  slug: null,
  name_vi: null,
  name_en: null,
  dossiers: 0,
  fields: 0,
  reused: 0,
  typed: 0,
  share: null,
  meets_goal: false,
});

/**
 * A period of whole days in Vietnam's time (the day a dossier is submitted as its applicant lives it): `from` at the
 * start of its day, `to` at the end of its day (both included). Dates as YYYY-MM-DD; anything else is no bound.
 */
export function periodOf(from?: string, to?: string): Period {
  const day = (s: string | undefined, plusDays: number) => {
    if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return undefined;
    const d = new Date(`${s}T00:00:00+07:00`);
    if (Number.isNaN(d.getTime())) return undefined;
    return new Date(d.getTime() + plusDays * 86_400_000);
  };
  return { from: day(from, 0), to: day(to, 1) };
}
