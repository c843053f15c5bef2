import { sql, type Kysely, type RawBuilder } from 'kysely';

export type ShareGrouping = 'procedure' | 'agency' | 'province';

/** Which dossiers count: submitted in [from, to), of one agency and those under it, of one procedure. */
export interface DossierFilter {
  from?: Date;
  to?: Date;
  /** an agency's id: its own dossiers and those of the agencies under it (a province's communes) */
  agencyId?: string;
  /** a procedure's id or its code in the national list */
  procedure?: string;
}

/** Reused against typed fields of a group of dossiers, as SQL summed them. */
export interface ShareRow {
  /** the procedure's or agency's id; null: every dossier (the total), or agencies under no province (central) */
  id: string | null;
  code: string | null;
  slug: string | null;
  name_vi: string | null;
  name_en: string | null;
  dossiers: number;
  fields: number;
  reused: number;
  typed: number;
  /** reused / (reused + typed); null when nothing was filled */
  share: number | null;
  meets_goal: boolean;
}

/** A form field typed by hand, how often, why (per reason), and who holds the element it is bound to (or named for). */
export interface TypedFieldRow {
  procedure_id: string;
  procedure_code: string;
  procedure_name_vi: string;
  procedure_name_en: string | null;
  /** the procedure's current form (the field's label is found there) */
  form: { key: string; label_vi: string; label_en: string | null }[];
  key: string;
  element: string | null;
  typed: number;
  /** times per reason: `disputed`, a prefill problem code (`refused`, `timeout`…) or `none` */
  reasons: Record<string, number>;
  /** the element of service_sources found: the bound element, or the field's key when the field is unbound */
  source_element: string | null;
  source_kind: 'register' | 'result' | null;
  source_agency_id: string | null;
  source_database_id: string | null;
  source_procedure_code: string | null;
  source_procedure_name_vi: string | null;
  source_procedure_name_en: string | null;
}

/** Share of reused fields is at least 80% (Decision 142/QĐ-TTg III.2.d), in whole numbers: no rounding at the edge. */
const GOAL_PERCENT = 80;

// A field counts as typed when the applicant typed it (a disputed value is typed: the register was wrong) and as
// reused when a register's or result's value was accepted. A field left empty counts as neither.
const DISPUTED = sql`coalesce(x.disputed, false)`;
const REUSED = sql`(x.origin in ('register', 'result') and not ${DISPUTED})`;
const TYPED = sql`((x.origin = 'typed' or ${DISPUTED}) and coalesce(x.value, '') <> '')`;

const GROUP_KEY: Record<ShareGrouping | 'all', RawBuilder<unknown>> = {
  procedure: sql`f.procedure_id`,
  agency: sql`f.agency_id`,
  province: sql`case when a.kind = 'province' then a.id when pa.kind = 'province' then pa.id end`,
  all: sql`null::uuid`,
};
const NAMES: Record<ShareGrouping | 'all', RawBuilder<unknown>> = {
  procedure: sql`(select id, code, null::text as slug, name_vi, name_en from service_procedures)`,
  agency: sql`(select id, code, slug, name_vi, name_en from agencies)`,
  province: sql`(select id, code, slug, name_vi, name_en from agencies)`,
  all: sql`(select null::uuid as id, null::text as code, null::text as slug, null::text as name_vi, null::text as name_en)`,
};

/**
 * The meter's aggregates: the only SQL of the meter. Reads, never writes: `service_dossiers` (the fields jsonb),
 * `service_procedures` (names, forms), `service_sources` (who holds an element), `service_prefills` (why a field came
 * back empty) and the agencies' reference data (names, a commune's province).
 */
export class MeterRepository {
  constructor(private readonly db: Kysely<any>) {}

