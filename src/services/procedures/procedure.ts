/**
 * A public-service procedure as the platform keeps it: plain data, no request and no SQL. Its form's fields are each
 * bound to an element of the shared data dictionary (a fact some register or earlier result may hold) or asked of the
 * applicant (`element: null`).
 */
export const FIELD_TYPES = ['string', 'date', 'integer', 'number', 'boolean', 'text'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export type ProcedureStatus = 'draft' | 'published' | 'withdrawn';

export interface ProcedureField {
  /** the form's own name of the field (`[a-z][a-z0-9_]*`), unique in the form */
  key: string;
  label_vi: string;
  label_en: string | null;
  /** the dictionary element the field is bound to; null: asked of the applicant */
  element: string | null;
  type: FieldType;
  required: boolean;
  help_vi?: string | null;
  help_en?: string | null;
}

export interface ResultField {
  key: string;
  label_vi: string;
  label_en: string | null;
  /** the dictionary element the result's field carries: later procedures reuse it as a fact */
  element: string | null;
  /** the form field whose value it copies; null: the officer writes it when issuing */
  from: string | null;
}

export interface ResultSpec {
  kind: 'certificate' | 'decision';
  title_vi: string;
  title_en: string | null;
  /** days the result is valid for (a marital status certificate: 180); null: no end */
  validity_days: number | null;
  fields: ResultField[];
}

export interface ProcedureRow {
  id: string;
  code: string;
  agency_id: string;
  name_vi: string;
  name_en: string | null;
  description_vi: string;
  description_en: string | null;
  legal_basis: string;
  processing_days: number;
  status: ProcedureStatus;
  fields: ProcedureField[];
  result: ResultSpec;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** Who holds a dictionary element: a register's exchange service, or the signed result of a procedure. */
export type SourceRow = {
  element_id: string;
  agency_id: string;
  updated_at: Date;
} & (
  | {
      kind: 'register';
      database_id: string;
      /** the X-Road service id `instance/class/member/subsystem/service` */
      service: string;
      /** the path under the service, `{person}` standing for the person's 12-digit id number: `/citizens/{person}` */
      path_template: string;
      /** an RFC 6901 JSON pointer into the service's answer: `/permanentResidence/communeCode` */
      response_field: string;
      procedure_id: null;
      result_field: null;
    }
  | {
      kind: 'result';
      database_id: null;
      service: null;
      path_template: null;
      response_field: null;
      procedure_id: string;
      result_field: string;
    }
);

/** A deciding agency's exchange client: where the platform fetches its procedures' facts from. */
export interface DeskRow {
  agency_id: string;
  /** the client subsystem `instance/GOV/member/subsystem` */
  client: string;
  /** the agency's consumer gateway, `http(s)://host:port` */
  gateway_url: string;
  /** sealed in the database; open only in `DeskCredentials` */
  api_key: string;
  timeout_ms: number;
  updated_at: Date;
}

/** A desk with its API key opened, for the prefill's calls only. */
export interface DeskCredentials {
  agencyId: string;
  client: string;
  gatewayUrl: string;
  apiKey: string;
  timeoutMs: number;
}

export const PERSON_PLACEHOLDER = '{person}';

/** An agency as procedures' pages and answers name it. */
export interface AgencyRef {
  id: string;
  slug: string;
  code: string;
  name_vi: string;
  name_en: string | null;
}

/** A register of databases entry as a source names it. */
export interface DatabaseRef {
  id: string;
  agency_id: string;
  name_vi: string;
  name_en: string | null;
}
