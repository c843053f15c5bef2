import type { FollowRow } from './follow.repository.js';
import type { AttemptRow, DeliveryRow, NotificationRow, WebhookRow } from './notices.repository.js';

export const presentFollow = (f: FollowRow) => ({
  id: f.id,
  kind: f.target_kind,
  target: f.target_kind === 'search' ? null : f.target,
  search: f.target_kind === 'search' ? f.search : null,
  label: f.label,
  created_at: f.created_at.toISOString(),
});

export const presentNotification = (n: NotificationRow) => ({
  id: n.id,
  kind: n.kind,
  subject: { vi: n.subject_vi, en: n.subject_en },
  text: { vi: n.text_vi, en: n.text_en },
  link: n.link,
  created_at: n.created_at.toISOString(),
  read: n.read_at !== null,
});

/** The secret only when the hook is made. */
export const presentWebhook = (w: WebhookRow, withSecret = false) => ({
  id: w.id,
  url: w.url,
  created_at: w.created_at.toISOString(),
  ...(withSecret ? { secret: w.secret } : {}),
});

export const presentDelivery = (x: { delivery: DeliveryRow & { kind: string }; attempts: AttemptRow[] }) => ({
  id: x.delivery.id,
  kind: x.delivery.kind,
  status: x.delivery.status,
  created_at: x.delivery.created_at.toISOString(),
  next_attempt_at: x.delivery.status === 'pending' ? x.delivery.next_attempt_at.toISOString() : null,
  attempts: x.attempts.map((a) => ({
    at: a.at.toISOString(),
    ok: a.ok,
    response_code: a.response_code,
    error: a.error,
    duration_ms: a.duration_ms,
  })),
});
