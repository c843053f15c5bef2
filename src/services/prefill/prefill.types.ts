import type { ProcedureField, ProcedureRow } from '../procedures/procedure.js';

/** Why a bound field came back empty: the form asks it of the applicant and says why. */
export type PrefillProblemCode =
  | 'no_source' // no register holds the element yet
  | 'timeout' // the register did not answer in time
  | 'refused' // the exchange refused the call (no grant, no consent, purpose not allowed)
  | 'not_found' // the register holds nothing for this person
  | 'no_value' // the answer lacks the field
  | 'unavailable'; // the register, its gateway or the desk failed

export interface PrefillProblem {
  code: PrefillProblemCode;
  vi: string;
  en: string;
}

/** Where a reused value came from, as the citizen sees it and the dossier keeps it. */
export interface FieldSource {
  kind: 'register' | 'result';
  /** the holding agency */
  agency_id: string;
  /** a register of databases entry (kind register) */
  database_id: string | null;
  /** the X-Road service called (kind register) */
  service: string | null;
  /** the result reused (kind result) */
  result_id: string | null;
  /** when the value was read */
  at: string;
  /** the announced event the value was read from (an accepted offer): its kind, the register's id for it, its date */
  event?: { kind: string; id: string; occurred_at: string };
}

/**
 * What an announced event says of the person (an offer's evidence): values keyed by dictionary element, with the
 * announcing agency and the event. Its values prefill the procedure's fields bound to those elements.
 */
export interface EventFacts {
  values: Record<string, string | number | boolean | null>;
  agency_id: string;
  event: { kind: string; id: string; occurred_at: string };
}

export type PrefilledValue =
  | { value: string; origin: 'register' | 'result'; source: FieldSource }
  | { problem: PrefillProblem };

/** One prefill as stored (`service_prefills.fields`): keyed by the form field's key; fields asked of the applicant are absent. */
export type PrefillFields = Record<string, PrefilledValue>;

export interface Prefill {
  id: string;
  procedure: ProcedureRow;
  fields: PrefillFields;
  createdAt: Date;
  expiresAt: Date;
}

/** How the form shows a field: its definition with what the registers gave. */
export interface PreviewField {
  field: ProcedureField;
  prefilled: PrefilledValue | null;
}
