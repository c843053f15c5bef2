import { randomUUID } from 'node:crypto';
import type { Principal } from '../../accounts/principal.js';
import type { DatasetsService } from '../../catalog/datasets.service.js';
import type { DatasetView } from '../../catalog/dataset-view.js';
import type { DatastoreService } from '../../datastore/query/datastore.service.js';
import type { LoadedColumn } from '../../datastore/load/loader.js';
import { DIMENSIONS, qualityCard, type Card } from './card.js';
import { scoreMetadata } from './mqa.js';
import type { Kysely } from 'kysely';
import type { QualityService } from '../checks/quality.service.js';
import { CardRepository } from './card.repository.js';
import type { CheckResult } from '../checks/quality.schema.js';

/** Days in one period of each declared update frequency (DCAT frequency codes as the catalog keeps them). */
const PERIOD_DAYS: Record<string, number> = {
  DAILY: 1,
  WEEKLY: 7,
  MONTHLY: 30,
  QUARTERLY: 91,
  BIANNUAL: 182,
  ANNUAL: 365,
};

/**
 * Gathers what the card is scored from (card.ts scores it), keeps a snapshot
 * after every run for the history, and rolls the latest cards up per agency.
 * Reading a card needs only the right to see the data set: a published data
 * set's card is public, as data.europa.eu publishes its MQA scores.
 */
export class CardService {
  /** Whether a data set's record passes the DCAT-AP shapes (the MQA compliance indicator); unset: not assessed. */
  compliance?: (view: DatasetView) => Promise<boolean>;
  private readonly repo: CardRepository;
  constructor(
    db: Kysely<any>,
    private readonly quality: QualityService,
    private readonly datasets: DatasetsService,
    private readonly datastore: DatastoreService,
    private readonly clock: () => Date,
  ) {
    this.repo = new CardRepository(db);
  }

  async card(p: Principal, datasetKey: string) {
    const view = await this.datasets.get(p, datasetKey);
    const now = this.clock();
    const card = await this.compute(view, now);
    const history = (await this.repo.cardHistory(view.dataset.id, 100)).reverse();
    return {
      dataset: { id: view.dataset.id, slug: view.dataset.slug, title_vi: view.dataset.title_vi },
      as_of: now.toISOString(),
      ...card,
      history: history.map((h) => ({
        at: new Date(h.computed_at as Date).toISOString(),
        overall: h.overall === null ? null : Number(h.overall),
        grade: h.grade,
        dimensions: h.dimensions,
        reason: h.reason,
      })),
    };
  }

  /**
   * The grade of each data set's latest kept card (a badge in search results): kept snapshots, never computed here,
   * so a page of results costs one read. Public: callers pass data sets their reader may see.
   */
  grades(datasetIds: string[]): Promise<Map<string, string>> {
    return this.repo.latestGrades(datasetIds.slice(0, 1000));
  }

  /** The data set's metadata scored with the MQA method; links never probed say "not assessed". */
  async metadata(p: Principal, datasetKey: string) {
    const view = await this.datasets.get(p, datasetKey);
    const links = view.distributions.filter((x) => x.kind !== 'file');
    const probes = await this.repo.latestProbes(links.map((x) => x.id));
    // the link indicators are assessed once every link has been probed
    const facts = links.every((x) => probes.has(x.id))
      ? { reachable: new Set([...probes].filter(([, r]) => r.ok).map(([id]) => id)) }
      : {};
    return scoreMetadata(mqaInput(view), {
      ...facts,
      ...(this.compliance ? { dcatApCompliant: await this.compliance(view) } : {}),
    });
  }

  /** Keeps the card as it stands now (after a run, a load, a scheduled pass): the history and the roll-up read these. */
  async snapshot(datasetId: string, reason: 'run' | 'load' | 'schedule' | 'request'): Promise<Card | null> {
    const row = await this.datasets.findRecord(datasetId);
    if (!row) return null;
    const [view] = await this.datasets.views([row]);
    const card = await this.compute(view!, this.clock());
    await this.repo.saveCard({
      id: randomUUID(),
      dataset_id: row.id,
      agency_id: row.agency_id,
      overall: card.overall,
      grade: card.grade,
      reason,
      dimensions: Object.fromEntries(card.dimensions.map((d) => [d.id, d.score])),
    });
    return card;
  }