  private where(f: DossierFilter): RawBuilder<unknown> {
    const on: RawBuilder<unknown>[] = [sql`true`];
    if (f.from) on.push(sql`d.submitted_at >= ${f.from}`);
    if (f.to) on.push(sql`d.submitted_at < ${f.to}`);
    if (f.agencyId)
      on.push(sql`d.agency_id in (select id from agencies where id = ${f.agencyId} or parent_id = ${f.agencyId})`);
    if (f.procedure)
      on.push(
        sql`d.procedure_id in (select id from service_procedures where id::text = ${f.procedure} or code = ${f.procedure})`,
      );
    return sql.join(on, sql` and `);
  }

  /** Dossiers, fields, reused and typed per group (or in all), the share and whether it meets the goal. */
  async shares(by: ShareGrouping | 'all', f: DossierFilter): Promise<ShareRow[]> {
    const r = await sql<ShareRow>`
      with per_dossier as (
        select d.procedure_id, d.agency_id, count(x.origin)::int as fields,
          (count(*) filter (where ${REUSED}))::int as reused, (count(*) filter (where ${TYPED}))::int as typed
        from service_dossiers d
        left join lateral jsonb_to_recordset(d.fields) as x(origin text, disputed boolean, value text) on true
        where ${this.where(f)}
        group by d.id, d.procedure_id, d.agency_id
      ), grouped as (
        select ${GROUP_KEY[by]} as id, count(*)::int as dossiers, sum(f.fields)::int as fields,
          sum(f.reused)::int as reused, sum(f.typed)::int as typed
        from per_dossier f
        join agencies a on a.id = f.agency_id
        left join agencies pa on pa.id = a.parent_id
        group by 1
      )
      select g.id, n.code, n.slug, n.name_vi, n.name_en, g.dossiers, g.fields, g.reused, g.typed,
        case when g.reused + g.typed > 0 then g.reused::float8 / (g.reused + g.typed) end as share,
        (g.reused + g.typed > 0 and g.reused * 100 >= (g.reused + g.typed) * ${GOAL_PERCENT}) as meets_goal
      from grouped g
      left join ${NAMES[by]} n on n.id = g.id
      order by g.dossiers desc, n.name_vi nulls last, g.id`.execute(this.db);
    return r.rows;
  }

  /** The fields most often typed by hand, with why and who holds what they are bound to. */
  async typedMost(f: DossierFilter, limit: number): Promise<TypedFieldRow[]> {
    const r = await sql<TypedFieldRow>`
      with typed as (
        select d.procedure_id, x.key, x.element,
          case when ${DISPUTED} then 'disputed'
            else coalesce(pf.fields -> x.key -> 'problem' ->> 'code', 'none') end as reason
        from service_dossiers d
        cross join lateral jsonb_to_recordset(d.fields)
          as x(key text, element text, origin text, disputed boolean, value text)
        left join service_prefills pf on pf.id = d.prefill_id
        where ${this.where(f)} and ${TYPED}
      ), by_reason as (
        select procedure_id, key, element, reason, count(*)::int as n from typed group by 1, 2, 3, 4
      ), by_field as (
        select procedure_id, key, element, sum(n)::int as typed, jsonb_object_agg(reason, n) as reasons
        from by_reason group by 1, 2, 3
        order by typed desc, key, procedure_id
        limit ${limit}
      )
      select b.procedure_id, p.code as procedure_code, p.name_vi as procedure_name_vi,
        p.name_en as procedure_name_en, p.fields as form, b.key, b.element, b.typed, b.reasons,
        s.element_id as source_element, s.kind as source_kind, s.agency_id as source_agency_id,
        s.database_id as source_database_id, rp.code as source_procedure_code,
        rp.name_vi as source_procedure_name_vi, rp.name_en as source_procedure_name_en
      from by_field b
      join service_procedures p on p.id = b.procedure_id
      left join service_sources s on s.element_id = coalesce(b.element, b.key)
      left join service_procedures rp on rp.id = s.procedure_id
      order by b.typed desc, b.key, p.code`.execute(this.db);
    return r.rows;
  }
}
