/** Test data for the citizens' side of privacy: e-ID sessions without the e-ID, and access records of a person. */
import { createHash, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Harness } from './harness.js';

/** Test data: access records as a provider gateway reports them (who read whose data from which agency's service). */
export async function recordReads(
  h: Harness,
  o: { hash: string; client: string; service: string; provider: string; count?: number; status?: number },
): Promise<void> {
  const gatewayId = randomUUID();
  await h.db
    .insertInto('exchange_gateways')
    .values({
      id: gatewayId,
      agency_id: await h.agencyId(o.provider),
      address: 'https://gw.test',
      signing_key: `key-${gatewayId}`,
      tls_public_key: 'tls',
      certificate: 'cert',
      revoked_at: new Date(),
    })
    .execute();
  const ctx = await sql<{ id: number }>`insert into exchange_access_contexts (client, service)
    values (${o.client}, ${o.service}) on conflict do nothing returning id`.execute(h.db);
  const contextId =
    ctx.rows[0]?.id ??
    (
      await sql<{ id: number }>`select id from exchange_access_contexts where client = ${o.client}
        and service = ${o.service} and purpose is null`.execute(h.db)
    ).rows[0]!.id;
  for (let i = 0; i < (o.count ?? 1); i++)
    await sql`insert into exchange_access_records (gateway_id, log_index, message_id, subject, at, context_id, status)
      values (${gatewayId}, ${i}, ${`m${i}`}, decode(${o.hash}, 'hex'), now(), ${contextId}, ${o.status ?? 200})`.execute(
      h.db,
    );
}

/**
 * A citizen signed in with the e-ID (as the stand-in would vouch for them): the cookie, CSRF token, user (at level 2
 * carrying `idNumber`, as the public auth hook gives it), hashes. The subject is opaque, as the e-ID's pairwise ones.
 */
export async function citizenSession(h: Harness, idNumber: string, name: string, level: 1 | 2 = 2) {
  const s = await h.app.services.identity.citizenSignedIn({
    issuer: 'https://eid.test',
    subject: `sub-${createHash('sha256').update(idNumber).digest('hex').slice(0, 24)}`,
    name,
    level,
    idNumber,
  });
  return {
    cookie: `ndp_public=${s.sessionId}`,
    csrf: s.csrfToken,
    user: s.user,
    hashes: level === 2 ? await h.app.services.identity.subjectHashes(s.user) : [],
  };
}

/** A public user with an e-mail address (as a reuser has), signed in: for tests of what people are e-mailed. */
export async function signedInWithEmail(h: Harness, idNumber: string, name: string, email: string) {
  const s = await citizenSession(h, idNumber, name, 1);
  await h.db.updateTable('public_users').set({ email }).where('id', '=', s.user.userId).execute();
  return { ...s, email };
}
