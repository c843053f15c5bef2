import type { AgencyRow } from '../../masterdata/masterdata.service.js';
import type { AgencyCounts, DataRequestDetail, DataRequestView } from './data-requests.service.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;
const agencyOf = (a: AgencyRow | null) =>
  a ? { id: a.id, slug: a.slug, name_vi: a.name_vi, name_en: a.name_en } : null;

/** A request as anyone sees it: the requester only by the name they chose to show, never their account. */
export const presentDataRequest = (x: DataRequestView) => ({
  id: x.row.id,
  title: x.row.title,
  description: x.row.description,
  purpose: x.row.purpose,
  requester: x.row.display_name,
  agency: agencyOf(x.agency),
  status: x.row.status,
  createdAt: x.row.created_at.toISOString(),
  receivedAt: iso(x.row.received_at),
  dueAt: iso(x.row.due_at),
  extension: x.row.extension_reason ? { reason: x.row.extension_reason } : null,
  daysLeft: x.clock?.daysLeft ?? null,
  daysLate: x.clock?.daysLate ?? null,
  answeredAt: iso(x.row.answered_at),
  answer: x.row.answer,
  legalGround: x.row.legal_ground,
  votes: x.row.votes,
});

export const presentDataRequestDetail = (x: DataRequestDetail) => ({
  ...presentDataRequest(x),
  dataset: x.dataset ? { slug: x.dataset.slug, title_vi: x.dataset.title_vi, title_en: x.dataset.title_en } : null,
  agencies: x.trail.map((t) => ({
    agency: agencyOf(t.agency),
    receivedAt: t.assignment.received_at.toISOString(),
    dueAt: t.assignment.due_at.toISOString(),
    answeredAt: iso(t.assignment.answered_at),
    outcome: t.assignment.outcome,
    answer: t.assignment.answer,
  })),
});

export const presentCounts = (c: AgencyCounts) => ({
  agency: agencyOf(c.agency),
  received: c.received,
  answered: c.answered,
  answeredInTime: c.answered_in_time,
  overdue: c.overdue,
});
