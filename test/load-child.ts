// Loads a file into a distribution's table, printing progress; the kill test stops it half-way.
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../src/platform/database.js';
import { loadTable } from '../src/datastore/load/loader.js';

const [target, distributionId, file] = process.argv.slice(2) as [string, string, string];
const database = await openDatabase(
  target.startsWith('postgres') ? { url: target } : { dataDir: path.join(target, 'pg') },
);
await loadTable(
  database,
  distributionId,
  () => fs.createReadStream(file),
  null,
  (rows) => process.stdout.write(`progress ${rows}\n`),
);
process.stdout.write('done\n');
await database.close();
