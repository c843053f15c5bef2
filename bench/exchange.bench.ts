// npm run bench -- exchange: a provider service behind (a) nothing, (b) two bare reverse proxies, (c) the consumer's and the
// provider's gateways with mutual TLS, signatures, grants, quotas and the evidence log — at 8 and 32 clients, then at a
// fixed rate below saturation (the latency each adds); then the evidence log's sustained append rate with checkpoints.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'undici';
import { sql } from 'kysely';
import { openTarget, PG_ADMIN } from './targets.js';
import { freeLoopbackPort as freePort } from '../src/platform/ports.js';
import { loadFor, loadAtRate, fmt, type LoadResult } from './load.js';
import { migrate } from '../src/platform/migrate.js';
import { MIGRATIONS } from '../src/migrations/index.js';
import { seedMasterData } from '../src/masterdata/seed.js';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { buildApp } from '../src/app.js';
import { demoSystemUser } from '../src/cli/demo.js';
import { subjectHash } from '../src/exchange/registry/registry.service.js';
import { CITIZENS_OPENAPI, generatePeople } from '../src/cli/demo-citizens.js';
import { gatewayKeys } from '../src/exchange/protocol/pki.js';
import { EvidenceLog, LOG_FILES } from '../src/exchange/evidence/evidence-log.js';

const PEOPLE = 100_000;
const tsx = ['--import', 'tsx'];
const here = path.dirname(new URL(import.meta.url).pathname);
const children: ChildProcess[] = [];
const named = new Map<string, number>();
/** CPU seconds a process has used (user + system), from /proc: what each hop costs, whatever the others do. */
function cpuSeconds(pid: number): number {
  try {
    const stat = (require('node:fs') as typeof import('node:fs')).readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Context switches of a process so far, all its threads (voluntary: it slept and was woken): the wake-ups a hop costs. */
function switches(pid: number): number {
  const fs = require('node:fs') as typeof import('node:fs');
  let total = 0;
  try {
    for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
      const st = fs.readFileSync(`/proc/${pid}/task/${t}/status`, 'utf8');
      total += Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(st)?.[1] ?? 0);
    }
  } catch {
    return NaN;
  }
  return total;
}

/**
 * CPU seconds of every PostgreSQL process so far (the server's backends come and go: each counted while it lives,
 * plus what the exited ones left in their parent's cumulative times): what the service's reads and the registry's
 * writes cost the database.
 */
function postgresSeconds(): number {
  const fs = require('node:fs') as typeof import('node:fs');
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
    } catch {
      /* gone meanwhile */
    }
  }
  return total;
}

