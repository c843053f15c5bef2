import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError, invalid } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import type { Logger } from '../../platform/logger.js';
import { actorOf, hasAgencyRole, requireUser, type Principal } from '../../accounts/principal.js';
import { requirePublicUser, type PublicUser } from '../../identity/public-principal.js';
import type { DatasetLookup, DatasetRef } from '../datasets.js';
import type { Notifier } from '../notify.js';
import { checkReason, checkReuse } from './reuse-rules.js';
import { ReusesRepository, type ReuseFilter, type ReuseRow } from './reuses.repository.js';
import type { ReuseBody } from './reuses.schema.js';

/** Reuses one person may submit in 24 hours: more than anyone showing real work needs, few enough to stop a flood. */
export const REUSES_PER_DAY = 5;
/** Who may hide a reuse of a data set: an editor of the data set's agency (its publisher), or a platform admin. */
export const MODERATOR_ROLE = 'agency_editor' as const;
/** Reuses shown on one data set's page. */
export const PER_DATASET = 6;
const NOBODY = { userId: null, tokenId: null };

/** A reuse with the published data sets it uses. */
export interface Reuse {
  row: ReuseRow;
  datasets: DatasetRef[];
}

export interface ReusesDeps {
  datasets: DatasetLookup;
  notifier: Notifier;
  logger: Logger;
  now?: () => Date;
}

/**
 * Reuses of open data (uData's reuses, CKAN's showcases): a signed-in public user submits one linked to the published
 * data sets it uses, each publisher is told; the submitter edits or withdraws it; a publisher of a linked data set or a
 * platform administrator hides it with a reason. Every write is audited in its transaction.
 */
export class ReusesService {
  private readonly repo: ReusesRepository;
  private readonly now: () => Date;

  constructor(
    private readonly db: Kysely<any>,
    private readonly deps: ReusesDeps,
  ) {
    this.repo = new ReusesRepository(db);
    this.now = deps.now ?? (() => new Date());
  }

