import { sql } from 'kysely';
import type { Config } from '../platform/config.js';
import type { Database } from '../platform/database.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { openMigrated } from '../platform/runtime.js';
import { MIGRATIONS } from '../migrations/index.js';
import { seedMasterData } from '../masterdata/seed.js';

export async function migrateCommand(config: Config): Promise<void> {
  const { database, applied } = await openMigrated(config, MIGRATIONS);
  process.stdout.write(applied.length ? `Applied ${applied.join(', ')}\n` : 'Database is up to date.\n');
  await database.close();
}

async function runSeed(database: Database, logger: Logger): Promise<void> {
  const t = Date.now();
  process.stderr.write('Seeding master data (agencies, 3,321 communes, 2025 crosswalk)…\n');
  const counts = await seedMasterData(database.db);
  logger.info({ ...counts, ms: Date.now() - t }, 'master data loaded');
}

export async function seedIfEmpty(database: Database, logger: Logger): Promise<void> {
  const r = await sql<{ n: number }>`select count(*)::int as n from admin_units`.execute(database.db);
  if (r.rows[0]!.n === 0) await runSeed(database, logger);
}

export async function seedCommand(config: Config): Promise<void> {
  const { database } = await openMigrated(config, MIGRATIONS);
  await runSeed(database, createLogger(config));
  await database.close();
}

/** What every console command opens: the migrated database, with master data loaded on first use. */
export async function openForCommand(config: Config): Promise<Database> {
  const { database } = await openMigrated(config, MIGRATIONS);
  try {
    await seedIfEmpty(database, createLogger({ logLevel: 'warn' }));
    return database;
  } catch (err) {
    await database.close();
    throw err;
  }
}
