import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../platform/errors.js';
import { ANONYMOUS } from '../../accounts/principal.js';
import type { CatalogService } from '../../catalog/catalog.service.js';
import type { Notice, Notifier } from '../notify.js';
import type { EventRow, FollowRepository } from './follow.repository.js';
import { NoticesRepository, type NotificationRow, type Recipient } from './notices.repository.js';
import type { SearchQuery } from './follow.schema.js';
import { eventNotice } from './event-notice.js';

/** Distinct followed searches matched against each new data set (the newest 50 results of each are looked at). */
const MAX_SEARCHES = 500;
export const SHOWN_NOTIFICATIONS = 100;

export interface NoticesDeps {
  db: Kysely<any>;
  catalog: CatalogService;
  /** a public user's e-mail (identity), read before a notice's transaction */
  contact(publicUserId: string): Promise<{ email: string | null } | null>;
  /** an agency's staff with their e-mail (accounts) */
  agencyStaff(agencyId: string): Promise<{ id: string; email: string }[]>;
  clock: () => Date;
}

interface Planned {
  to: Recipient;
  deliveries: { channel: 'email' | 'webhook'; email_to: string | null; webhook_id: string | null }[];
}

/**
 * Tells people: the portal's `Notifier` (other parts' notices to a public user or an agency's staff) and the fan-out
 * of the catalog's events to their followers. Each notice becomes a notification (the person's page) and its
 * deliveries (e-mail if the person wants it, each of their webhooks), written in one transaction; the poller sends them.
 */
export class NoticesService implements Notifier {
  private readonly repo: NoticesRepository;
  constructor(
    private readonly deps: NoticesDeps,
    private readonly follows: FollowRepository,
  ) {
    this.repo = new NoticesRepository(deps.db);
  }

  async notify(n: Notice): Promise<void> {
    const planned =
      'publicUserId' in n.to ? await this.planPublic([n.to.publicUserId]) : await this.planStaff(n.to.agencyId);
    await this.write(planned, n, null);
  }

  /** One event to everyone following its data set, its agency, or (a new data set) a search it matches. */
  async fanOut(e: EventRow): Promise<number> {
    const users = new Set(
      (
        await this.follows.followersOf([
          { kind: 'dataset', id: e.dataset_id },
          { kind: 'agency', id: e.agency_id },
        ])
      ).map((r) => r.public_user_id),
    );
    if (e.kind === 'dataset.published') for (const u of await this.searchFollowers(e.dataset_id)) users.add(u);
    const planned = await this.planPublic([...users]);
    await this.write(planned, eventNotice(e), e.id);
    await this.follows.fannedOut(e.id, this.deps.clock());
    return planned.length;
  }

  private async searchFollowers(datasetId: string): Promise<string[]> {
    const found: string[] = [];
    for (const s of await this.follows.searches(MAX_SEARCHES)) {
      const q = s.search as SearchQuery;
      try {
        const r = await this.deps.catalog.search.search(ANONYMOUS, {
          ...q,
          sort: 'modified_desc',
          limit: 50,
          offset: 0,
          facetLimit: 1,
          facets: false,
        });
        if (r.results.some((v) => v.dataset.id === datasetId)) found.push(...s.users);
      } catch (err) {
        // a filter naming an agency that no longer exists matches nothing
        if (!(err instanceof DomainError)) throw err;
      }
    }
    return found;
  }

  /** An agency's staff: each by e-mail and through their own webhooks. */
  private async planStaff(agencyId: string): Promise<Planned[]> {
    const staff = await this.deps.agencyStaff(agencyId);
    const hooks = await this.repo.webhooksOf(
      staff.map((s) => s.id),
      true,
    );
    return staff.map((s) => ({
      to: { staffUserId: s.id },
      deliveries: [
        { channel: 'email', email_to: s.email, webhook_id: null },
        ...hooks
          .filter((h) => h.staff_user_id === s.id)
          .map((h) => ({ channel: 'webhook' as const, email_to: null, webhook_id: h.id })),
      ],
    }));
  }

  /** Reads (outside any transaction: PGlite has one connection) who gets what. */
  private async planPublic(userIds: string[]): Promise<Planned[]> {
    if (!userIds.length) return [];
    const [emailOn, hooks] = await Promise.all([this.follows.emailOn(userIds), this.repo.webhooksOf(userIds)]);
    const planned: Planned[] = [];
    for (const id of userIds) {
      const deliveries: Planned['deliveries'] = [];
      if (emailOn.has(id)) {
        const c = await this.deps.contact(id);
        if (c?.email) deliveries.push({ channel: 'email', email_to: c.email, webhook_id: null });
      }
      for (const h of hooks.filter((x) => x.public_user_id === id))
        deliveries.push({ channel: 'webhook', email_to: null, webhook_id: h.id });
      planned.push({ to: { publicUserId: id }, deliveries });
    }
    return planned;
  }

  private async write(planned: Planned[], n: Omit<Notice, 'to'>, eventId: string | null): Promise<void> {
    if (!planned.length) return;
    await this.deps.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      for (const p of planned) {
        const id = randomUUID();
        const fresh = await repo.insertNotification({
          id,
          public_user_id: 'publicUserId' in p.to ? p.to.publicUserId : null,
          staff_user_id: 'staffUserId' in p.to ? p.to.staffUserId : null,
          event_id: eventId,
          kind: n.kind,
          subject_vi: n.subject.vi,
          subject_en: n.subject.en,
          text_vi: n.text.vi,
          text_en: n.text.en,
          link: n.link,
        });
        if (!fresh) continue;
        for (const d of p.deliveries) await repo.insertDelivery({ id: randomUUID(), notification_id: id, ...d });
      }
    });
  }

  notifications(to: Recipient): Promise<NotificationRow[]> {
    return this.repo.notificationsOf(to, SHOWN_NOTIFICATIONS);
  }

  unread(to: Recipient): Promise<number> {
    return this.repo.unreadCount(to);
  }

  markRead(to: Recipient): Promise<number> {
    return this.repo.markRead(to, this.deps.clock());
  }
}
