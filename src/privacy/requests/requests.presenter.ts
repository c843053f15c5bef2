import { lateness } from './clocks.js';
import type { RequestRow } from './requests.repository.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** A request as the person who filed it sees it: the agency, the status, the due dates; never the keyed hash. */
export const presentOwnRequest = (
  r: RequestRow,
  agency: { name_vi: string; name_en: string | null },
  now = new Date(),
) => ({
  id: r.id,
  filingId: r.filing_id,
  kind: r.kind,
  details: r.details,
  agency: { id: r.agency_id, name_vi: agency.name_vi, name_en: agency.name_en },
  why: r.why,
  status: r.status,
  receivedAt: r.received_at.toISOString(),
  acknowledgeDue: r.acknowledge_due.toISOString(),
  completeDue: r.complete_due.toISOString(),
  thirdParty: r.third_party,
  acknowledgedAt: iso(r.acknowledged_at),
  extension: r.extension_days ? { days: r.extension_days, reason: r.extension_reason } : null,
  closedAt: iso(r.closed_at),
  outcome: r.outcome,
  late: lateness(r, now).map((l) => ({ clock: l.clock, due: l.due.toISOString(), daysLate: l.daysLate })),
});

/** A request as the agency's officers see it: the person by name and a prefix of the exchange's keyed hash. */
export const presentAgencyRequest = (
  r: RequestRow,
  agency: { name_vi: string; name_en: string | null },
  now = new Date(),
) => ({
  ...presentOwnRequest(r, agency, now),
  subject: { name: r.subject_name, hash: r.subject_hash.slice(0, 32) },
});
