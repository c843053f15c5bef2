/** `index`: the exchange's entry in the provider gateway's evidence log (with the gateway and message id, the record's key). */
export interface AccessRecord {
  subject: string;
  at: string;
  id: string;
  index: number;
  client: string;
  service: string;
  purpose: string | null;
  legalBasis: string | null;
  status: number /** X-Road-Represented-Party; absent in records spooled before it was kept */;
  representedParty?: string | null;
  /** the consent the exchange relied on (its id), when its grant's basis is consent */
  consent?: string | null;
}

/** Subject access records that share client, service, purpose, legal basis, status and represented party, as a gateway reports them. */
export interface AccessRecordGroup {
  client: string;
  service: string;
  purpose: string | null;
  legalBasis: string | null;
  status: number;
  representedParty?: string | null;
  subjects: string[];
  at: string[];
  ids: string[];
  indexes: number[];
  /** each record's consent id ('' for none); absent when no record in the group relied on a consent */
  consents?: string[];
}

/**
 * Groups records by what they share — one client, service, purpose, legal basis and status for most of a second's
 * records — so a report is a third of the size and serialising it does not hold a gateway's traffic for milliseconds.
 */
export function groupAccessRecords(records: readonly AccessRecord[]): AccessRecordGroup[] {
  const groups = new Map<string, AccessRecordGroup>();
  for (const r of records) {
    // null and '' kept apart: a purpose may be empty text, and the two are different records
    const represented = r.representedParty ?? null;
    const key = `${r.client}\u0000${r.service}\u0000${r.purpose ?? '\u0001'}\u0000${r.legalBasis ?? '\u0001'}\u0000${r.status}\u0000${represented ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        client: r.client,
        service: r.service,
        purpose: r.purpose,
        legalBasis: r.legalBasis,
        status: r.status,
        subjects: [],
        at: [],
        ids: [],
        indexes: [],
      };
      // only when there is one: a registry from before the field refuses a report that names it
      if (represented) g.representedParty = represented;
      groups.set(key, g);
    }
    g.subjects.push(r.subject);
    g.at.push(r.at);
    g.ids.push(r.id);
    g.indexes.push(r.index);
    if (r.consent && !g.consents) g.consents = g.ids.slice(0, -1).map(() => '');
    g.consents?.push(r.consent ?? '');
  }
  return [...groups.values()];
}
