// npm run bench -- prefill [--seconds 15] [--clients 8] [--latency 0]: issue 21's prefill of a 12-field form from 3
// registers through the gateways — the demo's population register (6 fields from /citizens/{person}) and two stub
// registers (3 fields each from /people/{person}) behind the demo's provider gateway, called through Hà Nội's consumer
// gateway as the deciding agency's desk — for 8 concurrent citizens; beside it, in the same run, each register called
// alone through the same two gateways by 8 clients. Target (issue 21): the prefill's p95 at most 1.3× the slowest
// single register's p95 (the fetches overlap), and at least 200 prefills/s. `--latency`: ms each stub waits before it
// answers, as a register's own lookup would (0: as fast as the demo's population service).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { migrate } from '../src/platform/migrate.js';
import { MIGRATIONS } from '../src/migrations/index.js';
import { seedMasterData } from '../src/masterdata/seed.js';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { buildApp } from '../src/app.js';
import { demoSystemUser } from '../src/cli/demo.js';
import { demoPopulation } from '../src/cli/demo-citizens.js';
import { startDemoNetwork } from '../src/cli/demo-network.js';
import { PrefillService } from '../src/services/prefill/prefill.service.js';
import type { ProcedureField } from '../src/services/procedures/procedure.js';
import { loadFor, type LoadResult } from './load.js';
import { openTarget } from './targets.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const SECONDS = arg('--seconds', 15);
const CLIENTS = arg('--clients', 8);
const LATENCY = arg('--latency', 0);
const CODE = '1.999001';
const say = (s: string) => process.stderr.write(`${s}\n`);
const ms = (n: number) => `${n.toFixed(1)} ms`;
const line = (r: LoadResult) =>
  `p50 ${ms(r.p50)}, p95 ${ms(r.p95)}, p99 ${ms(r.p99)}, ${r.rps.toFixed(0)}/s (${r.requests} in ${r.seconds.toFixed(1)} s)`;

const kind = process.env.NDP_BENCH_TARGET === 'pglite' ? 'pglite' : 'postgres';
const target = await openTarget(kind, 'prefill');
const db = target.database.db;
await migrate(db, MIGRATIONS);
await seedMasterData(db);
const config = loadConfig({ NDP_DATA_DIR: target.dataDir, NDP_BASE_URL: 'http://ndp.bench', NDP_LOG_LEVEL: 'silent' });
const app = await buildApp(config, target.database, createLogger(config));
await app.server.listen({ port: 0, host: '127.0.0.1' });
const network = await startDemoNetwork(app, target.database, {
  dataDir: target.dataDir,
  basePort: 0,
  logger: createLogger({ logLevel: 'silent' }),
  registryUrl: `http://127.0.0.1:${(app.server.server.address() as { port: number }).port}`,
});

// two stub registers: a small JSON record of anyone asked for
const stub = (name: string) =>
  http.createServer((req, res) => {
    const id = req.url!.split('/')[2];
    const body = JSON.stringify({ id, [`${name}1`]: `${name} một`, [`${name}2`]: '2024-03-01', [`${name}3`]: 42 });
    const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    if (LATENCY) setTimeout(answer, LATENCY);
    else answer();
  });
const stubs = [stub('civil'), stub('business')];
for (const s of stubs) await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));

const system = await demoSystemUser(app, target.database);
const { registry, catalog, masterData } = app.services;
const { procedures } = app.publicServices;
const police = await masterData.agency('000.00.00.G01');
const hanoi = await masterData.agency('000.00.00.H01');
const sub = (await registry.subsystemByCode('000.00.00.G01', 'CSDLQGDC'))!;
const openapi = {
  openapi: '3.0.3',
  paths: { '/people/{id}': { get: { parameters: [{ name: 'id', in: 'path', 'x-ndp-person': true }] } } },
};
const services = [{ id: network.serviceId, xroad: network.service, path: '/citizens/{person}' }];
for (const [i, code] of ['civil', 'business'].entries()) {
  const v = await registry.createService(system, {
    subsystem: sub.id,
    code,
    title: code,
    baseUrl: `http://127.0.0.1:${(stubs[i]!.address() as AddressInfo).port}`,
    openapi,
  });
  services.push({ id: v.id, xroad: network.service.replace(/\/citizens$/, `/${code}`), path: '/people/{person}' });
}
for (const s of services)
  await registry.createGrant(system, {
    client: network.clientSubsystemId,
    service: s.id,
    purposes: [CODE],
    legalBasis: 'bench',
  });

