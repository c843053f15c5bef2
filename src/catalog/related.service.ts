import type { Kysely } from 'kysely';
import type { DatasetView } from './dataset-view.js';
import type { DatasetRow } from './datasets.repository.js';
import type { DatasetsService } from './datasets.service.js';
import { RelatedRepository, type RelatedCandidate } from './related.repository.js';

/** How much each shared trait weighs: a shared dictionary field or theme says most about the data itself. */
const WEIGHTS = { field: 3, theme: 3, place: 2, agency: 1 };
/** Data sets read per trait before scoring: bounds the work whatever the catalog's size. */
const PER_TRAIT = 100;
export const RELATED_MAX = 5;

export interface Related {
  dataset: DatasetRow;
  score: number;
  /** why: the shared themes, places (unit codes) and dictionary fields (ids), and whether the agency is the same */
  why: Omit<RelatedCandidate, 'id' | 'modified'>;
}

/** Published data sets related to one: same theme, agency, places, shared dictionary fields; scored and bounded. */
export class RelatedService {
  private readonly repo: RelatedRepository;
  constructor(
    db: Kysely<any>,
    private readonly datasets: DatasetsService,
  ) {
    this.repo = new RelatedRepository(db);
  }

  async of(view: DatasetView, limit = RELATED_MAX): Promise<Related[]> {
    const d = view.dataset;
    const fields = [
      ...new Set(
        view.distributions.flatMap((f) =>
          ((f.table_schema as { fields?: { 'ndp:dictionary'?: string }[] } | null)?.fields ?? []).flatMap((x) =>
            x['ndp:dictionary'] ? [x['ndp:dictionary']] : [],
          ),
        ),
      ),
    ].slice(0, 50);
    const candidates = await this.repo.candidates(
      { id: d.id, agencyId: d.agency_id, themes: d.themes, spatial: d.spatial, provinces: d.provinces, fields },
      PER_TRAIT,
    );
    const scored = candidates
      .map((c) => ({
        c,
        score:
          WEIGHTS.field * c.fields.length +
          WEIGHTS.theme * c.themes.length +
          WEIGHTS.place * Math.min(c.places.length, 3) +
          (c.agency ? WEIGHTS.agency : 0),
      }))
      .sort(
        (a, b) => b.score - a.score || b.c.modified.getTime() - a.c.modified.getTime() || (a.c.id < b.c.id ? -1 : 1),
      )
      .slice(0, Math.min(limit, RELATED_MAX));
    const rows = new Map((await this.datasets.byIds(scored.map((s) => s.c.id))).map((r) => [r.id, r]));
    return scored.flatMap(({ c, score }) => {
      const dataset = rows.get(c.id);
      if (!dataset) return [];
      const { id: _id, modified: _m, ...why } = c;
      return [{ dataset, score, why }];
    });
  }
}
