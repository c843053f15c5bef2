import { loadConfig } from '../src/platform/config.js';
import { migrate } from '../src/platform/migrate.js';
import { createLogger } from '../src/platform/logger.js';
import { MIGRATIONS } from '../src/migrations/index.js';
import { seedMasterData } from '../src/masterdata/seed.js';
import { buildApp, type App } from '../src/app.js';
import type { TestDriver } from './drivers.js';
import type { Role } from '../src/accounts/principal.js';
import type { Kysely } from 'kysely';
import type { Database } from '../src/platform/database.js';
import type { InjectOptions, LightMyRequestResponse as LightResponse } from 'fastify';

export const BASE = 'http://ndp.test';
/** The password of every user `tokenFor` creates. */
export const PASSWORD = 'correct horse battery';

export interface Harness {
  app: App;
  db: Kysely<any>;
  database: Database;
  inject(o: InjectOptions): Promise<LightResponse>;
  dataDir: string;
  driver: string;
  close(): Promise<void>;
  /** Creates a user with a role in an agency and returns an API token for it. */
  tokenFor(
    agencyKey: string,
    role: Role,
    email?: string,
  ): Promise<{ token: string; agencyId: string; userId: string; email: string }>;
  /** Signs in and returns the cookie header and CSRF token. */
  signIn(email: string, password: string): Promise<{ cookie: string; csrf: string }>;
  agencyId(key: string): Promise<string>;
}

let counter = 0;

export async function startHarness(driver: TestDriver, env: Record<string, string> = {}): Promise<Harness> {
  const { database, dataDir, cleanup } = await driver.open();
  await migrate(database.db, MIGRATIONS);
  await seedMasterData(database.db);
  const config = loadConfig({ NDP_DATA_DIR: dataDir, NDP_BASE_URL: BASE, NDP_LOG_LEVEL: 'silent', ...env });
  const app = await buildApp(config, database, createLogger(config));
  await app.server.ready();
  const h: Harness = {
    app,
    db: database.db,
    database,
    inject: (o) => app.server.inject(o),
    dataDir,
    driver: driver.name,
    async close() {
      await app.jobs.stop();
      await app.server.close();
      await cleanup();
    },
    async agencyId(key) {
      return (await app.services.masterData.agency(key)).id;
    },
    async signIn(email, password) {
      const res = await app.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
      if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`);
      const cookie = String(res.headers['set-cookie']).split(';')[0]!;
      return { cookie, csrf: res.json().csrf_token };
    },
    async tokenFor(agencyKey, role, email) {
      const agencyId = await h.agencyId(agencyKey);
      const mail = email ?? `user${++counter}-${role}@${agencyKey}.gov.vn`;
      const { accounts } = app.services;
      const user = await accounts.bootstrapUser({
        email: mail,
        name: `Test ${role}`,
        password: PASSWORD,
        platformAdmin: false,
      });
      const admin = await accounts.principalFor(mail);
      admin.isPlatformAdmin = true; // only to grant the first membership in a test
      await accounts.setMembership(admin, user.id, agencyId, role);
      const p = await accounts.principalFor(mail);
      const { secret } = await accounts.createToken(p, { agencyId, name: 'test', role, expiresInDays: 30 });
      return { token: secret, agencyId, userId: user.id, email: mail };
    },
  };
  return h;
}

/** A multipart/form-data body with text fields followed by one file. */
export function multipart(
  fields: Record<string, string>,
  file: { name: string; content: Buffer | string; type?: string },
) {
  const boundary = `----ndp${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
    ),
  );
  parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
  parts.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
