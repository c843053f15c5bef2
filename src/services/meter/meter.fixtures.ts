/** Test data for the meter: dossiers and prefills written straight to their tables, with the origins a test needs. */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DossierField } from '../dossiers/dossier.types.js';
import type { PrefillFields } from '../prefill/prefill.types.js';

let n = 0;

/** A form field as a dossier keeps it; `reused` ones come from a register, the rest are typed. */
export const field = (
  key: string,
  origin: DossierField['origin'],
  o: { element?: string | null; value?: string; disputed?: boolean } = {},
): DossierField => ({
  key,
  element: o.element === undefined ? null : o.element,
  value: o.value ?? `giá trị ${key}`,
  origin,
  disputed: o.disputed ?? false,
  source: null,
});

/** `count` fields reused from a register, keyed `prefix1`…: the bulk of a dossier whose reuse a test counts. */
export const reusedFields = (count: number, prefix = 'r'): DossierField[] =>
  Array.from({ length: count }, (_, i) => field(`${prefix}${i + 1}`, 'register'));

export async function insertPrefill(
  db: Kysely<any>,
  o: { procedureId: string; publicUserId: string; fields: PrefillFields },
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('service_prefills')
    .values({
      id,
      procedure_id: o.procedureId,
      procedure_version: 1,
      public_user_id: o.publicUserId,
      subject_hash: 'h',
      fields: JSON.stringify(o.fields),
      created_at: new Date(),
      expires_at: new Date(Date.now() + 3_600_000),
    })
    .execute();
  return id;
}

/** A submitted dossier of `procedureId` decided by `agencyId`, with these fields, submitted at `at`. */
export async function insertDossier(
  db: Kysely<any>,
  o: {
    procedureId: string;
    agencyId: string;
    publicUserId: string;
    fields: DossierField[];
    at: Date;
    prefillId?: string;
  },
): Promise<string> {
  const id = randomUUID();
  const reused = o.fields.filter((f) => f.origin !== 'typed' && !f.disputed).length;
  await db
    .insertInto('service_dossiers')
    .values({
      id,
      reference: `HS-METER-${++n}-${id.slice(0, 8)}`,
      procedure_id: o.procedureId,
      procedure_version: 1,
      agency_id: o.agencyId,
      public_user_id: o.publicUserId,
      subject_hash: 'h',
      applicant_name: 'Người thử',
      prefill_id: o.prefillId ?? null,
      status: 'submitted',
      fields: JSON.stringify(o.fields),
      reused,
      typed: o.fields.length - reused,
      submitted_at: o.at,
    })
    .execute();
  return id;
}
