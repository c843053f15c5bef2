import net from 'node:net';
import path from 'node:path';
import { IDENTITY_VARIABLES, parseIdentityConfig, type IdentityConfig } from './config-identity.js';

/** Typed configuration, parsed once from the environment. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  baseUrl: string;
  maxUploadBytes: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  sessionTtlHours: number;
  secureCookies: boolean;
  searchCacheSeconds: number;
  /** keep the published catalog's search index in memory (NDP_SEARCH_INDEX, default true); false: PostgreSQL only */
  searchIndex: boolean;
  /** hours between scheduled quality passes (link probes, suites, cards); 0: none */
  qualitySweepHours: number;
  /** whether link probes may reach private and local addresses */
  probePrivateLinks: boolean;
  /** the X-Road instance identifier of this exchange */
  exchangeInstance: string;
  /** how long a signed exchange configuration stays valid: gateways work through a registry outage this long */
  exchangeValidityHours: number;
  /** whether `ndp serve` with its demo also runs the demo exchange network */
  demoNetwork: boolean;
  /** the bearer token a Prometheus scraper sends for /metrics; unset: no /metrics */
  metricsToken: string | undefined;
  /** days a subject access record is kept (0: for good) */
  exchangeAccessRecordDays: number;
  /** past this many days the registry keeps one reported checkpoint an hour per gateway (0: every one) */
  exchangeCheckpointThinDays: number;
  /** 32 bytes that seal the exchange registry's secret keys in the database; unset: kept as they are */
  exchangeKeyEncryptionKey: Buffer | undefined;
  /** which proxies' X-Forwarded-* headers are believed (Fastify's `trustProxy`): none, or these addresses */
  trustProxy: false | string[];
  /** connections of the SQL and table APIs' own pool (PostgreSQL), and queries they run at once */
  queryPoolSize: number;
  /** queries one client (a user, else an address) may have running or waiting at once */
  queryPerClient: number;
  /** the largest answer of the SQL API, in bytes of JSON */
  queryMaxBytes: number;
  /** sign-in for citizens (e-ID), reusers (e-mail) and staff (SSO): `config-identity.ts` */
  identity: IdentityConfig;
}

export interface ConfigVariable {
  name: string;
  default: string;
  description: string;
}

