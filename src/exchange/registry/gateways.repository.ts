import { sql, type Kysely } from 'kysely';
import { RegistryTables } from './registry-tables.js';
import type { GatewayRow } from './registry.rows.js';

/** Agencies' gateways, the signed calls they made (against replays), and the checkpoints they report. */
export class GatewaysRepository extends RegistryTables {
  private gateways(db: Kysely<any> = this.db) {
    return db
      .selectFrom('exchange_gateways as g')
      .innerJoin('agencies as a', 'a.id', 'g.agency_id')
      .select([
        'g.id',
        'g.agency_id',
        'g.address',
        'g.signing_key',
        'g.tls_public_key',
        'g.certificate',
        'g.created_at',
        'g.revoked_at',
        'g.last_seen_at',
        'g.last_report',
        'a.code as member_code',
        'a.name_vi as agency_name',
      ]);
  }
  activeGateways(agencyId?: string) {
    let q = this.gateways().where('g.revoked_at', 'is', null);
    if (agencyId) q = q.where('g.agency_id', '=', agencyId);
    return q.orderBy('a.code').execute() as Promise<GatewayRow[]>;
  }
  gateway(id: string) {
    return this.gateways().where('g.id', '=', id).executeTakeFirst() as Promise<GatewayRow | undefined>;
  }
  /** The gateway registered with this signing key, revoked or not. */
  bySigningKey(signingKey: string) {
    return this.db
      .selectFrom('exchange_gateways')
      .select(['id', 'agency_id', 'revoked_at', 'tls_public_key'])
      .where('signing_key', '=', signingKey)
      .executeTakeFirst() as Promise<
      { id: string; agency_id: string; revoked_at: Date | null; tls_public_key: string } | undefined
    >;
  }
  async moveGateway(trx: Kysely<any>, id: string, address: string, certificate: string): Promise<void> {
    await trx.updateTable('exchange_gateways').set({ address, certificate }).where('id', '=', id).execute();
  }
  async revokeGateways(trx: Kysely<any>, agencyId: string): Promise<void> {
    await trx
      .updateTable('exchange_gateways')
      .set({ revoked_at: new Date() })
      .where('agency_id', '=', agencyId)
      .where('revoked_at', 'is', null)
      .execute();
  }
  async insertGateway(
    trx: Kysely<any>,
    row: {
      id: string;
      agency_id: string;
      address: string;
      signing_key: string;
      tls_public_key: string;
      certificate: string;
    },
  ): Promise<void> {
    await trx.insertInto('exchange_gateways').values(row).execute();
  }
  async seenGateway(id: string): Promise<void> {
    await this.db.updateTable('exchange_gateways').set({ last_seen_at: new Date() }).where('id', '=', id).execute();
  }
  async touchGateway(id: string, report: unknown): Promise<void> {
    await this.db
      .updateTable('exchange_gateways')
      .set({ last_seen_at: new Date(), last_report: JSON.stringify(report) })
      .where('id', '=', id)
      .execute();
  }
  async configFetched(gatewayId: string, version: number): Promise<void> {
    await this.db
      .updateTable('exchange_gateways')
      .set({ config_version_fetched: version })
      .where('id', '=', gatewayId)
      .execute();
  }
  /** Takes a signed call once: false if it was taken before (by this process or another). */
  async takeCall(gatewayId: string, signature: string): Promise<boolean> {
    const rows = await sql<{
      taken: number;
    }>`insert into exchange_seen_calls (gateway_id, signature) values (${gatewayId}::uuid, ${signature})
      on conflict (gateway_id, signature) do nothing returning 1 as taken`.execute(this.db);
    return rows.rows.length === 1;
  }
  async forgetCallsBefore(at: Date): Promise<void> {
    await this.db.deleteFrom('exchange_seen_calls').where('seen_at', '<', at).execute();
  }
  async insertCheckpoint(gatewayId: string, size: number, note: string): Promise<void> {
    await this.db
      .insertInto('exchange_checkpoints')
      .values({ gateway_id: gatewayId, size, note })
      .onConflict((oc) => oc.columns(['gateway_id', 'size']).doNothing())
      .execute();
  }
  checkpoints(gatewayId: string, limit: number) {
    return this.db
      .selectFrom('exchange_checkpoints')
      .select(['size', 'note', 'received_at'])
      .where('gateway_id', '=', gatewayId)
      .orderBy('size', 'desc')
      .limit(limit)
      .execute();
  }
}
