/** Test data for public services' forms: prefills as the engine stores them, without registers or gateways. */
import { randomUUID } from 'node:crypto';
import type { Harness } from './harness.js';
import type { citizenSession } from './citizens.js';
import type { ProcedureRow } from '../src/services/procedures/procedure.js';
import type { PrefillFields } from '../src/services/prefill/prefill.types.js';

/** Test data: a prefill as the engine stores it (`service_prefills`), for one person and procedure. */
export async function storePrefill(
  h: Harness,
  who: Awaited<ReturnType<typeof citizenSession>>,
  procedure: ProcedureRow,
  fields: PrefillFields,
  expired = false,
) {
  const id = randomUUID();
  const now = new Date();
  await h.db
    .insertInto('service_prefills')
    .values({
      id,
      procedure_id: procedure.id,
      procedure_version: procedure.version,
      public_user_id: who.user.userId,
      subject_hash: who.hashes[0]!,
      fields: JSON.stringify(fields),
      created_at: now,
      expires_at: new Date(now.getTime() + (expired ? -1000 : 7_200_000)),
    })
    .execute();
  return id;
}
