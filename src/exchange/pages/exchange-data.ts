import type { AccessLookup } from './exchange-access.js';

/** What the exchange page shows, as the routes gather it. */
export interface ExchangePageData {
  gateways: {
    id: string;
    agencyName: string;
    address: string;
    lastSeenAt: string | null;
    certificateUntil: string | null;
    /** when the gateway sent these figures (its access records come every second, its figures every 10 s) */
    reportedAt: string | null;
    services: {
      side: string;
      service: string;
      requests: number;
      /** answered 2xx/3xx without an X-Road error (absent from the reports of older gateways) */
      ok?: number;
      errors: number;
      p50Ms: number;
      p99Ms: number;
    }[];
    /** entries in the gateway's evidence log: written, and queued to be written within milliseconds */
    log: { entries: number; failing?: string } | null;
    configValid: boolean | null;
    accessRecords: { waiting: number; spooledBytes: number; dropped: number } | null;
  }[];
  grants: {
    id: string;
    status: string;
    client: string;
    service: string;
    purposes: string[];
    legalBasis: string | null;
    ratePerSecond: number | null;
    dailyQuota: number | null;
    expiresAt: string | null;
    canDecide: boolean;
    canRevoke: boolean;
  }[];
  services: {
    id: string;
    serviceId: string;
    title: string;
    endpoints: { method: string; path: string }[];
    fields: string[];
  }[];
  /** grants to the user's services returning sensitive personal data that lack a legal basis or a purpose */
  gaps: { id: string; client: string; service: string; status: string; sensitiveFields: string[]; missing: string[] }[];
  notice: string | null;
  /** the supervisor's view of the configuration key's rotation (null for everyone else) */
  signingKey: {
    current: string;
    next: string | null;
    ca: string | null;
    nextCa: string | null;
    previousCa: string | null;
    subjectKeysKept: number;
    have: number;
    total: number;
    behind: string[];
  } | null;
  /** who may look up a person's access records (the supervisor: all; an agency's administrators: their own), and the last lookup */
  lookup: { all: boolean; agencies: { id: string; name: string }[]; result: AccessLookup | null } | null;
  /** what the user administers: forms to register subsystems and services, make keys and ask for grants */
  manage: {
    agencies: { id: string; name: string }[];
    subsystems: { id: string; label: string }[];
    newKey: { subsystem: string; key: string } | null;
    errors: { vi: string; en: string }[];
    values: Record<string, string>;
    credentials: Credential[];
  };
}
/** An API key (never shown again after it was made: only its label) or a pinned client certificate of a subsystem. */
export interface Credential {
  subsystemId: string;
  subsystem: string;
  kind: 'key' | 'certificate';
  id: string;
  label: string;
  detail: string | null;
  createdAt: string | null;
  notAfter: string | null;
  revokedAt: string | null;
}
