import type { Kysely } from 'kysely';

export interface NotificationRow {
  id: string;
  public_user_id: string | null;
  staff_user_id: string | null;
  event_id: string | null;
  kind: string;
  subject_vi: string;
  subject_en: string;
  text_vi: string;
  text_en: string;
  link: string;
  created_at: Date;
  read_at: Date | null;
}

export interface DeliveryRow {
  id: string;
  notification_id: string;
  channel: 'email' | 'webhook';
  webhook_id: string | null;
  email_to: string | null;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: Date;
  created_at: Date;
  delivered_at: Date | null;
}

export interface AttemptRow {
  delivery_id: string;
  at: Date;
  ok: boolean;
  response_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface WebhookRow {
  id: string;
  public_user_id: string | null;
  staff_user_id: string | null;
  url: string;
  secret: string;
  created_at: Date;
}

export type Recipient = { publicUserId: string } | { staffUserId: string };

const whose = (r: Recipient) =>
  'publicUserId' in r ? (['public_user_id', r.publicUserId] as const) : (['staff_user_id', r.staffUserId] as const);

/** The SQL of notifications, their deliveries and attempts, and webhooks. Private to the notices' services. */
export class NoticesRepository {
  constructor(private readonly db: Kysely<any>) {}

  with(trx: Kysely<any>): NoticesRepository {
    return new NoticesRepository(trx);
  }

  /** False when this event was already told to this public user (a second fan-out after a crash). */
  async insertNotification(n: Omit<NotificationRow, 'created_at' | 'read_at'>): Promise<boolean> {
    const r = await this.db
      .insertInto('notifications')
      .values(n)
      .onConflict((oc) => oc.columns(['event_id', 'public_user_id']).where('event_id', 'is not', null).doNothing())
      .returning('id')
      .executeTakeFirst();
    return !!r;
  }

  async insertDelivery(d: Pick<DeliveryRow, 'id' | 'notification_id' | 'channel' | 'webhook_id' | 'email_to'>) {
    await this.db.insertInto('deliveries').values(d).execute();
  }

  notificationsOf(r: Recipient, limit: number): Promise<NotificationRow[]> {
    const [col, id] = whose(r);
    return this.db
      .selectFrom('notifications')
      .selectAll()
      .where(col, '=', id)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute() as Promise<NotificationRow[]>;
  }

  async unreadCount(r: Recipient): Promise<number> {
    const [col, id] = whose(r);
    const row = await this.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where(col, '=', id)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async markRead(r: Recipient, at: Date): Promise<number> {
    const [col, id] = whose(r);
    const res = await this.db
      .updateTable('notifications')
      .set({ read_at: at })
      .where(col, '=', id)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  notification(id: string): Promise<NotificationRow | undefined> {
    return this.db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst() as Promise<
      NotificationRow | undefined
    >;
  }

  /** Takes due deliveries no other process holds, holding them for two minutes. */
  claimDue(now: Date, limit: number): Promise<DeliveryRow[]> {
    return this.db
      .updateTable('deliveries')
      .set({ claimed_until: new Date(now.getTime() + 120_000) })
      .where(
        'id',
        'in',
        this.db
          .selectFrom('deliveries')
          .select('id')
          .where('status', '=', 'pending')
          .where('next_attempt_at', '<=', now)
          .where((w) => w.or([w('claimed_until', 'is', null), w('claimed_until', '<', now)]))
          .orderBy('next_attempt_at')
          .limit(limit)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute() as Promise<DeliveryRow[]>;
  }

  async insertAttempt(a: AttemptRow): Promise<void> {
    await this.db.insertInto('delivery_attempts').values(a).execute();
  }

  async settle(id: string, change: Pick<DeliveryRow, 'status' | 'attempts' | 'next_attempt_at' | 'delivered_at'>) {
    await this.db
      .updateTable('deliveries')
      .set({ ...change, claimed_until: null })
      .where('id', '=', id)
      .execute();
  }

  // ── webhooks ────────────────────────────────────────────────────────────
  async insertWebhook(w: Omit<WebhookRow, 'created_at'>): Promise<WebhookRow> {
    return (await this.db.insertInto('webhooks').values(w).returningAll().executeTakeFirstOrThrow()) as WebhookRow;
  }

  /** The hooks of these public users, or (`staff`) of these staff members. */
  webhooksOf(userIds: string[], staff = false): Promise<WebhookRow[]> {
    if (!userIds.length) return Promise.resolve([]);
    return this.db
      .selectFrom('webhooks')
      .selectAll()
      .where(staff ? 'staff_user_id' : 'public_user_id', 'in', userIds)
      .orderBy('created_at')
      .execute() as Promise<WebhookRow[]>;
  }

  webhook(id: string): Promise<WebhookRow | undefined> {
    return this.db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst() as Promise<
      WebhookRow | undefined
    >;
  }

  async removeWebhook(owner: Recipient, id: string): Promise<boolean> {
    const [col, userId] = whose(owner);
    const r = await this.db.deleteFrom('webhooks').where('id', '=', id).where(col, '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** A webhook's newest deliveries with the kind of what they told, and every attempt of each. */
  async webhookLog(
    webhookId: string,
    limit: number,
  ): Promise<{ delivery: DeliveryRow & { kind: string }; attempts: AttemptRow[] }[]> {
    const deliveries = (await this.db
      .selectFrom('deliveries as d')
      .innerJoin('notifications as n', 'n.id', 'd.notification_id')
      .selectAll('d')
      .select('n.kind')
      .where('d.webhook_id', '=', webhookId)
      .orderBy('d.created_at', 'desc')
      .limit(limit)
      .execute()) as (DeliveryRow & { kind: string })[];
    if (!deliveries.length) return [];
    const attempts = (await this.db
      .selectFrom('delivery_attempts')
      .select(['delivery_id', 'at', 'ok', 'response_code', 'error', 'duration_ms'])
      .where(
        'delivery_id',
        'in',
        deliveries.map((d) => d.id),
      )
      .orderBy('at')
      .execute()) as AttemptRow[];
    return deliveries.map((delivery) => ({
      delivery,
      attempts: attempts.filter((a) => a.delivery_id === delivery.id),
    }));
  }
}
