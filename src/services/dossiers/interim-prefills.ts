import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DomainError } from '../../platform/errors.js';
import { requireCitizen, type PublicUser } from '../../identity/public-principal.js';
import type { ProceduresService } from '../procedures/procedures.service.js';
import { ANONYMOUS } from '../../accounts/principal.js';
import type { Prefill, PrefillFields, PreviewField } from '../prefill/prefill.types.js';
import type { PrefillPort } from './dossiers.service.js';

const TTL_MS = 2 * 3_600_000;

/**
 * A stand-in for `PrefillService` until the prefill engine lands on main (then `services.part.ts` passes the real one
 * and this file goes): it fetches nothing — every bound field comes back `unavailable`, as with a deciding agency
 * that has no desk — and reads prefills from `service_prefills` as the engine stores them.
 */
export class InterimPrefills implements PrefillPort {
  constructor(
    private readonly db: Kysely<any>,
    private readonly procedures: ProceduresService,
  ) {}

  async prefill(u: PublicUser | null, code: string): Promise<Prefill> {
    const person = requireCitizen(u, 2);
    const procedure = await this.procedures.get(ANONYMOUS, code);
    const fields: PrefillFields = {};
    for (const f of procedure.fields)
      if (f.element)
        fields[f.key] = {
          problem: {
            code: 'unavailable',
            vi: 'Chưa lấy được dữ liệu từ cơ sở dữ liệu; bạn hãy tự nhập.',
            en: 'The register could not be reached; type the value yourself.',
          },
        };
    const now = new Date();
    const row = {
      id: randomUUID(),
      procedure_id: procedure.id,
      procedure_version: procedure.version,
      public_user_id: person.userId,
      subject_hash: '',
      fields: JSON.stringify(fields),
      created_at: now,
      expires_at: new Date(now.getTime() + TTL_MS),
    };
    await this.db.insertInto('service_prefills').values(row).execute();
    return { id: row.id, procedure, fields, createdAt: now, expiresAt: row.expires_at };
  }

  async get(u: PublicUser | null, id: string): Promise<Prefill> {
    const person = requireCitizen(u, 2);
    const row = await this.db.selectFrom('service_prefills').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || row.public_user_id !== person.userId) throw new DomainError('NOT_FOUND');
    const procedure = await this.procedures.byId(row.procedure_id);
    return {
      id,
      procedure: { ...procedure, version: row.procedure_version },
      fields: row.fields,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    };
  }

  preview(prefill: Prefill): PreviewField[] {
    return prefill.procedure.fields.map((field) => ({ field, prefilled: prefill.fields[field.key] ?? null }));
  }
}
