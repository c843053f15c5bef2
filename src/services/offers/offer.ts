export type OfferStatus = 'open' | 'accepted' | 'declined' | 'expired';

/** Values an event may carry: a few small scalars (the API bounds them). */
export type EventData = Record<string, string | number | boolean | null>;

export interface OfferRuleRow {
  id: string;
  agency_id: string;
  event_kind: string;
  from_agency_id: string;
  procedure_id: string;
  message_vi: string;
  message_en: string | null;
  offer_days: number;
  active: boolean;
  created_at: Date;
}

export interface EventRow {
  id: string;
  agency_id: string;
  external_id: string;
  kind: string;
  subject_hash: string;
  data: EventData;
  occurred_at: Date;
  received_at: Date;
}

export interface OfferRow {
  id: string;
  event_id: string;
  rule_id: string;
  procedure_id: string;
  subject_hash: string;
  status: OfferStatus;
  created_at: Date;
  expires_at: Date;
  decided_at: Date | null;
  dossier_id: string | null;
}

/** An offer as its person or the deciding agency sees it: with the event and the rule's message. */
export interface OfferView extends OfferRow {
  event: Pick<EventRow, 'kind' | 'external_id' | 'agency_id' | 'data' | 'occurred_at'>;
  message_vi: string;
  message_en: string | null;
}

/** An open offer past its date reads as expired, whatever the row still says. */
export const effectiveStatus = (o: Pick<OfferRow, 'status' | 'expires_at'>, now: Date): OfferStatus =>
  o.status === 'open' && o.expires_at.getTime() <= now.getTime() ? 'expired' : o.status;

/**
 * The rule's message for one event: `{date}` is the event's date as the page's language writes it, `{key}` a value of
 * its data; an unknown placeholder stays as written.
 */
export function offerMessage(template: string, data: EventData, date: string): string {
  return template.replace(/\{([a-zA-Z0-9_]{1,40})\}/g, (whole, key: string) => {
    if (key === 'date') return date;
    const v = data[key];
    return v === undefined || v === null ? whole : String(v);
  });
}
