import type { Config } from './config.js';
import { openDatabase, type Database } from './database.js';
import { migrate } from './migrate.js';
import type { Migration } from './migrate.js';
import path from 'node:path';

/** Opens the configured database (PostgreSQL if DATABASE_URL, else PGlite under the data dir) and migrates it. */
export async function openMigrated(
  config: Config,
  migrations: Migration[],
): Promise<{ database: Database; applied: string[] }> {
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: path.join(config.dataDir, 'pg'),
    queryPoolSize: config.queryPoolSize,
  });
  try {
    const applied = await migrate(database.db, migrations);
    return { database, applied };
  } catch (err) {
    await database.close();
    throw err;
  }
}
