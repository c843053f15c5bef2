import { sql, type Kysely } from 'kysely';

/**
 * What every repository of the registry's tables shares: the configuration's version (one sequence), which every
 * change to what a gateway's configuration holds bumps, in the change's own transaction.
 */
export abstract class RegistryTables {
  constructor(protected readonly db: Kysely<any>) {}

  async version(db: Kysely<any> = this.db): Promise<number> {
    const r = await sql<{
      last_value: string;
      is_called: boolean;
    }>`select last_value, is_called from exchange_config_version`.execute(db);
    return r.rows[0]!.is_called ? Number(r.rows[0]!.last_value) : 0;
  }
  async bumpVersion(trx: Kysely<any>): Promise<void> {
    await sql`select nextval('exchange_config_version')`.execute(trx);
  }
  /** `work` in one transaction that also bumps the configuration's version. */
  change<T>(work: (trx: Kysely<any>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      const out = await work(trx);
      await this.bumpVersion(trx);
      return out;
    });
  }
}
