import { formatDate } from '../../web/format.js';
import { offerMessage, type OfferRuleRow, type OfferView } from './offer.js';
import type { Announced, OfferShown } from './offers.service.js';

/** Why the person gets an offer, in both languages (the English falls back to the Vietnamese message). */
export const offerWhy = (o: OfferView) => ({
  vi: offerMessage(o.message_vi, o.event.data, formatDate(o.event.occurred_at, 'vi')),
  en: offerMessage(o.message_en ?? o.message_vi, o.event.data, formatDate(o.event.occurred_at, 'en')),
});

/** To the announcing register's system: what it announced and the offers made; never the person's hash. */
export function presentAnnounced(a: Announced) {
  return {
    outcome: a.outcome,
    event: a.event && {
      id: a.event.id,
      external_id: a.event.external_id,
      kind: a.event.kind,
      occurred_at: a.event.occurred_at.toISOString(),
      received_at: a.event.received_at.toISOString(),
    },
    offers: a.offers.map((o) => ({
      id: o.id,
      rule_id: o.rule_id,
      procedure_id: o.procedure_id,
      created_at: o.created_at.toISOString(),
      expires_at: o.expires_at.toISOString(),
    })),
  };
}

export function presentRule(r: OfferRuleRow) {
  return {
    id: r.id,
    agency_id: r.agency_id,
    event_kind: r.event_kind,
    from_agency_id: r.from_agency_id,
    procedure_id: r.procedure_id,
    message_vi: r.message_vi,
    message_en: r.message_en,
    offer_days: r.offer_days,
    active: r.active,
    created_at: r.created_at.toISOString(),
  };
}

/** To the person: the procedure offered, why, and what became of it. */
export function presentMyOffer(o: OfferShown) {
  return {
    id: o.id,
    status: o.status,
    procedure: {
      code: o.procedure.code,
      name: { vi: o.procedure.name_vi, en: o.procedure.name_en ?? o.procedure.name_vi },
    },
    why: offerWhy(o),
    event: { kind: o.event.kind, occurred_at: o.event.occurred_at.toISOString() },
    created_at: o.created_at.toISOString(),
    expires_at: o.expires_at.toISOString(),
    decided_at: o.decided_at?.toISOString() ?? null,
    dossier_id: o.dossier_id,
  };
}