// 12 dictionary elements, each held by one of the 3 registers' databases
const pointers: [string, number, string][] = [
  ['/fullName', 0, 'string'],
  ['/dateOfBirth', 0, 'date'],
  ['/sex', 0, 'string'],
  ['/permanentResidence/communeCode', 0, 'string'],
  ['/permanentResidence/commune', 0, 'string'],
  ['/householdId', 0, 'string'],
  ...['civil', 'business'].flatMap((n, i): [string, number, string][] => [
    [`/${n}1`, i + 1, 'string'],
    [`/${n}2`, i + 1, 'date'],
    [`/${n}3`, i + 1, 'integer'],
  ]),
];
const databases: string[] = [];
for (const name of ['dân cư', 'hộ tịch', 'đăng ký kinh doanh']) {
  const text = `Bench ${name}`;
  const d = await catalog.databases.create(system, {
    agency_id: police.id,
    name_vi: `Cơ sở dữ liệu ${name}`,
    purpose: text,
    scope: text,
    content: text,
    collection_mechanism: text,
    update_mechanism: text,
    data_sources: text,
    legal_basis: text,
    category: 'national',
    access_class: 'shared',
    importance: 'important',
    status: 'operating',
  });
  databases.push(d.id);
}
const fields: ProcedureField[] = [];
for (const [i, [pointer, register, type]] of pointers.entries()) {
  const element = `bench_field_${i + 1}`;
  await catalog.dictionary.create(system, { id: element, label_vi: element, label_en: element, type } as never);
  const s = services[register]!;
  await procedures.setSource(system, police.id, {
    element,
    kind: 'register',
    database: databases[register]!,
    service: s.xroad,
    path: s.path,
    field: pointer,
  });
  fields.push({ key: `f${i + 1}`, label_vi: element, label_en: null, element, type: type as 'string', required: true });
}
const procedure = await procedures.create(system, hanoi.id, {
  code: CODE,
  name_vi: 'Thủ tục đo',
  name_en: 'Bench procedure',
  legal_basis: 'bench',
  processing_days: 1,
  fields,
  result: { kind: 'decision', title_vi: 'Quyết định', title_en: null, validity_days: null, fields: [] },
});
await procedures.setStatus(system, procedure.id, 'published');
await procedures.setDesk(system, hanoi.id, {
  client: network.client,
  gatewayUrl: network.consumerUrl,
  apiKey: network.apiKey,
  timeoutMs: 5000,
});
await network.gateways.consumer.context.holder.refresh();
await network.gateways.provider.context.holder.refresh();

// 8 citizens of the demo population, signed in at level 2; the per-person limit lifted for the run
const people = [...(await demoPopulation(db)).keys()].slice(0, CLIENTS);
const citizens = await Promise.all(
  people.map(
    async (id) =>
      (
        await app.services.identity.citizenSignedIn({
          issuer: 'https://eid.bench',
          subject: `bench-${id}`,
          name: 'Bench',
          level: 2,
          idNumber: id,
        })
      ).user,
  ),
);
const prefills = new PrefillService(db, {
  procedures,
  subjectHashes: (u) => app.services.identity.subjectHashes(u),
  databaseName: async (id) => ({ vi: (await catalog.databases.get(id)).name_vi, en: '' }),
  agencyName: async () => undefined,
  limit: { count: Number.MAX_SAFE_INTEGER, windowMs: 1 },
});

const check = await prefills.prefill(citizens[0]!, CODE);
const filled = Object.values(check.fields).filter((v) => 'value' in v).length;
if (filled !== 12) throw new Error(`the bench prefill filled ${filled} of 12: ${JSON.stringify(check.fields)}`);

const single = (s: (typeof services)[number]) => async (i: number) => {
  const person = people[i % people.length]!;
  const res = await request(`${network.consumerUrl}/r1/${s.xroad}${s.path.replace('{person}', person)}`, {
    headers: {
      'x-road-client': network.client,
      'x-ndp-api-key': network.apiKey,
      'x-ndp-purpose': CODE,
      'x-road-userid': `VN${person}`,
    },
  });
  await res.body.text();
  if (res.statusCode !== 200) throw new Error(`single call: HTTP ${res.statusCode}`);
};
say(`prefill bench on ${kind}: ${CLIENTS} clients, ${SECONDS} s a phase, stub latency ${LATENCY} ms`);
await loadFor(CLIENTS, 2, single(services[0]!)); // warm-up
const singles: LoadResult[] = [];
for (const s of services) {
  singles.push(await loadFor(CLIENTS, SECONDS, single(s)));
  say(`single ${s.xroad.split('/').pop()}: ${line(singles.at(-1)!)}`);
}
const run = await loadFor(CLIENTS, SECONDS, async (i) => {
  const p = await prefills.prefill(citizens[i % citizens.length]!, CODE);
  if (Object.values(p.fields).some((v) => 'problem' in v)) throw new Error(JSON.stringify(p.fields));
});
const slowest = Math.max(...singles.map((s) => s.p95));
say(`prefill (12 fields, 3 registers): ${line(run)}`);
say(
  `p95 ratio to the slowest single register's p95: ${(run.p95 / slowest).toFixed(2)}× (target ≤ 1.3×); ` +
    `throughput ${run.rps.toFixed(0)} prefills/s (target ≥ 200)`,
);
await network.stop();
for (const s of stubs) s.close();
await app.jobs.stop();
await app.server.close();
await target.drop();
