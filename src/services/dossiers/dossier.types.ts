import type { FieldSource } from '../prefill/prefill.types.js';

export type DossierStatus = 'submitted' | 'in_review' | 'issued' | 'rejected';
export type FieldOrigin = 'register' | 'result' | 'typed';

/** A dossier's field as kept: the value, whether it was reused or typed, and from where. */
export interface DossierField {
  key: string;
  element: string | null;
  value: string;
  origin: FieldOrigin;
  /** the applicant said the register's value is wrong: they typed theirs, and a correction request went to the source */
  disputed: boolean;
  /** where a reused value came from, or the source a disputed value was read from */
  source: FieldSource | null;
  /** a disputed field: the value the register gave, which the applicant's replaced (the officer sees both) */
  contradicts?: string;
}