  async submit(u: PublicUser | null, body: ReuseBody): Promise<Reuse> {
    const user = requirePublicUser(u);
    const { fields, keys } = checkReuse(body, body.datasets);
    const now = this.now();
    if ((await this.repo.submittedSince(user.userId, new Date(now.getTime() - 86_400_000))) >= REUSES_PER_DAY)
      throw new DomainError('TOO_MANY_ATTEMPTS', {
        vi: `Mỗi người gửi được tối đa ${REUSES_PER_DAY} sản phẩm tái sử dụng trong 24 giờ.`,
        en: `One person may submit at most ${REUSES_PER_DAY} reuses in 24 hours.`,
      });
    const datasets = await this.linkable(keys);
    const id = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await this.repo.insert(trx, {
        id,
        ...fields,
        public_user_id: user.userId,
        submitter_name: user.name,
        created_at: now,
        updated_at: now,
      });
      await this.repo.link(
        trx,
        id,
        datasets.map((d) => d.id),
      );
      await recordAudit(trx, NOBODY, {
        action: 'reuse.submit',
        entityType: 'reuse',
        entityId: id,
        after: { by: 'public_user', publicUser: user.userId, ...fields, datasets: datasets.map((d) => d.slug) },
      });
    });
    await this.tellPublishers(id, fields.title, datasets);
    return this.reuse((await this.repo.get(id))!);
  }

  /** The submitter's edit: the fields and the data sets it uses (a publisher newly linked is told). */
  async edit(u: PublicUser | null, id: string, body: ReuseBody): Promise<Reuse> {
    const user = requirePublicUser(u);
    const { fields, keys } = checkReuse(body, body.datasets);
    const before = await this.own(user, id);
    const datasets = await this.linkable(keys);
    const known = new Set(before.datasets.map((d) => d.agency.id));
    await this.db.transaction().execute(async (trx) => {
      const r = await this.repo.forUpdate(trx, id);
      if (!r || r.status === 'withdrawn') throw new DomainError('NOT_FOUND');
      await this.repo.update(trx, id, { ...fields, updated_at: this.now() });
      await this.repo.link(
        trx,
        id,
        datasets.map((d) => d.id),
      );
      await recordAudit(trx, NOBODY, {
        action: 'reuse.edit',
        entityType: 'reuse',
        entityId: id,
        before: { ...pick(r), datasets: before.datasets.map((d) => d.slug) },
        after: { by: 'public_user', publicUser: user.userId, ...fields, datasets: datasets.map((d) => d.slug) },
      });
    });
    await this.tellPublishers(
      id,
      fields.title,
      datasets.filter((d) => !known.has(d.agency.id)),
    );
    return this.reuse((await this.repo.get(id))!);
  }

  /** The submitter takes it down: kept for the trail, shown nowhere. */
  async withdraw(u: PublicUser | null, id: string): Promise<void> {
    const user = requirePublicUser(u);
    await this.own(user, id);
    await this.db.transaction().execute(async (trx) => {
      await this.repo.update(trx, id, { status: 'withdrawn', updated_at: this.now() });
      await recordAudit(trx, NOBODY, {
        action: 'reuse.withdraw',
        entityType: 'reuse',
        entityId: id,
        after: { by: 'public_user', publicUser: user.userId },
      });
    });
  }

  /** Moderation: a publisher of a linked data set or a platform administrator hides it, with a reason. */
  async hide(p: Principal, id: string, reason: string): Promise<Reuse> {
    const staff = requireUser(p);
    const why = checkReason(reason);
    const r = await this.reuse(await this.found(id));
    if (!this.canHide(p, r)) throw new DomainError('FORBIDDEN');
    if (r.row.status !== 'shown') throw new DomainError('INVALID_STATE');
    const agency = r.datasets.find((d) => hasAgencyRole(p, d.agency.id, MODERATOR_ROLE))?.agency.id ?? null;
    await this.db.transaction().execute(async (trx) => {
      await this.repo.update(trx, id, {
        status: 'hidden',
        hidden_reason: why,
        hidden_by: staff.userId,
        hidden_at: this.now(),
      });
      await recordAudit(trx, actorOf(p), {
        action: 'reuse.hide',
        entityType: 'reuse',
        entityId: id,
        agencyId: agency,
        before: { status: r.row.status },
        after: { status: 'hidden', reason: why },
      });
    });
    return this.reuse((await this.repo.get(id))!);
  }

  /** Whether this staff member may hide the reuse (the page shows the form only then). */
  canHide(p: Principal, r: Reuse): boolean {
    if (p.kind !== 'user') return false;
    return p.isPlatformAdmin || r.datasets.some((d) => hasAgencyRole(p, d.agency.id, MODERATOR_ROLE));
  }

  /**
   * One reuse as this reader may see it: a shown one to anyone; a hidden one to its submitter (with the reason) and
   * to those who may moderate it; a withdrawn one to nobody.
   */
  async get(id: string, reader: { publicUser: PublicUser | null; principal: Principal }): Promise<Reuse> {
    const r = await this.reuse(await this.found(id));
    if (r.row.status === 'shown') return r;
    if (
      r.row.status === 'hidden' &&
      (r.row.public_user_id === reader.publicUser?.userId || this.canHide(reader.principal, r))
    )
      return r;
    throw new DomainError('NOT_FOUND');
  }

  /** Shown reuses, newest first: a page of them and the total. The data set filter takes a slug or an id. */
  async list(f: { kind?: ReuseFilter['kind']; dataset?: string }, page: number, perPage: number) {
    const filter: ReuseFilter = { kind: f.kind };
    if (f.dataset) {
      const [d] = await this.deps.datasets.published([f.dataset]);
      if (!d) return { items: [] as Reuse[], total: 0 };
      filter.datasetId = d.id;
    }
    const { rows, total } = await this.repo.shown(filter, perPage, (page - 1) * perPage);
    return { items: await this.reuses(rows), total };
  }

  /** The newest reuses of one data set, for its page. */
  async ofDataset(datasetId: string, limit = PER_DATASET) {
    const { rows, total } = await this.repo.shown({ datasetId }, limit, 0);
    return { items: await this.reuses(rows), total };
  }

  /** The person's own reuses (shown or hidden), for their list. */
  async mine(u: PublicUser | null): Promise<Reuse[]> {
    return this.reuses(await this.repo.ofUser(requirePublicUser(u).userId, 200));
  }

  private async found(id: string): Promise<ReuseRow> {
    const r = await this.repo.get(id);
    if (!r) throw new DomainError('NOT_FOUND');
    return r;
  }

  /** One of the user's own reuses, not withdrawn; another's is as unknown as one that does not exist. */
  private async own(user: PublicUser, id: string): Promise<Reuse> {
    const r = await this.found(id);
    if (r.public_user_id !== user.userId || r.status === 'withdrawn') throw new DomainError('NOT_FOUND');
    return this.reuse(r);
  }

  /** The published data sets the keys name; one that names none is a mistake the submitter can correct. */
  private async linkable(keys: string[]): Promise<DatasetRef[]> {
    const found = await this.deps.datasets.published(keys);
    const known = new Set(found.flatMap((d) => [d.id, d.slug]));
    const missing = keys.filter((k) => !known.has(k));
    if (missing.length)
      throw invalid([
        {
          field: 'datasets',
          vi: `Không tìm thấy bộ dữ liệu đã công bố: ${missing.join(', ')}.`,
          en: `No published data set: ${missing.join(', ')}.`,
        },
      ]);
    return found;
  }

  /** Each agency whose data set is newly used is told once; a failed notice never undoes the submission. */
  private async tellPublishers(id: string, title: string, datasets: DatasetRef[]) {
    const agencies = new Map(datasets.map((d) => [d.agency.id, d] as const));
    for (const [agencyId, d] of agencies) {
      try {
        await this.deps.notifier.notify({
          to: { agencyId },
          kind: 'reuse.submitted',
          subject: { vi: `Dữ liệu của bạn được tái sử dụng: ${title}`, en: `Your data is reused: ${title}` },
          text: {
            vi: `“${title}” sử dụng bộ dữ liệu “${d.title_vi}”.`,
            en: `“${title}” uses the data set “${d.title_en ?? d.title_vi}”.`,
          },
          link: `/reuses/${id}`,
        });
      } catch (err) {
        this.deps.logger.warn({ err, reuse: id, agencyId }, 'reuse notice not sent');
      }
    }
  }

  private async reuse(row: ReuseRow): Promise<Reuse> {
    return (await this.reuses([row]))[0]!;
  }

  private async reuses(rows: ReuseRow[]): Promise<Reuse[]> {
    const links = await this.repo.datasetIds(rows.map((r) => r.id));
    const refs = await this.deps.datasets.byIds([...new Set([...links.values()].flat())]);
    const byId = new Map(refs.map((d) => [d.id, d]));
    return rows.map((row) => ({
      row,
      datasets: (links.get(row.id) ?? []).flatMap((id) => byId.get(id) ?? []),
    }));
  }
}

const pick = (r: ReuseRow) => ({
  kind: r.kind,
  title: r.title,
  description: r.description,
  url: r.url,
  image_url: r.image_url,
});
