import type { ConsentRow } from './consent.repository.js';
import type { Cursor, MyRecord } from './my-data.service.js';

/** Where a record's proof is served as JSON (the page's link; the API has its twin). */
export const proofPath = (r: Pick<MyRecord, 'gatewayId' | 'logIndex'>) =>
  `/my-data/records/${r.gatewayId}/${r.logIndex}/proof.json`;

/** A cursor as it travels in a query string: `<ISO time>_<gateway id>_<log index>`. */
export const encodeCursor = (c: Cursor) => `${c.at.toISOString()}_${c.gatewayId}_${c.logIndex}`;
export const CURSOR_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,6})?Z_[0-9a-f-]{36}_\\d{1,15}$';
export function decodeCursor(s: string | undefined): Cursor | undefined {
  if (!s) return undefined;
  const [at, gatewayId, index] = s.split('_') as [string, string, string];
  return { at: new Date(at), gatewayId, logIndex: Number(index) };
}

/** A read of the person's data as the API and the JSON export give it. */
export const presentRecord = (r: MyRecord) => ({
  at: r.at.toISOString(),
  messageId: r.messageId,
  client: { id: r.client, system: r.clientSystem, agency: r.clientAgency, agencyEn: r.clientAgencyEn },
  service: {
    id: r.service,
    title: r.serviceTitle,
    system: r.serviceSystem,
    agency: r.serviceAgency,
    agencyEn: r.serviceAgencyEn,
  },
  purpose: r.purpose,
  legalBasis: r.legalBasis,
  basis: r.basis,
  representedParty: r.representedParty,
  status: r.status,
  consent: r.consentId,
  gateway: r.gatewayId,
  logIndex: r.logIndex,
  proof: proofPath(r),
});

export const CSV_COLUMNS = [
  'at',
  'client',
  'client_system',
  'client_agency',
  'service',
  'service_title',
  'service_agency',
  'purpose',
  'legal_basis',
  'basis',
  'represented_party',
  'status',
  'consent',
  'gateway',
  'log_index',
  'message_id',
] as const;

// Every text cell is quoted, so a ";" or "," inside one never splits it whichever separator the spreadsheet expects
// (Excel set to Vietnamese reads ";"); numbers and empty cells stay bare. A cell a spreadsheet would run as a formula
// starts with a quote instead (OWASP's CSV injection advice).
const cell = (v: string | number | null) => {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return `"${s.replaceAll('"', '""')}"`;
};

const VIETNAM_OFFSET_MS = 7 * 3_600_000;
/** A moment in Vietnam's time with its offset (2026-12-07T22:27:59.777+07:00): what the page shows, still ISO 8601. */
export const vietnamIso = (d: Date) => new Date(d.getTime() + VIETNAM_OFFSET_MS).toISOString().replace('Z', '+07:00');

export const csvRow = (r: MyRecord) =>
  `${[
    vietnamIso(r.at),
    r.client,
    r.clientSystem,
    r.clientAgency,
    r.service,
    r.serviceTitle,
    r.serviceAgency,
    r.purpose,
    r.legalBasis,
    r.basis,
    r.representedParty,
    r.status,
    r.consentId,
    r.gatewayId,
    r.logIndex,
    r.messageId,
  ]
    .map(cell)
    .join(',')}\r\n`;

type ShownConsent = ConsentRow & {
  recipient: string;
  recipientName: string;
  agencyName: string;
  agencyNameEn: string | null;
  uses: number;
  serviceTitles: (string | null)[];
  fieldLabels: ({ vi: string; en: string } | null)[][];
};

/** A consent as the person sees it through the API: the hashes that name them never leave. */
export const presentMyConsent = (c: ShownConsent) => ({
  id: c.id,
  status: c.status,
  recipient: { id: c.recipient, system: c.recipientName, agency: c.agencyName, agencyEn: c.agencyNameEn },
  services: c.services.map((s, i) => ({
    ...s,
    title: c.serviceTitles[i] ?? null,
    fieldLabels: c.fieldLabels[i] ?? s.fields.map(() => null),
  })),
  purpose: c.purpose,
  validFrom: c.valid_from.toISOString(),
  validUntil: c.valid_until.toISOString(),
  usesPerDay: c.uses_per_day,
  retentionDays: c.retention_days,
  note: c.note,
  requestedAt: c.requested_at.toISOString(),
  decidedAt: c.decided_at?.toISOString() ?? null,
  withdrawnAt: c.withdrawn_at?.toISOString() ?? null,
  uses: c.uses,
});

/** An export as a stream: pages are read as the client takes them, so memory stays one page whatever the size. */
export async function* exportBody(pages: AsyncGenerator<MyRecord[]>, format: 'csv' | 'json'): AsyncGenerator<string> {
  // the byte-order mark lets spreadsheet programs read the Vietnamese text as UTF-8
  yield format === 'csv' ? `\uFEFF${CSV_COLUMNS.join(',')}\r\n` : '{"records":[';
  let first = true;
  for await (const page of pages) {
    if (format === 'csv') yield page.map(csvRow).join('');
    else {
      yield (first ? '' : ',') + page.map((r) => JSON.stringify(presentRecord(r))).join(',');
      first = false;
    }
  }
  if (format === 'json') yield ']}';
}

export const EXPORT_TYPES = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' } as const;
