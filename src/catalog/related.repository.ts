import { sql, type Kysely } from 'kysely';

/** A data set's shared traits with the one being read, as the related query finds them. */
export interface RelatedCandidate {
  id: string;
  modified: Date;
  themes: string[];
  agency: boolean;
  places: string[];
  fields: string[];
}

export interface RelatedProbe {
  id: string;
  agencyId: string;
  themes: string[];
  spatial: string[];
  provinces: string[];
  fields: string[];
}

/**
 * Published data sets sharing a theme, the agency, a place or a dictionary field with another: each trait looked up
 * through its index (`datasets_themes`, `datasets_agency`, `datasets_spatial`, `datasets_provinces`,
 * `distributions_table_schema`), each lookup bounded; private to `RelatedService`.
 */
export class RelatedRepository {
  constructor(private readonly db: Kysely<any>) {}

  async candidates(p: RelatedProbe, perTrait: number): Promise<RelatedCandidate[]> {
    const published = () =>
      this.db
        .selectFrom('datasets')
        .select('id')
        .where('status', '=', 'published')
        .where('id', '!=', p.id)
        .orderBy('modified', 'desc')
        .limit(perTrait);
    const lookups = [
      published().where('agency_id', '=', p.agencyId),
      ...(p.themes.length ? [published().where('themes', '&&', sql<string[]>`${p.themes}::text[]`)] : []),
      ...(p.spatial.length ? [published().where('spatial', '&&', sql<string[]>`${p.spatial}::text[]`)] : []),
      ...(p.provinces.length ? [published().where('provinces', '&&', sql<string[]>`${p.provinces}::text[]`)] : []),
    ];
    const ids = new Set<string>();
    for (const q of lookups) for (const r of await q.execute()) ids.add(r.id as string);
    const byField = new Map<string, Set<string>>();
    if (p.fields.length) {
      // `@>` on a jsonb_path_ops index: a schema holding a field that names this dictionary entry
      const rows = await this.db
        .selectFrom('distributions as f')
        .innerJoin('datasets as d', 'd.id', 'f.dataset_id')
        .select(['f.dataset_id', 'f.table_schema'])
        .where('d.status', '=', 'published')
        .where('d.id', '!=', p.id)
        .where((eb) =>
          eb.or(
            p.fields.map(
              (id) => sql<boolean>`f.table_schema @> ${JSON.stringify({ fields: [{ 'ndp:dictionary': id }] })}::jsonb`,
            ),
          ),
        )
        .limit(perTrait)
        .execute();
      for (const r of rows) {
        const fields = (r.table_schema as { fields?: { 'ndp:dictionary'?: string }[] })?.fields ?? [];
        const shared = byField.get(r.dataset_id as string) ?? new Set<string>();
        for (const f of fields)
          if (f['ndp:dictionary'] && p.fields.includes(f['ndp:dictionary'])) shared.add(f['ndp:dictionary']);
        byField.set(r.dataset_id as string, shared);
        ids.add(r.dataset_id as string);
      }
    }
    if (!ids.size) return [];
    const rows = await this.db
      .selectFrom('datasets')
      .select(['id', 'modified', 'agency_id', 'themes', 'spatial', 'provinces'])
      .where('id', 'in', [...ids])
      .execute();
    const shared = (a: string[], b: string[]) => a.filter((x) => b.includes(x));
    return rows.map((r) => {
      const places = shared(r.spatial as string[], p.spatial);
      return {
        id: r.id as string,
        modified: r.modified as Date,
        themes: shared(r.themes as string[], p.themes),
        agency: r.agency_id === p.agencyId,
        places: places.length ? places : shared(r.provinces as string[], p.provinces),
        fields: [...(byField.get(r.id as string) ?? [])],
      };
    });
  }
}