  private async compute(view: DatasetView, now: Date): Promise<Card> {
    const d = view.dataset;
    const label = (x: DatasetView['distributions'][number]) => x.title_vi || x.file_name || x.id;
    const runs = await this.quality.latestRuns(view.distributions.map((x) => x.id));
    const tables = (
      await Promise.all(
        view.distributions.map(async (x) => {
          const t = await this.datastore.latestReady(x.id);
          if (!t) return null;
          const columns = t.columns as LoadedColumn[];
          const rows = Number(t.row_count ?? 0);
          return {
            file: label(x),
            rows,
            cells: rows * columns.length,
            missingCells: columns.reduce((s, c) => s + (c.missing ?? 0), 0),
            rejected: Number(t.rejected_count ?? 0),
          };
        }),
      )
    ).filter((x) => x !== null);
    const links = view.distributions.filter((x) => x.kind !== 'file');
    const probes = await this.repo.latestProbes(links.map((x) => x.id));
    const reachable = new Set([...probes].filter(([, p]) => p.ok).map(([id]) => id));
    const periodDays = PERIOD_DAYS[d.update_frequency] ?? null;
    const modified = new Date(d.modified as unknown as string);
    return qualityCard({
      runs: runs.map((r) => ({
        file: label(view.distributions.find((x) => x.id === r.distribution_id)!),
        results: r.results as CheckResult[],
      })),
      tables,
      // a stored file is served by the platform itself; links await the availability probe
      distributions: view.distributions.map((x) => ({
        file: label(x),
        kind: x.kind,
        reachable: x.kind === 'file' ? true : probes.has(x.id) ? reachable.has(x.id) : null,
      })),
      timeliness: {
        frequency: d.update_frequency,
        periodDays,
        due: periodDays ? new Date(modified.getTime() + periodDays * 86_400_000) : null,
        now,
      },
      // MQA's link indicators are assessed once every link has been probed
      mqa: scoreMetadata(mqaInput(view), {
        ...(links.every((x) => probes.has(x.id)) ? { reachable } : {}),
        ...(this.compliance ? { dcatApCompliant: await this.compliance(view) } : {}),
      }),
    });
  }

  /** Per agency and nationwide: the average of each dimension over the latest cards, a ranking, and the worst data sets. */
  async rollup(agencyId?: string) {
    const cards = await this.repo.latestCards(agencyId);
    const avg = (xs: (number | null | undefined)[]) => {
      const v = xs.filter((x): x is number => typeof x === 'number');
      return v.length ? Math.round((v.reduce((a, b) => a + b, 0) / v.length) * 10) / 10 : null;
    };
    const dims = (list: typeof cards) =>
      Object.fromEntries(
        DIMENSIONS.map((dim) => [
          dim.id,
          avg(list.map((c) => (c.dimensions as Record<string, number | null>)[dim.id])),
        ]),
      );
    const byAgency = new Map<string, typeof cards>();
    for (const c of cards) byAgency.set(c.agency_id, [...(byAgency.get(c.agency_id) ?? []), c]);
    const agencies = [...byAgency.values()]
      .map((list) => ({
        agency: {
          id: list[0]!.agency_id,
          slug: list[0]!.agency_slug,
          name_vi: list[0]!.agency_name_vi,
          name_en: list[0]!.agency_name_en ?? null,
        },
        datasets: list.length,
        overall: avg(list.map((c) => (c.overall === null ? null : Number(c.overall)))),
        dimensions: dims(list),
      }))
      .sort((a, b) => (b.overall ?? -1) - (a.overall ?? -1) || a.agency.name_vi.localeCompare(b.agency.name_vi, 'vi'))
      .map((a, i) => ({ rank: i + 1, ...a }));
    const worst = cards
      .filter((c) => c.overall !== null)
      .sort((a, b) => Number(a.overall) - Number(b.overall))
      .slice(0, 20)
      .map((c) => ({
        id: c.dataset_id,
        slug: c.slug,
        title_vi: c.title_vi,
        agency_slug: c.agency_slug,
        overall: Number(c.overall),
        grade: c.grade,
        computed_at: new Date(c.computed_at as Date).toISOString(),
      }));
    return {
      nationwide: {
        datasets: cards.length,
        overall: avg(cards.map((c) => (c.overall === null ? null : Number(c.overall)))),
        dimensions: dims(cards),
      },
      agencies,
      worst,
    };
  }

  /** Links of published data sets to probe (trusted callers: the scheduled sweep). */
  linksToProbe(limit: number) {
    return this.repo.linksToProbe(limit);
  }

  /** Keeps a link's probe (trusted callers: the scheduled sweep, which probed it). */
  saveProbe(probe: Parameters<CardRepository['saveProbe']>[0]): Promise<void> {
    return this.repo.saveProbe(probe);
  }

  /** Ids of every published data set, whose cards the sweep keeps (trusted callers: the scheduled sweep). */
  publishedDatasets(): Promise<string[]> {
    return this.repo.publishedDatasets();
  }
}

/** The data set's record as the MQA method reads it. */
export function mqaInput(view: DatasetView) {
  const d = view.dataset;
  return {
    keywords: d.keywords ?? [],
    themes: d.themes ?? [],
    spatial: d.spatial ?? [],
    temporal: {
      start: d.temporal_start ? String(d.temporal_start) : null,
      end: d.temporal_end ? String(d.temporal_end) : null,
    },
    licence: view.licence ? { id: view.licence.id, url: view.licence.url ?? null } : null,
    access_rights: d.access_rights ?? null,
    contact: { name: d.contact_name ?? null, email: d.contact_email ?? null },
    publisher: Boolean(view.agency),
    issued: d.issued ? String(d.issued) : null,
    modified: d.modified ? String(d.modified) : null,
    distributions: view.distributions.map((x) => ({
      id: x.id,
      kind: x.kind,
      format: x.format,
      media_type: x.media_type,
      byte_size: x.byte_size === null ? null : Number(x.byte_size),
      download_url: x.kind === 'file' ? `/files/${x.id}` : x.url,
    })),
  };
}
