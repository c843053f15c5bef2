import type { GrantBasis } from '../protocol/consent.js';
/** The rows the registry's repositories return: what its services, presenter and tests share. */

/** A subject key no longer used for new records, kept for finding the records made under it (`until`: ISO time). */
export interface PreviousSubjectKey {
  key: string;
  until: string;
}
/** What records written together share, kept once. */
export interface AccessContext {
  client: string;
  service: string;
  purpose: string | null;
  legal_basis: string | null;
  represented_party?: string | null;
}
/** A subject access record as stored (log_index: bigint, text from the driver; -1 for records from before it was kept). */
export interface AccessRecordRow {
  at: Date;
  message_id: string;
  client: string;
  service: string;
  purpose: string | null;
  legal_basis: string | null;
  represented_party: string | null;
  status: number;
  gateway_id: string;
  log_index: string | number;
  consent_id: string | null;
}

export interface SubsystemRow {
  id: string;
  agency_id: string;
  code: string;
  name: string;
  member_code: string;
  agency_name: string;
  /** the agency's English name from the master data (null where it has none) */
  agency_name_en: string | null;
}
export interface ServiceRow {
  id: string;
  subsystem_id: string;
  code: string;
  title: string;
  base_url: string;
  openapi: unknown;
  enabled: boolean;
  /** the dictionary fields (ids) the service returns */
  fields: string[];
  subsystem_code: string;
  agency_id: string;
  member_code: string;
}
export interface GatewayRow {
  id: string;
  agency_id: string;
  address: string;
  signing_key: string;
  tls_public_key: string;
  certificate: string;
  created_at: Date;
  revoked_at: Date | null;
  last_seen_at: Date | null;
  last_report: unknown;
  member_code: string;
  agency_name: string;
}
export interface GrantRow {
  id: string;
  client_subsystem_id: string;
  service_id: string;
  endpoints: { method: string; path: string }[];
  purposes: string[];
  legal_basis: string | null;
  basis: GrantBasis | null;
  rate_per_second: number | null;
  daily_quota: number | null;
  expires_at: Date | null;
  status: string;
  created_at: Date;
  decided_at: Date | null;
  client_code: string;
  client_agency_id: string;
  client_member_code: string;
  service_code: string;
  provider_subsystem_code: string;
  provider_agency_id: string;
  provider_member_code: string;
}
