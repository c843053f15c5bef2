/** Test data for proactive offers: acceptance without registers behind gateways. */
import { randomUUID } from 'node:crypto';
import type { Harness } from './harness.js';
import type { PublicUser } from '../src/identity/public-principal.js';
import type { Prefill, PrefillFields } from '../src/services/prefill/prefill.types.js';
import type { OfferJourney } from '../src/services/offers/offers.service.js';

/**
 * Until the prefill engine lands, acceptance runs on a fake prefill that does what it does in the database: every
 * bound field given a register's value. The submission is the real one (dossiers/), as `services.part.ts` wires it.
 */
export function fakeJourney(h: Harness): OfferJourney & { prefilled: string[] } {
  const prefilled: string[] = [];
  const real = h.app.publicServices.offers.journey!;
  return {
    prefilled,
    async prefill(u: PublicUser, code: string, opts: { offerId: string }): Promise<Prefill> {
      prefilled.push(opts.offerId);
      const procedure = await h.app.publicServices.procedures.get({ kind: 'anonymous' }, code);
      const at = new Date().toISOString();
      const source = {
        kind: 'register' as const,
        agency_id: procedure.agency_id,
        database_id: null,
        service: 'VN/GOV/000.00.00.G12/HOTICH/births',
        result_id: null,
        at,
      };
      const fields: PrefillFields = Object.fromEntries(
        procedure.fields
          .filter((f) => f.element)
          .map((f) => [
            f.key,
            { value: f.type === 'date' ? '2026-12-03' : `giá trị ${f.key}`, origin: 'register', source },
          ]),
      );
      const id = randomUUID();
      const now = new Date();
      await h.db
        .insertInto('service_prefills')
        .values({
          id,
          procedure_id: procedure.id,
          procedure_version: procedure.version,
          public_user_id: u.userId,
          subject_hash: 'h',
          fields: JSON.stringify(fields),
          created_at: now,
          expires_at: new Date(now.getTime() + 7_200_000),
        })
        .execute();
      return { id, procedure, fields, createdAt: now, expiresAt: new Date(now.getTime() + 7_200_000) };
    },
    submitAccepted: (u, prefill) => real.submitAccepted(u, prefill),
  };
}
