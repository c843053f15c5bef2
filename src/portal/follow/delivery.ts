import type { Kysely } from 'kysely';
import type { Logger } from '../../platform/logger.js';
import type { Mailer } from '../../identity/mailer.js';
import type { FollowRepository } from './follow.repository.js';
import { NoticesRepository, type DeliveryRow, type NotificationRow } from './notices.repository.js';
import type { NoticesService } from './notices.service.js';
import { refusedAddress, sign } from './webhook-signing.js';

/** Waits after the 1st, 2nd… failed attempt; after the last, the delivery is given up ('failed'). */
export const RETRY_SECONDS = [60, 300, 1800, 7200, 43200];

export interface DelivererDeps {
  db: Kysely<any>;
  mailer: Mailer;
  baseUrl: string;
  allowPrivate: boolean;
  logger: Logger;
  clock: () => Date;
  timeoutMs?: number;
}

/**
 * The background half: every tick, fans out the outbox's events and sends the deliveries that are due, each
 * attempt logged (when, ok or not, the response's status, how long), failures retried on `RETRY_SECONDS`. Several
 * processes may run it: events and deliveries are claimed (`for update skip locked`) with a lease.
 */
export class Deliverer {
  private readonly repo: NoticesRepository;
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  constructor(
    private readonly deps: DelivererDeps,
    private readonly notices: NoticesService,
    private readonly outbox: FollowRepository,
  ) {
    this.repo = new NoticesRepository(deps.db);
  }

  /** One pass, after any pass under way; `now` lets a test look past a retry's wait. */
  runOnce(now?: Date): Promise<{ events: number; sent: number; failed: number }> {
    const run = this.chain.then(() => this.pass(now ?? this.deps.clock()));
    this.chain = run.catch(() => undefined);
    return run;
  }

  start(everyMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.runOnce().catch((err: unknown) => this.deps.logger.error({ err }, 'notices: delivery pass failed'));
    }, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.chain;
  }

  private async pass(now: Date) {
    let events = 0;
    for (const e of await this.outbox.claimEvents(now, 10)) {
      try {
        await this.notices.fanOut(e);
        events++;
      } catch (err) {
        // the claim lapses and the next pass tries again; notifications already written are not doubled
        this.deps.logger.error({ err, event: e.id }, 'notices: fan-out failed');
      }
    }
    let sent = 0;
    let failed = 0;
    for (const d of await this.repo.claimDue(now, 20)) {
      if (await this.attempt(d, now)) sent++;
      else failed++;
    }
    return { events, sent, failed };
  }

  private async attempt(d: DeliveryRow, now: Date): Promise<boolean> {
    const started = Date.now();
    let result: { ok: boolean; code: number | null; error: string | null };
    const n = await this.repo.notification(d.notification_id);
    try {
      if (!n) result = { ok: false, code: null, error: 'notification gone' };
      else if (d.channel === 'email') result = await this.email(d, n);
      else result = await this.webhook(d, n);
    } catch (err) {
      result = { ok: false, code: null, error: String((err as Error).message ?? err).slice(0, 500) };
    }
    const attempts = d.attempts + 1;
    const wait = RETRY_SECONDS[attempts - 1];
    await this.deps.db.transaction().execute(async (trx) => {
      const repo = this.repo.with(trx);
      await repo.insertAttempt({
        delivery_id: d.id,
        at: now,
        ok: result.ok,
        response_code: result.code,
        error: result.error,
        duration_ms: Date.now() - started,
      });
      await repo.settle(d.id, {
        status: result.ok ? 'delivered' : wait === undefined ? 'failed' : 'pending',
        attempts,
        next_attempt_at: new Date(now.getTime() + (wait ?? 0) * 1000),
        delivered_at: result.ok ? now : null,
      });
    });
    return result.ok;
  }

  private async email(d: DeliveryRow, n: NotificationRow) {
    const link = `${this.deps.baseUrl}${n.link}`;
    const settings = `${this.deps.baseUrl}/my/follows`;
    await this.deps.mailer.send({
      to: d.email_to!,
      subject: `${n.subject_vi} | ${n.subject_en}`,
      text: [
        n.text_vi,
        link,
        '',
        n.text_en,
        link,
        '',
        n.public_user_id
          ? `Thôi theo dõi hoặc tắt thư / Unfollow or stop these e-mails: ${settings}`
          : `${this.deps.baseUrl}/dashboard/notifications`,
      ].join('\n'),
    });
    return { ok: true, code: null, error: null };
  }

  private async webhook(d: DeliveryRow, n: NotificationRow) {
    const hook = d.webhook_id ? await this.repo.webhook(d.webhook_id) : undefined;
    if (!hook) return { ok: false, code: null, error: 'webhook deleted' };
    // checked again at each attempt: a name may resolve elsewhere since the hook was registered
    const refused = await refusedAddress(hook.url, this.deps.allowPrivate);
    if (refused) return { ok: false, code: null, error: refused };
    const e = n.event_id ? await this.outbox.event(n.event_id) : undefined;
    const body = JSON.stringify({
      type: n.kind,
      timestamp: n.created_at.toISOString(),
      data: {
        notification_id: n.id,
        subject: { vi: n.subject_vi, en: n.subject_en },
        text: { vi: n.text_vi, en: n.text_en },
        link: `${this.deps.baseUrl}${n.link}`,
        dataset: e ? { id: e.dataset_id, slug: e.slug, agency_id: e.agency_id } : undefined,
        distribution: e?.distribution_id ? { id: e.distribution_id, version: e.version } : undefined,
      },
    });
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(hook.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(this.deps.timeoutMs ?? 10_000),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'ndp-webhooks/1',
        'webhook-id': d.id,
        'webhook-timestamp': String(ts),
        'webhook-signature': sign(hook.secret, d.id, ts, body),
      },
      body,
    });
    await res.body?.cancel();
    const ok = res.status >= 200 && res.status < 300;
    return { ok, code: res.status, error: ok ? null : `HTTP ${res.status}` };
  }
}