/** The machine's busy and total CPU ticks so far, from /proc/stat: whether a run had the cores to itself or waited on something else. */
function machineTicks(): { busy: number; total: number } {
  const line = (require('node:fs') as typeof import('node:fs'))
    .readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const idle = line[3]! + line[4]!;
  const total = line.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

function child(args: string[], name?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(p);
    if (name) named.set(name, p.pid!);
    let out = '';
    let err = '';
    p.stderr!.on('data', (d) => {
      err += d;
    });
    p.stdout!.on('data', (d) => {
      // NDP_BENCH_CHILD_OUT=/tmp/x: each named child's stdout also to /tmp/x-<name>.log (e.g. with --trace-gc-nvp in NDP_BENCH_GATEWAY_NODE_ARGS)
      if (process.env.NDP_BENCH_CHILD_OUT && name)
        (require('node:fs') as typeof import('node:fs')).appendFileSync(
          `${process.env.NDP_BENCH_CHILD_OUT}-${name.replace(/ /g, '_')}.log`,
          d,
        );
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{"ready"'));
      // a gateway names its own process (bin/ndp.js starts it again with its heap settings): its CPU is the hop's
      if (line) {
        const r = JSON.parse(line);
        if (name && r.pid) named.set(name, r.pid);
        resolve(r.port ?? r.consumerPort);
      }
    });
    p.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${err}`)));
  });
}

const target = await openTarget('postgres', 'exchange');
const { database } = target;
process.stderr.write(`… loading ${PEOPLE.toLocaleString('en')} people into PostgreSQL\n`);
await migrate(database.db, MIGRATIONS);
await seedMasterData(database.db);
await sql`create table bench_people (id text primary key, doc jsonb not null)`.execute(database.db);
const people = [
  ...generatePeople(PEOPLE, [
    { code: '00004', name: 'Phường Ba Đình', province: '01' },
    { code: '26734', name: 'Phường Sài Gòn', province: '79' },
  ]).values(),
];
for (let i = 0; i < people.length; i += 5000) {
  const batch = people.slice(i, i + 5000);
  await sql`insert into bench_people select x->>'id', x from jsonb_array_elements(${JSON.stringify(batch)}::jsonb) x`.execute(
    database.db,
  );
}
await sql`analyze bench_people`.execute(database.db);
const ids = people.map((p) => p.id);
people.length = 0; // the load generator keeps only the ids: its own pauses would count as everyone's latency
const dbUrlObj = new URL(PG_ADMIN);
dbUrlObj.pathname = '/ndp_bench_exchange';
const dbUrl = dbUrlObj.toString();

// the registry (this process) and the network
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ndp-bench-x-'));
const config = loadConfig({ NDP_DATA_DIR: dataDir, NDP_LOG_LEVEL: 'silent', PORT: '0' });
// the registry is set up here, then served by its own `ndp serve` process: the load generator's event loop must not
// also ingest the gateways' reports (its pauses would show as everyone's latency), and its CPU is counted like a hop's
const app = await buildApp(config, database, createLogger(config));
const registryPort = await freePort();
const registryUrl = `http://127.0.0.1:${registryPort}`;
const servicePort = await child([...tsx, path.join(here, 'exchange/service.ts'), '0', dbUrl]);
const serviceUrl = `http://127.0.0.1:${servicePort}`;
const proxyB = await child([...tsx, path.join(here, 'exchange/proxy.ts'), '0', serviceUrl], 'proxy B');
const proxyA = await child(
  [
    ...tsx,
    path.join(here, 'exchange/proxy.ts'),
    '0',
    `http://127.0.0.1:${proxyB}`,
    '/r1/VN/GOV/000.00.00.G01/CSDLQGDC/citizens',
  ],
  'proxy A',
);

const { registry } = app.services;
const system = await demoSystemUser(app, database);
const prov = await registry.createSubsystem(system, { agency: '000.00.00.G01', code: 'CSDLQGDC', name: 'Dân cư' });
const cons = await registry.createSubsystem(system, { agency: '000.00.00.H01', code: 'DVC', name: 'Dịch vụ công' });
const service = await registry.createService(system, {
  subsystem: prov.id,
  code: 'citizens',
  title: 'Tra cứu',
  baseUrl: serviceUrl,
  openapi: CITIZENS_OPENAPI,
});
await registry.createGrant(system, {
  client: cons.id,
  service: service.id,
  endpoints: [{ method: 'GET', path: '/citizens/*' }],
  purposes: ['verify-residence'],
  legalBasis: 'Luật Cư trú 2020',
  ratePerSecond: 100_000,
  dailyQuota: 100_000_000,
});
// the same service under a grant whose basis is the person's consent: each call carries the artefact, the provider
// gateway checks it (signature once per artefact, then the person, recipient, service, purpose, validity, withdrawals)
await registry.createGrant(system, {
  client: cons.id,
  service: service.id,
  endpoints: [{ method: 'GET', path: '/citizens/*' }],
  purposes: ['apply-scholarship'],
  legalBasis: 'Luật Bảo vệ dữ liệu cá nhân 2025, Điều 9',
  basis: 'consent',
  ratePerSecond: 100_000,
  dailyQuota: 100_000_000,
});
const consent = await app.services.consents.request(system, {
  subject: 'VN001090000001',
  recipient: cons.id,
  services: [{ service: service.id }],
  purpose: 'apply-scholarship',
  validUntil: new Date(Date.now() + 86_400_000).toISOString(),
  retentionDays: 30,
});
{
  const a = await registry.authority();
  await app.services.consents.decide([subjectHash(a.subjectKey, 'VN001090000001')], consent.id, 'approve');
}
const consentArtefact = (await app.services.consents.forRecipient(system, consent.id)).artefact!;
const apiKey = (await registry.createClientKey(system, cons.id, { label: 'bench' })).key;
const startGw = async (agency: string, name: string) => {
  const dir = path.join(dataDir, name);
  const keys = await gatewayKeys(path.join(dir, 'keys'));
  const peer = await freePort();
  const g = await registry.registerGateway(system, {
    agency,
    address: `https://127.0.0.1:${peer}`,
    signingKey: keys.signingPublic,
    tlsPublicKey: keys.tlsPublicPem,
  });
  return { dir, id: g.id, peer };
};
const pg = await startGw('000.00.00.G01', 'provider');
const cg = await startGw('000.00.00.H01', 'consumer');
const anchorFile = path.join(dataDir, 'anchor.json');
(await import('node:fs')).writeFileSync(anchorFile, JSON.stringify({ ...(await registry.anchor()), registryUrl }));
await app.server.close();
const registryProcess = spawn(
  process.execPath,
  [
    ...(process.env.NDP_BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.NDP_BENCH_PROFILE_DIR}`] : []),
    path.join(here, '../bin/ndp.js'),
    'serve',
    '--no-seed',
    '--no-demo',
  ],
  {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      PORT: String(registryPort),
      HOST: '127.0.0.1',
      DATABASE_URL: dbUrl,
      NDP_DATA_DIR: path.join(dataDir, 'registry'),
      NDP_LOG_LEVEL: 'warn',
      NDP_QUALITY_SWEEP_HOURS: '0',
      NDP_DEMO_NETWORK: 'false',
    },
  },
);
children.push(registryProcess);
named.set('registry', registryProcess.pid!);
for (let i = 0; ; i++) {
  const up = await fetch(`${registryUrl}/api/v1/exchange/anchor`).then(
    (r) => r.ok,
    () => false,
  );
  if (up) break;
  if (i > 300 || registryProcess.exitCode !== null) throw new Error('the registry (ndp serve) did not start');
  await new Promise((r) => setTimeout(r, 100));
}
// NDP_BENCH_PROFILE_DIR: the gateways write CPU profiles there (for finding where their time goes); NDP_BENCH_GATEWAY_NODE_ARGS: more node flags for them (e.g. --perf-basic-prof for perf)
const profile = [
  ...(process.env.NDP_BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.NDP_BENCH_PROFILE_DIR}`] : []),
  ...(process.env.NDP_BENCH_GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean),
];
const gwArgs = (g: { dir: string; id: string; peer: number }) => [
  ...profile,
  path.join(here, '../bin/ndp.js'),
  'gateway',
  'run',
  '--dir',
  g.dir,
  '--anchor',
  anchorFile,
  '--id',
  g.id,
  '--listen',
  '127.0.0.1:0',
  '--peer-listen',
  `127.0.0.1:${g.peer}`,
];
const providerAdmin = await child(gwArgs(pg), 'provider gateway');
const consumerPort = await child(gwArgs(cg), 'consumer gateway');

// a process that only wakes every 2 ms and notes how late: how long the machine itself keeps a runnable process waiting
const probe = spawn(process.execPath, [...tsx, path.join(here, 'exchange/probe.ts')], {
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
children.push(probe);
interface Stalls {
  p99: number;
  max: number;
  over10: number;
  wakeups: number;
}
const stallsSince = (): Promise<Stalls> =>
  new Promise((resolve) => {
    probe.once('message', (m) => resolve(m as Stalls));
    probe.send('stop');
  });
const fmtStalls = (s: Stalls) =>
  `an idle process's wake-ups late by p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(0)} ms, ${s.over10} over 10 ms`;

const SERVICE_PATH = '/r1/VN/GOV/000.00.00.G01/CSDLQGDC/citizens';
// every path gets the same request: what the gateways need is sent to the others too (and passed on by the proxies)
const callHeaders: Record<string, string> = {
  'x-road-client': 'VN/GOV/000.00.00.H01/DVC',
  'x-ndp-api-key': apiKey,
  'x-ndp-purpose': 'verify-residence',
  'x-road-userid': 'VN001090000001',
};
// NDP_BENCH_USER=off: calls without X-Road-UserId, so without subject access records (what they cost)
if (process.env.NDP_BENCH_USER === 'off') delete callHeaders['x-road-userid'];
const scenarios = {
  direct: { origin: serviceUrl, path: (id: string) => `/citizens/${id}`, headers: callHeaders },
  proxies: {
    origin: `http://127.0.0.1:${proxyA}`,
    path: (id: string) => `${SERVICE_PATH}/citizens/${id}`,
    headers: callHeaders,
  },
  gateways: {
    origin: `http://127.0.0.1:${consumerPort}`,
    path: (id: string) => `${SERVICE_PATH}/citizens/${id}`,
    headers: callHeaders,
  },
  // issue 19: the same calls under the consent-based grant (target: at least 90% of the plain grant's throughput)
  'gw-consent': {
    origin: `http://127.0.0.1:${consumerPort}`,
    path: (id: string) => `${SERVICE_PATH}/citizens/${id}`,
    headers: { ...callHeaders, 'x-ndp-purpose': 'apply-scholarship', 'x-ndp-consent': consentArtefact },
  },
} as const;

/** A gateway's signature counters, from its /metrics. */
async function signing(port: number): Promise<number[]> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return ['signatures_total', 'signed_messages_total', 'signature_checks_total', 'verified_messages_total'].map((n) =>
    Number(new RegExp(`ndp_gateway_${n} (\\d+)`).exec(text)?.[1] ?? 0),
  );
}
// NDP_BENCH_WARMUP and NDP_BENCH_SECONDS: how long each path is warmed and then measured, per number of clients.
// NDP_BENCH_ROUNDS: the paths take turns, in a rotating order, this many times, and each path's figure is its median
// round: this machine's speed drifts by tens of per cent within a minute, and paths measured one after the other once
// compared one moment of the machine with another (the bare proxies ranged 1,800–3,100 req/s between runs).
const warmup = Number(process.env.NDP_BENCH_WARMUP ?? 5);
const measureSeconds = Number(process.env.NDP_BENCH_SECONDS ?? 8);
const rounds = Math.max(1, Number(process.env.NDP_BENCH_ROUNDS ?? 3));
const results: Record<string, Record<number, LoadResult>> = {};
const roundsOf: Record<number, Record<string, LoadResult[]>> = {};
const cpuOf: Record<number, Record<'consent' | 'plain', { rps: number; cpu: number }[]>> = {};
const paths = Object.entries(scenarios).filter(
  ([n]) => !process.env.NDP_BENCH_ONLY || n === process.env.NDP_BENCH_ONLY,
);
for (const clients of [8, 32]) {
  const byRound: Record<string, { r: LoadResult; line: string; gatewayCpuUs: number }[]> = {};
  for (let round = 0; round < rounds; round++) {
    for (const [name, s] of paths.map((_, i) => paths[(i + round) % paths.length]!)) {
      const pool = new Pool(s.origin, { connections: clients, pipelining: 1 });
      // NDP_BENCH_TIMELINE=file: each call's end (epoch ms) and latency, per path and round (where a tail comes from)
      const timeline: number[] = [];
      const one = async (i: number) => {
        const t0 = performance.now();
        const r = await pool.request({
          method: 'GET',
          path: s.path(ids[(i * 7919) % ids.length]!),
          headers: s.headers,
        });
        const body = await r.body.text();
        if (r.statusCode !== 200) throw new Error(`${name}: ${r.statusCode} ${body.slice(0, 200)}`);
        if (process.env.NDP_BENCH_TIMELINE)
          timeline.push(performance.timeOrigin + performance.now(), performance.now() - t0);
      };
      // warm-up: connections, JIT, caches — seconds, not a count: a count that warmed a slow path left a fast one cold,
      // and 1,000 calls measured every hop up to twice as costly as it is in steady state; later rounds only reconnect
      await loadFor(clients, round === 0 ? warmup : Math.min(warmup, 2), one);
      const hops = [...named.entries()].filter(([n]) =>
        name === 'proxies'
          ? n.startsWith('proxy')
          : name === 'gateways' || name === 'gw-consent'
            ? n.endsWith('gateway') || n === 'registry'
            : false,
      );
      const before = hops.map(([, pid]) => cpuSeconds(pid));
      const switchesBefore = hops.map(([, pid]) => switches(pid));
      const pgBefore = postgresSeconds();
      const machineBefore = machineTicks();
      const signingBefore = name === 'gateways' ? await Promise.all([providerAdmin, consumerPort].map(signing)) : [];
      timeline.length = 0;
      probe.send('start');
      const r = await loadFor(clients, measureSeconds, one);
      const stalls = await stallsSince();
      if (process.env.NDP_BENCH_TIMELINE)
        (require('node:fs') as typeof import('node:fs')).appendFileSync(
          process.env.NDP_BENCH_TIMELINE,
          `${JSON.stringify({ name, clients, round, timeline })}\n`,
        );
      const cpu = [
        ...hops.map(
          ([n, pid], i) =>
            `${n} ${(((cpuSeconds(pid) - before[i]!) / r.requests) * 1e6).toFixed(0)} µs (${((switches(pid) - switchesBefore[i]!) / r.requests).toFixed(2)} wake-ups)`,
        ),
        `PostgreSQL ${(((postgresSeconds() - pgBefore) / r.requests) * 1e6).toFixed(0)} µs`,
      ];
      const machineAfter = machineTicks();
      // messages per signature made and per signature checked, each gateway: how much the batches saved
      const batches =
        name === 'gateways'
          ? (await Promise.all([providerAdmin, consumerPort].map(signing))).map((after, g) => {
              const d = after.map((v, i) => v - signingBefore[g]![i]!);
              return `${(d[1]! / Math.max(1, d[0]!)).toFixed(1)}/${(d[3]! / Math.max(1, d[2]!)).toFixed(1)}`;
            })
          : [];
      const busy = (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total);
      await pool.close();
      const line = `${name.padEnd(9)} ${fmt(r)}  machine ${(busy * 100).toFixed(0)}% busy, ${fmtStalls(stalls)}${cpu.length ? `   CPU per request: ${cpu.join(', ')}` : ''}${batches.length ? `   messages per signature made/checked: provider ${batches[0]}, consumer ${batches[1]}` : ''}`;
      // both gateways' CPU per exchange: the figure a busy machine shifts least (throughput follows the other load)
      const gatewayCpuUs = hops.reduce(
        (sum, [n, pid], i) => (n.endsWith('gateway') ? sum + ((cpuSeconds(pid) - before[i]!) / r.requests) * 1e6 : sum),
        0,
      );
      (byRound[name] ??= []).push({ r, line, gatewayCpuUs });
      process.stdout.write(`${rounds > 1 ? `round ${round + 1}  ` : ''}${line}\n`);
    }
  }
  roundsOf[clients] = Object.fromEntries(Object.entries(byRound).map(([n, xs]) => [n, xs.map((x) => x.r)]));
  if (byRound['gw-consent'] && byRound.gateways)
    cpuOf[clients] = Object.fromEntries(
      (['consent', 'plain'] as const).map((k) => [
        k,
        byRound[k === 'consent' ? 'gw-consent' : 'gateways']!.map((x) => ({ rps: x.r.rps, cpu: x.gatewayCpuUs })),
      ]),
    ) as (typeof cpuOf)[number];
  if (rounds > 1) process.stdout.write(`${clients} clients, the median round of each path:\n`);
  for (const [name] of paths) {
    const sorted = [...byRound[name]!].sort((x, y) => x.r.rps - y.r.rps);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    // the median of each figure on its own (a round's throughput and its tail need not be the same round's)
    const mid = (f: (r: LoadResult) => number) =>
      byRound[name]!.map((x) => f(x.r)).sort((a, b) => a - b)[Math.floor(sorted.length / 2)]!;
    (results[name] ??= {})[clients] = {
      ...median.r,
      p50: mid((r) => r.p50),
      p95: mid((r) => r.p95),
      p99: mid((r) => r.p99),
    };
    if (rounds > 1)
      process.stdout.write(
        `  ${fmt(results[name]![clients]!).padEnd(80)} ${name} (rounds: ${byRound[name]!.map((x) => x.r.rps.toFixed(0)).join(', ')} req/s)\n`,
      );
  }
}

process.stdout.write('\nexchange: through two gateways vs the references, same machine, same run\n');
for (const clients of process.env.NDP_BENCH_ONLY ? [] : [8, 32]) {
  const a = results.direct![clients]!;
  const b = results.proxies![clients]!;
  const c = results.gateways![clients]!;
  process.stdout.write(
    `${String(clients).padStart(2)} clients: gateways ${c.rps.toFixed(0)} req/s = ${((c.rps / b.rps) * 100).toFixed(0)}% of two bare proxies (${b.rps.toFixed(0)}; target ≥ 50%), ${((c.rps / a.rps) * 100).toFixed(0)}% of direct (${a.rps.toFixed(0)}); p99 ${c.p99.toFixed(1)} ms, ${(c.p99 - a.p99).toFixed(1)} ms over direct (target < 10 ms), proxies add ${(b.p99 - a.p99).toFixed(1)} ms${rounds > 1 ? `; gateways/proxies round by round ${roundsOf[clients]!.gateways!.map((g, i) => `${((g.rps / roundsOf[clients]!.proxies![i]!.rps) * 100).toFixed(0)}%`).join(', ')}` : ''}\n`,
  );
}

for (const clients of results['gw-consent'] && results.gateways ? [8, 32] : []) {
  const plain = results.gateways![clients]!;
  const withConsent = results['gw-consent']![clients]!;
  // the two paths run one after the other in every round: each round's ratio compares like with like
  const pairs = cpuOf[clients]!;
  const ratios = pairs.consent.map((x, i) => x.rps / pairs.plain[i]!.rps).sort((a, b) => a - b);
  const cpu = (xs: { cpu: number }[]) => xs.map((x) => x.cpu).sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  process.stdout.write(
    `${String(clients).padStart(2)} clients: consent-based grant ${withConsent.rps.toFixed(0)} req/s = ${((withConsent.rps / plain.rps) * 100).toFixed(0)}% of the plain grant (${plain.rps.toFixed(0)}; target ≥ 90%); round by round ${ratios.map((x) => `${(x * 100).toFixed(0)}%`).join(', ')} (median ${(ratios[Math.floor(ratios.length / 2)]! * 100).toFixed(0)}%); both gateways' CPU per exchange ${cpu(pairs.consent).toFixed(0)} µs against ${cpu(pairs.plain).toFixed(0)} µs (${((cpu(pairs.plain) / cpu(pairs.consent)) * 100).toFixed(0)}% of the plain grant's exchanges per CPU second); p99 ${withConsent.p99.toFixed(1)} against ${plain.p99.toFixed(1)} ms\n`,
  );
}

// the latency a hop adds when the cores are not saturated: the same calls at a fixed rate (open loop)
// NDP_BENCH_RATE: one rate or several, comma-separated (req/s)
const rates = (process.env.NDP_BENCH_RATE ?? '200,400')
  .split(',')
  .map(Number)
  .filter((r) => r > 0); // NDP_BENCH_RATE=0: none
// NDP_BENCH_IDLE=ms: a lull before the fixed-rate runs (what a quiet spell does to the gateways' heap)
if (process.env.NDP_BENCH_IDLE) await new Promise((r) => setTimeout(r, Number(process.env.NDP_BENCH_IDLE)));
// the open-loop runs take turns in rounds too (NDP_BENCH_ROUNDS, each 10 s; NDP_BENCH_RATE_SECONDS): this machine stalls as a
// whole now and then (the idle probe is woken tens of ms late), and one stall in a path's only run was that path's p99
const rateSeconds = Number(process.env.NDP_BENCH_RATE_SECONDS ?? 10);
const ratePaths = Object.entries(scenarios).filter(
  ([n]) => n !== 'gw-consent' && (!process.env.NDP_BENCH_ONLY || n === process.env.NDP_BENCH_ONLY),
);
for (const rate of rates) {
  const byPath: Record<string, LoadResult[]> = {};
  for (let round = 0; round < rounds; round++) {
    for (const [name, s] of ratePaths.map((_, i) => ratePaths[(i + round) % ratePaths.length]!)) {
      const pool = new Pool(s.origin, { connections: 64, pipelining: 1 });
      const timeline: number[] = [];
      const one = async (i: number) => {
        const t0 = performance.now();
        const r = await pool.request({
          method: 'GET',
          path: s.path(ids[(i * 104729) % ids.length]!),
          headers: s.headers,
        });
        const body = await r.body.text();
        if (r.statusCode !== 200) throw new Error(`${name}: ${r.statusCode} ${body.slice(0, 200)}`);
        if (process.env.NDP_BENCH_TIMELINE)
          timeline.push(performance.timeOrigin + performance.now(), performance.now() - t0);
      };
      await loadAtRate(rate, 2, one);
      timeline.length = 0;
      const hops = [...named.entries()].filter(([n]) =>
        name === 'proxies' ? n.startsWith('proxy') : name === 'gateways' ? n.endsWith('gateway') : false,
      );
      const before = hops.map(([, pid]) => cpuSeconds(pid));
      const machineBefore = machineTicks();
      probe.send('start');
      const r = await loadAtRate(rate, rateSeconds, one);
      const stalls = await stallsSince();
      if (process.env.NDP_BENCH_TIMELINE)
        (require('node:fs') as typeof import('node:fs')).appendFileSync(
          process.env.NDP_BENCH_TIMELINE,
          `${JSON.stringify({ name, rate, round, timeline })}\n`,
        );
      const machineAfter = machineTicks();
      const cpu = hops.map(
        ([n, pid], i) => `${n} ${(((cpuSeconds(pid) - before[i]!) / r.requests) * 1e6).toFixed(0)} µs`,
      );
      await pool.close();
      (byPath[name] ??= []).push(r);
      process.stdout.write(
        `${rounds > 1 ? `round ${round + 1}  ` : ''}${name.padEnd(9)} at ${rate} req/s (open loop, ${rateSeconds} s): p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  machine ${(((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * 100).toFixed(0)}% busy, ${fmtStalls(stalls)}${cpu.length ? `   CPU per request: ${cpu.join(', ')}` : ''}\n`,
      );
    }
  }
  // each figure the median of its rounds
  const mid = (name: string, f: (r: LoadResult) => number) => {
    const xs = (byPath[name] ?? []).map(f).sort((a, b) => a - b);
    return xs[Math.floor(xs.length / 2)]!;
  };
  if (byPath.direct && byPath.gateways) {
    const added = (name: string, f: (r: LoadResult) => number) => (mid(name, f) - mid('direct', f)).toFixed(1);
    process.stdout.write(
      `at ${rate} req/s${rounds > 1 ? ` (median of ${rounds} rounds)` : ''}: direct p50 ${mid('direct', (r) => r.p50).toFixed(1)} / p99 ${mid('direct', (r) => r.p99).toFixed(1)} ms; the gateways add ${added('gateways', (r) => r.p50)} ms at p50 and ${added('gateways', (r) => r.p99)} ms at p99 over direct${byPath.proxies ? `; the bare proxies ${added('proxies', (r) => r.p50)} and ${added('proxies', (r) => r.p99)} ms` : ''}\n`,
    );
  }
}
const providerMetrics = await (await fetch(`http://127.0.0.1:${providerAdmin}/metrics`)).text();
process.stdout.write(
  `provider gateway: ${/ndp_gateway_tls_handshakes_total (\d+)/.exec(providerMetrics)?.[1]} TLS handshakes for all the runs (${/ndp_gateway_link_connections_total (\d+)/.exec(providerMetrics)?.[1]} of them links), ${/ndp_gateway_log_entries (\d+)/.exec(providerMetrics)?.[1]} log entries\n`,
);
for (const p of children) p.kill('SIGTERM');
await new Promise((r) => setTimeout(r, profile.length ? 3000 : 500));

// the evidence log alone: sustained appends with a signed checkpoint every second
const logDir = mkdtempSync(path.join(os.tmpdir(), 'ndp-bench-log-'));
const logKey = generateKeyPairSync('ed25519').privateKey;
const log = await EvidenceLog.open(logDir, {
  origin: 'VN/exchange/gateway/bench',
  keyName: 'VN/exchange/gateway/bench',
  key: logKey,
  checkpointMs: 1000,
});
const N = Number(process.env.NDP_BENCH_LOG_ENTRIES ?? 500_000);
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  log.append({
    v: 1,
    side: 'provider',
    at: new Date().toISOString(),
    id: `b7c1e6c4-7f7b-4a8e-9d6a-${String(i).padStart(12, '0')}`,
    peer: '6f1f0a55-3f5e-4b0e-8d0b-2f1f0a553f5e',
    client: 'VN/GOV/000.00.00.H01/DVC',
    service: 'VN/GOV/000.00.00.G01/CSDLQGDC/citizens',
    method: 'GET',
    path: '/citizens/001090000001',
    purpose: 'verify-residence',
    user: 'q2l7m3Yy3a1p8fYx0Q6mB7eX3Q9mP1k2Z8r5T0wq1aE',
    issue: null,
    grant: '9a0c6e2e-1f2b-4a57-9d13-3f0d1c2b4a5e',
    status: 200,
    error: null,
    requestBody: '47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU',
    requestHash: 'VBcGV4dsv49DvCHIftQpLZn6Dn0h6JfuLNGA9mQH9qX9CpUXoyH8p0aGSmIBf46OaD0yCqzB8H+vEctmZAL7jw==',
    responseBody: 'fC2pN5vYqkY2m0pW4mN1xQyF8rR3tZ7b9sK0aLdE6hU',
    ms: 1.23,
    target: '/r1/VN/GOV/000.00.00.G01/CSDLQGDC/citizens/citizens/001090000001',
    seals: {
      request: `6f1f0a55-3f5e-4b0e-8d0b-2f1f0a553f5e;2026-11-24T08:00:00.000Z;${'M'.repeat(96)}.1.3.${'p'.repeat(43)}.${'q'.repeat(43)}`,
      response: `8a2e0b66-4a6f-4c1f-9e1c-3a2a1b664a6f;2026-11-24T08:00:00.002Z;${'N'.repeat(96)}.0.1`,
    },
  });
  if (i % 20_000 === 19_999) await new Promise((r) => setImmediate(r)); // let the writer and the checkpointer run, as traffic would
}
await log.drain();
await log.checkpoint();
const seconds = (performance.now() - t0) / 1000;
const status = log.status();
await log.close();
await log.compressed(); // a segment closed past 1 GiB is compressed in the background: not left to run into the reopening
process.stdout.write(
  `evidence log: ${N.toLocaleString('en')} entries appended, written and signed (size ${status.checkpointSize}) in ${seconds.toFixed(2)} s = ${(N / seconds).toFixed(0)} entries/s (target ≥ 20,000)\n`,
);
// reopening: from the state saved at the last checkpoint (the gateway's way: the last minutes replayed, the rest checked
// in the background), and as a log without a saved state is opened (every entry hashed before the first exchange)
const logOptions = {
  origin: 'VN/exchange/gateway/bench',
  keyName: 'VN/exchange/gateway/bench',
  key: logKey,
  replay: () => undefined,
};
let t1 = performance.now();
const resumed = await EvidenceLog.open(logDir, { ...logOptions, replaySince: Date.now() + 120_000, auditShare: 1 }); // the check's own speed; a gateway paces it to a fifth of its time
const resumeSeconds = (performance.now() - t1) / 1000;
t1 = performance.now();
const audit = await resumed.audit;
const auditSeconds = (performance.now() - t1) / 1000;
await resumed.close();
rmSync(path.join(logDir, LOG_FILES.state));
t1 = performance.now();
const rehashed = await EvidenceLog.open(logDir, logOptions);
const rehashSeconds = (performance.now() - t1) / 1000;
await rehashed.close();
rmSync(logDir, { recursive: true, force: true });
process.stdout.write(
  `evidence log reopened: from its saved state in ${resumeSeconds.toFixed(2)} s (then ${audit.entries.toLocaleString('en')} entries checked in the background in ${auditSeconds.toFixed(1)} s, ${audit.ok ? 'all as signed' : audit.problem}); hashing every entry ${rehashSeconds.toFixed(2)} s\n`,
);
await target.drop();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
