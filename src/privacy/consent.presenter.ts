import type { ConsentRow } from './consent.repository.js';

/** A consent as the API shows it (to its recipient agency and to the person); the person's hashes never leave. */
export const presentConsent = (c: ConsentRow, recipient: string, artefact?: string) => ({
  id: c.id,
  status: c.status,
  recipient,
  services: c.services,
  purpose: c.purpose,
  validFrom: c.valid_from.toISOString(),
  validUntil: c.valid_until.toISOString(),
  usesPerDay: c.uses_per_day,
  retentionDays: c.retention_days,
  note: c.note,
  requestedAt: c.requested_at.toISOString(),
  decidedAt: c.decided_at?.toISOString() ?? null,
  withdrawnAt: c.withdrawn_at?.toISOString() ?? null,
  ...(artefact ? { artefact } : {}),
});
