import type { BreachRow } from './breach.repository.js';
import type { BreachClock } from './breach.service.js';

/** A breach as the API shows it to its agency's administrators and the supervisor. */
export const presentBreach = (b: BreachRow, clock: BreachClock) => ({
  id: b.id,
  agencyId: b.agency_id,
  detectedAt: b.detected_at.toISOString(),
  window: { from: b.window_from.toISOString(), until: b.window_until.toISOString() },
  description: b.description,
  services: b.service_ids,
  status: b.status,
  notifiedAt: b.notified_at?.toISOString() ?? null,
  clock: { dueAt: clock.dueAt.toISOString(), state: clock.state, remainingMs: clock.remainingMs },
  notification: { vi: b.notification_vi, en: b.notification_en },
  version: b.version,
  createdAt: b.created_at.toISOString(),
});