/** The documented table of variables; README's table mirrors it (a test checks). */
export const CONFIG_VARIABLES: ConfigVariable[] = [
  { name: 'PORT', default: '3000', description: 'TCP port of the HTTP server' },
  { name: 'HOST', default: '0.0.0.0', description: 'Interface the HTTP server binds to' },
  {
    name: 'NDP_DATA_DIR',
    default: './.ndp-data',
    description: 'Directory for the embedded database and uploaded files',
  },
  { name: 'DATABASE_URL', default: '(unset: embedded PGlite)', description: 'postgres:// URL of a PostgreSQL server' },
  {
    name: 'NDP_BASE_URL',
    default: 'http://localhost:$PORT',
    description: 'Public URL of the platform, used in links and DCAT identifiers',
  },
  { name: 'NDP_MAX_UPLOAD_BYTES', default: '1073741824', description: 'Largest accepted upload, in bytes (1 GiB)' },
  {
    name: 'NDP_LOG_LEVEL',
    default: 'info',
    description: 'pino log level (fatal, error, warn, info, debug, trace, silent)',
  },
  { name: 'NDP_SESSION_TTL_HOURS', default: '12', description: 'Lifetime of a sign-in session' },
  {
    name: 'NDP_SEARCH_CACHE_SECONDS',
    default: '60',
    description:
      'How long a public search page may be served from memory (0: never); changes made by this process clear it at once',
  },
  {
    name: 'NDP_QUALITY_SWEEP_HOURS',
    default: '24',
    description: 'Hours between scheduled quality passes: link probes, every kept check suite, quality cards (0: none)',
  },
  {
    name: 'NDP_PROBE_PRIVATE_LINKS',
    default: 'false',
    description:
      'Let availability probes reach private and local addresses (a closed network); public addresses only otherwise',
  },
  {
    name: 'NDP_EXCHANGE_INSTANCE',
    default: 'VN',
    description: 'X-Road instance identifier of the exchange (first part of every service id)',
  },
  {
    name: 'NDP_EXCHANGE_CONFIG_VALIDITY_HOURS',
    default: '72',
    description:
      'Validity of each signed exchange configuration: gateways keep working through a registry outage this long',
  },
  {
    name: 'NDP_EXCHANGE_ACCESS_RECORD_DAYS',
    default: '1826',
    description:
      "Days the registry keeps each subject access record (who read a person's data); older ones are deleted once a day (0: kept for good)",
  },
  {
    name: 'NDP_EXCHANGE_CHECKPOINT_THIN_DAYS',
    default: '30',
    description:
      'Past this many days the registry keeps one of the signed log checkpoints a gateway reports (every 10 s) per hour, the latest (0: every one)',
  },
  {
    name: 'NDP_DEMO_NETWORK',
    default: 'true',
    description:
      'With the demo data, also start the demo exchange network (two gateways, a citizens service) on loopback ports',
  },
  {
    name: 'NDP_METRICS_TOKEN',
    default: '(unset: no /metrics)',
    description: 'Bearer token a Prometheus scraper sends to read /metrics (at least 16 characters)',
  },
  {
    name: 'NDP_EXCHANGE_KEY_ENCRYPTION_KEY',
    default: '(unset: kept as they are)',
    description:
      "Base64 of 32 random bytes (`openssl rand -base64 32`) that seal the exchange registry's secret keys (configuration key, CA key, person-hash key) in the database",
  },
  {
    name: 'NDP_TRUST_PROXY',
    default: '(unset: none)',
    description:
      'Reverse proxies whose X-Forwarded-For / -Proto / -Host are believed: a comma-separated list of addresses and CIDRs (or `loopback`, `linklocal`, `uniquelocal`); hop counts are refused (they cannot tell a proxy from a client forging the header). Unset, the connecting address is the client (sign-in throttle, per-client limits)',
  },
  {
    name: 'NDP_QUERY_POOL_SIZE',
    default: '4',
    description:
      "Queries the SQL and table APIs run at once; on PostgreSQL also the size of their own connection pool, apart from the server's (PGlite has one connection: they queue for it)",
  },
  {
    name: 'NDP_QUERY_PER_CLIENT',
    default: '2',
    description:
      'Queries one client (a signed-in user, else an address) may have running or waiting in the SQL and table APIs; more answer 429 TOO_MANY_REQUESTS',
  },
  {
    name: 'NDP_QUERY_MAX_BYTES',
    default: '16777216',
    description:
      'Largest answer of the SQL API (datastore_search_sql), in bytes of JSON (16 MiB); a larger one is stopped and refused with RESULT_TOO_LARGE',
  },
  {
    name: 'NDP_SECURE_COOKIES',
    default: 'true when NDP_BASE_URL is https',
    description: 'Set the Secure flag on cookies',
  },
  ...IDENTITY_VARIABLES,
];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Parses every variable and reports all bad ones at once, so an operator fixes them in one go. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}=${JSON.stringify(raw)} must be an integer between ${min} and ${max}`);
      return fallback;
    }
    return n;
  };
  const port = int('PORT', 3000, 0, 65535);
  const maxUploadBytes = int('NDP_MAX_UPLOAD_BYTES', 1024 ** 3, 1, Number.MAX_SAFE_INTEGER);
  const sessionTtlHours = int('NDP_SESSION_TTL_HOURS', 12, 1, 24 * 90);
  const searchCacheSeconds = int('NDP_SEARCH_CACHE_SECONDS', 60, 0, 3600);
  const searchIndexRaw = env.NDP_SEARCH_INDEX ?? 'true';
  if (searchIndexRaw !== 'true' && searchIndexRaw !== 'false') problems.push('NDP_SEARCH_INDEX must be true or false');
  const qualitySweepHours = int('NDP_QUALITY_SWEEP_HOURS', 24, 0, 24 * 365);
  const probeRaw = env.NDP_PROBE_PRIVATE_LINKS ?? 'false';
  if (probeRaw !== 'true' && probeRaw !== 'false') problems.push('NDP_PROBE_PRIVATE_LINKS must be true or false');

  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }

  let baseUrl = env.NDP_BASE_URL || `http://localhost:${port}`;
  try {
    const u = new URL(baseUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
    baseUrl = baseUrl.replace(/\/+$/, '');
  } catch {
    problems.push(`NDP_BASE_URL=${JSON.stringify(baseUrl)} must be an http(s) URL`);
  }

  const logLevel = (env.NDP_LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`NDP_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }

  let secureCookies = baseUrl.startsWith('https:');
  const secureRaw = env.NDP_SECURE_COOKIES;
  if (secureRaw !== undefined && secureRaw !== '') {
    if (secureRaw === 'true' || secureRaw === '1') secureCookies = true;
    else if (secureRaw === 'false' || secureRaw === '0') secureCookies = false;
    else problems.push('NDP_SECURE_COOKIES must be true or false');
  }

  const exchangeValidityHours = int('NDP_EXCHANGE_CONFIG_VALIDITY_HOURS', 72, 1, 24 * 365);
  const exchangeInstance = env.NDP_EXCHANGE_INSTANCE || 'VN';
  if (!/^[A-Za-z0-9-]{1,32}$/.test(exchangeInstance))
    problems.push('NDP_EXCHANGE_INSTANCE must be 1–32 letters, digits or dashes');
  const exchangeAccessRecordDays = int('NDP_EXCHANGE_ACCESS_RECORD_DAYS', 1826, 0, 36_500);
  const exchangeCheckpointThinDays = int('NDP_EXCHANGE_CHECKPOINT_THIN_DAYS', 30, 0, 36_500);
  const demoRaw = env.NDP_DEMO_NETWORK ?? 'true';
  if (demoRaw !== 'true' && demoRaw !== 'false') problems.push('NDP_DEMO_NETWORK must be true or false');

  const metricsToken = env.NDP_METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && metricsToken.length < 16)
    problems.push('NDP_METRICS_TOKEN must be at least 16 characters');

  const kekRaw = env.NDP_EXCHANGE_KEY_ENCRYPTION_KEY || undefined;
  const exchangeKeyEncryptionKey = kekRaw === undefined ? undefined : Buffer.from(kekRaw, 'base64');
  if (
    exchangeKeyEncryptionKey &&
    (exchangeKeyEncryptionKey.length !== 32 || exchangeKeyEncryptionKey.toString('base64') !== kekRaw)
  )
    problems.push('NDP_EXCHANGE_KEY_ENCRYPTION_KEY must be the base64 of 32 bytes (openssl rand -base64 32)');

  const trustProxy = parseTrustProxy(env.NDP_TRUST_PROXY, problems);
  const queryPoolSize = int('NDP_QUERY_POOL_SIZE', 4, 1, 100);
  const queryPerClient = int('NDP_QUERY_PER_CLIENT', 2, 1, 100);
  const queryMaxBytes = int('NDP_QUERY_MAX_BYTES', 16 * 1024 * 1024, 1024, 1024 ** 3);

  const identity = parseIdentityConfig(env, { port, baseUrl, int }, problems);

  if (problems.length) throw new ConfigError(problems);
  return {
    port,
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(env.NDP_DATA_DIR || './.ndp-data'),
    databaseUrl,
    baseUrl,
    maxUploadBytes,
    logLevel,
    sessionTtlHours,
    secureCookies,
    searchCacheSeconds,
    searchIndex: searchIndexRaw === 'true',
    qualitySweepHours,
    probePrivateLinks: probeRaw === 'true',
    exchangeInstance,
    exchangeValidityHours,
    exchangeAccessRecordDays,
    exchangeCheckpointThinDays,
    demoNetwork: demoRaw === 'true',
    metricsToken,
    exchangeKeyEncryptionKey,
    trustProxy,
    queryPoolSize,
    queryPerClient,
    queryMaxBytes,
    identity,
  };
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Off unless configured: a client's own X-Forwarded-For would otherwise become its address, and with it escape
 * every limit keyed by address. `true` (trust any sender) and hop counts are refused for the same reason: only a
 * named proxy's word is taken (Fastify itself now ignores hop counts for this reason).
 */
function parseTrustProxy(raw: string | undefined, problems: string[]): false | string[] {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  const list = raw.split(',').map((s) => s.trim());
  const valid = (entry: string) => {
    if (PROXY_NAMES.has(entry)) return true;
    const [address, bits, ...rest] = entry.split('/');
    const family = net.isIP(address ?? '');
    if (!family || rest.length) return false;
    if (bits === undefined) return true;
    return /^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
  };
  if (list.every(valid)) return list;
  problems.push(
    `NDP_TRUST_PROXY=${JSON.stringify(raw)} must be a comma-separated list of proxy addresses or CIDRs (e.g. 10.0.0.1,10.1.0.0/16); a hop count is not accepted, since it cannot tell a proxy from a client that forges the header`,
  );
  return false;
}
