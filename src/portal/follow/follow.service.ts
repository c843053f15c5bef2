import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { ANONYMOUS } from '../../accounts/principal.js';
import { requirePublicUser, type PublicUser } from '../../identity/public-principal.js';
import type { CatalogService } from '../../catalog/catalog.service.js';
import type { CatalogEvent } from '../../catalog/datasets.service.js';
import type { MasterDataService } from '../../masterdata/masterdata.service.js';
import { FollowRepository, type EventRow, type FollowKind, type FollowRow } from './follow.repository.js';
import { canonicalSearch, type FollowBody } from './follow.schema.js';

/** At most this many follows a person. */
export const MAX_FOLLOWS = 200;
const NOBODY = { userId: null, tokenId: null };

export interface FollowDeps {
  db: Kysely<any>;
  catalog: CatalogService;
  masterData: MasterDataService;
  clock?: () => Date;
}

/**
 * What public users follow, their e-mail preference, and the outbox of the catalog's events (a data set published, a
 * file added, a table's new version made current) that the notices' poller fans out and the feeds read.
 */
export class FollowService {
  private readonly repo: FollowRepository;
  readonly clock: () => Date;
  constructor(private readonly deps: FollowDeps) {
    this.repo = new FollowRepository(deps.db);
    this.clock = deps.clock ?? (() => new Date());
  }

  async follow(u: PublicUser | null, body: FollowBody): Promise<FollowRow> {
    const user = requirePublicUser(u);
    const target = await this.target(body);
    const existing = await this.repo.find(user.userId, target.target_kind, target.target);
    if (existing) return existing;
    if ((await this.repo.countOf(user.userId)) >= MAX_FOLLOWS)
      throw new DomainError('INVALID_STATE', {
        vi: `Bạn chỉ theo dõi được tối đa ${MAX_FOLLOWS} mục.`,
        en: `You may follow at most ${MAX_FOLLOWS} things.`,
      });
    return this.deps.db.transaction().execute(async (trx) => {
      const row = await this.repo.with(trx).insert({ id: randomUUID(), public_user_id: user.userId, ...target });
      await recordAudit(trx, NOBODY, {
        action: 'follow.add',
        entityType: 'follow',
        entityId: row.id,
        after: { publicUser: user.userId, kind: row.target_kind, target: row.target },
      });
      return row;
    });
  }

  /** What a body names, checked: a published data set, a known agency, a search. */
  private async target(b: FollowBody): Promise<Pick<FollowRow, 'target_kind' | 'target' | 'search' | 'label'>> {
    if (b.kind === 'dataset') {
      const v = await this.deps.catalog.datasets.get(ANONYMOUS, b.dataset);
      return { target_kind: 'dataset', target: v.dataset.id, search: null, label: v.dataset.title_vi };
    }
    if (b.kind === 'agency') {
      const a = await this.deps.masterData.agency(b.agency);
      return { target_kind: 'agency', target: a.id, search: null, label: a.name_vi };
    }
    const { key, search } = canonicalSearch(b.search);
    const filters = Object.entries(search)
      .filter(([k]) => k !== 'q')
      .map(([k, v]) => `${k}: ${(v as string[]).join(', ')}`);
    const label = [search.q ? `“${search.q}”` : '', ...filters].filter(Boolean).join(' · ') || '*';
    return { target_kind: 'search', target: key, search, label: label.slice(0, 300) };
  }

  async unfollow(u: PublicUser | null, id: string): Promise<void> {
    const user = requirePublicUser(u);
    await this.deps.db.transaction().execute(async (trx) => {
      const gone = await this.repo.with(trx).remove(user.userId, id);
      if (!gone) throw new DomainError('NOT_FOUND');
      await recordAudit(trx, NOBODY, {
        action: 'follow.remove',
        entityType: 'follow',
        entityId: id,
        before: { publicUser: user.userId, kind: gone.target_kind, target: gone.target },
      });
    });
  }

  mine(u: PublicUser | null): Promise<FollowRow[]> {
    return this.repo.ofUser(requirePublicUser(u).userId, MAX_FOLLOWS);
  }

  /** The person's follow of this data set or agency (by id), if any: the follow buttons. */
  async findFollow(u: PublicUser | null, kind: FollowKind, target: string): Promise<FollowRow | undefined> {
    if (!u) return undefined;
    return this.repo.find(u.userId, kind, target);
  }

  async emailOn(u: PublicUser | null): Promise<boolean> {
    const user = requirePublicUser(u);
    return (await this.repo.emailOn([user.userId])).has(user.userId);
  }

  async setEmail(u: PublicUser | null, on: boolean): Promise<void> {
    const user = requirePublicUser(u);
    await this.deps.db.transaction().execute(async (trx) => {
      await this.repo.with(trx).setEmail(user.userId, on);
      await recordAudit(trx, NOBODY, {
        action: 'follow.email',
        entityType: 'public_user',
        entityId: user.userId,
        after: { email: on },
      });
    });
  }

  // ── the outbox ──────────────────────────────────────────────────────────
  /**
   * The catalog's change, after it committed: written to the outbox for the poller, so the publisher's request
   * waits for one insert only. A change to a data set that is not published tells nobody.
   */
  async catalogChanged(e: CatalogEvent): Promise<void> {
    await this.record(e.kind, e.datasetId, e.kind === 'file.added' ? e.distribution.id : null, null);
  }

  /** A table's version became current (a load, or its publisher's decision). */
  async versionCurrent(distributionId: string, version: number): Promise<void> {
    const f = await this.deps.catalog.datasets.findDistribution(distributionId);
    if (f) await this.record('version.current', f.dataset_id, distributionId, version);
  }

  private async record(
    kind: EventRow['kind'],
    datasetId: string,
    distributionId: string | null,
    version: number | null,
  ) {
    const d = await this.deps.catalog.datasets.findRecord(datasetId);
    if (d?.status !== 'published') return;
    const file = distributionId ? await this.deps.catalog.datasets.findDistribution(distributionId) : undefined;
    await this.repo.insertEvent({
      id: randomUUID(),
      kind,
      dataset_id: d.id,
      agency_id: d.agency_id,
      distribution_id: distributionId,
      version,
      slug: d.slug,
      title_vi: d.title_vi,
      title_en: d.title_en ?? null,
      file_title: file ? (file.title_vi ?? file.file_name ?? null) : null,
    });
  }

  /** The newest events of a published data set, or of an agency's published data sets (their feeds). */
  async eventsOf(on: { dataset: string } | { agency: string }, limit = 50): Promise<EventRow[]> {
    const events = await this.repo.eventsOf(on, limit);
    const shown = new Set(
      (await this.deps.catalog.datasets.byIds([...new Set(events.map((e) => e.dataset_id))]))
        .filter((d) => d.status === 'published')
        .map((d) => d.id),
    );
    return events.filter((e) => shown.has(e.dataset_id));
  }

  /** For the poller. */
  get outbox(): FollowRepository {
    return this.repo;
  }
}
