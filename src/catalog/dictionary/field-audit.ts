import type { Kysely } from 'kysely';
import { recordAudit } from '../../platform/audit.js';
import { actorOf, type Principal } from '../../accounts/principal.js';
import type { DictionaryFieldRow, FieldContent } from './dictionary.repository.js';

/** A flag changed is its own audit entry: what a grant or the personal-data gate demands follows from it. */
export async function auditFlag(
  trx: Kysely<any>,
  p: Principal,
  before: FieldContent | null,
  after: DictionaryFieldRow,
) {
  if (!before || before.personal_data === after.personal_data) return;
  await recordAudit(trx, actorOf(p), {
    action: 'dictionary.personal_data',
    entityType: 'dictionary_field',
    entityId: after.id,
    agencyId: after.agency_id,
    before: { personal_data: before.personal_data },
    after: { personal_data: after.personal_data },
  });
}
