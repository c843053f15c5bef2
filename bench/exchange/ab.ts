// A/B of two checkouts' gateways (NDP_AB_A, NDP_AB_B: repo roots; NDP_AB_B_ARGS: node flags for B's) in the same run, alternating
// rounds on the same registry and service — the machine's speed drifts too much between runs to compare two of them.
// node --import tsx bench/exchange/ab.ts
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'undici';
import { sql } from 'kysely';
import { openTarget, PG_ADMIN } from '../targets.js';
import { freeLoopbackPort as freePort } from '../../src/platform/ports.js';
import { loadFor, loadAtRate, fmt } from '../load.js';
import { migrate } from '../../src/platform/migrate.js';
import { MIGRATIONS } from '../../src/migrations/index.js';
import { seedMasterData } from '../../src/masterdata/seed.js';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { buildApp } from '../../src/app.js';
import { demoSystemUser } from '../../src/cli/demo.js';
import { CITIZENS_OPENAPI, generatePeople } from '../../src/cli/demo-citizens.js';
import { gatewayKeys } from '../../src/exchange/protocol/pki.js';

const here = path.dirname(new URL(import.meta.url).pathname);
const children: ChildProcess[] = [];
const cpu = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const x = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(x[11]) + Number(x[12])) / 100;
};
const sys = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const x = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return Number(x[12]) / 100;
};
function child(args: string[]): Promise<{ port: number; pid: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(p);
    let out = '';
    let err = '';
    p.stderr!.on('data', (d) => {
      err += d;
    });
    p.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{"ready"'));
      if (line) {
        const r = JSON.parse(line);
        resolve({ port: r.port ?? r.consumerPort, pid: r.pid ?? p.pid! });
      }
    });
    p.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${err}`)));
  });
}
const target = await openTarget('postgres', 'exchange');
const { database } = target;
await migrate(database.db, MIGRATIONS);
await seedMasterData(database.db);
await sql`create table bench_people (id text primary key, doc jsonb not null)`.execute(database.db);
const people = [...generatePeople(100_000, [{ code: '00004', name: 'Phường Ba Đình', province: '01' }]).values()];
for (let i = 0; i < people.length; i += 5000)
  await sql`insert into bench_people select x->>'id', x from jsonb_array_elements(${JSON.stringify(people.slice(i, i + 5000))}::jsonb) x`.execute(
    database.db,
  );
const ids = people.map((p) => p.id);
const u = new URL(PG_ADMIN);
u.pathname = '/ndp_bench_exchange';
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ndp-ab-'));
const config = loadConfig({ NDP_DATA_DIR: dataDir, NDP_LOG_LEVEL: 'silent', PORT: '0' });
const app = await buildApp(config, database, createLogger(config));
await app.server.listen({ port: 0, host: '127.0.0.1' });
const registryUrl = `http://127.0.0.1:${(app.server.server.address() as net.AddressInfo).port}`;
const service = await child(['--import', 'tsx', path.join(here, 'service.ts'), '0', u.toString()]);
const serviceUrl = `http://127.0.0.1:${service.port}`;
const { registry } = app.services;
const system = await demoSystemUser(app, database);
const anchorFile = path.join(dataDir, 'anchor.json');
async function pair(root: string, provAgency: string, consAgency: string, tag: string) {
  const prov = await registry.createSubsystem(system, { agency: provAgency, code: 'CSDL', name: 'p' });
  const cons = await registry.createSubsystem(system, { agency: consAgency, code: 'DVC', name: 'c' });
  const svc = await registry.createService(system, {
    subsystem: prov.id,
    code: 'citizens',
    title: 't',
    baseUrl: serviceUrl,
    openapi: CITIZENS_OPENAPI,
  });
  await registry.createGrant(system, {
    client: cons.id,
    service: svc.id,
    endpoints: [{ method: 'GET', path: '/citizens/*' }],
    purposes: ['verify-residence'],
    legalBasis: 'x',
    ratePerSecond: 100_000,
    dailyQuota: 100_000_000,
  });
  const apiKey = (await registry.createClientKey(system, cons.id, { label: 'b' })).key;
  const gws = [];
  for (const [agency, name] of [
    [provAgency, 'p'],
    [consAgency, 'c'],
  ] as const) {
    const dir = path.join(dataDir, tag + name);
    const keys = await gatewayKeys(path.join(dir, 'keys'));
    const peer = await freePort();
    const g = await registry.registerGateway(system, {
      agency,
      address: `https://127.0.0.1:${peer}`,
      signingKey: keys.signingPublic,
      tlsPublicKey: keys.tlsPublicPem,
    });
    gws.push({ dir, id: g.id, peer });
  }
  return {
    root,
    tag,
    apiKey,
    gws,
    svcPath: `/r1/VN/GOV/${provAgency}/CSDL/citizens`,
    client: `VN/GOV/${consAgency}/DVC`,
    pids: [] as number[],
    port: 0,
  };
}
const A = await pair(process.env.NDP_AB_A!, '000.00.00.G01', '000.00.00.H01', 'A');
const B = await pair(process.env.NDP_AB_B!, '000.00.00.G12', '000.00.00.H79', 'B');
writeFileSync(anchorFile, JSON.stringify({ ...(await registry.anchor()), registryUrl }));
for (const v of [A, B]) {
  for (const g of v.gws) {
    const c = await child([
      ...(v.tag === 'B' ? (process.env.NDP_AB_B_ARGS ?? '').split(' ').filter(Boolean) : []),
      path.join(v.root, 'bin/ndp.js'),
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
    ]);
    v.pids.push(c.pid);
    v.port = c.port;
  }
}
if (process.env.NDP_AB_OPEN) {
  // open loop at a fixed rate through each pair, then how late each gateway's event loop ran
  for (const v of [A, B]) {
    const pool = new Pool(`http://127.0.0.1:${v.port}`, { connections: 64 });
    const headers = {
      'x-road-client': v.client,
      'x-ndp-api-key': v.apiKey,
      'x-ndp-purpose': 'verify-residence',
      'x-road-userid': 'VN001090000001',
    };
    const one = async (i: number) => {
      const r = await pool.request({
        method: 'GET',
        path: `${v.svcPath}/citizens/${ids[(i * 7919) % ids.length]}`,
        headers,
      });
      await r.body.text();
    };
    await loadAtRate(Number(process.env.NDP_AB_OPEN), 3, one);
    const before = v.pids.map(cpu);
    const r = await loadAtRate(Number(process.env.NDP_AB_OPEN), 15, one);
    const per = v.pids.map((p, i) => ((cpu(p) - before[i]!) / r.requests) * 1e6);
    process.stdout.write(
      `${v.tag} open loop ${fmt(r)}  CPU/req provider ${per[0]!.toFixed(0)} µs consumer ${per[1]!.toFixed(0)} µs\n`,
    );
    for (const g of v.gws) {
      const adminPort = g === v.gws[1] ? v.port : undefined;
      if (adminPort)
        process.stdout.write(
          `${(await (await fetch(`http://127.0.0.1:${adminPort}/metrics`)).text())
            .split('\n')
            .filter((l) => l.startsWith('ndp_gateway_event_loop'))
            .join('\n')}\n`,
        );
    }
    await pool.close();
  }
  for (const p of children) p.kill('SIGTERM');
  await app.server.close();
  await target.drop();
  process.exit(0);
}
const seconds = Number(process.env.NDP_BENCH_SECONDS ?? 6);
const rounds = Number(process.env.NDP_AB_ROUNDS ?? 3);
const sums: Record<string, { rps: number[]; cpu: number[]; p99: number[] }> = {};
for (let round = 0; round < rounds; round++) {
  for (const clients of [8, 32]) {
    for (const v of round % 2 ? [B, A] : [A, B]) {
      const pool = new Pool(`http://127.0.0.1:${v.port}`, { connections: clients });
      const headers = {
        'x-road-client': v.client,
        'x-ndp-api-key': v.apiKey,
        'x-ndp-purpose': 'verify-residence',
        'x-road-userid': 'VN001090000001',
      };
      const one = async (i: number) => {
        const r = await pool.request({
          method: 'GET',
          path: `${v.svcPath}/citizens/${ids[(i * 7919) % ids.length]}`,
          headers,
        });
        const b = await r.body.text();
        if (r.statusCode !== 200) throw new Error(`${v.tag} ${r.statusCode} ${b}`);
      };
      await loadFor(clients, 3, one); // warm, in seconds (see exchange.bench.ts)
      const before = v.pids.map(cpu);
      const sysBefore = v.pids.map(sys);
      const r = await loadFor(clients, seconds, one);
      const per = v.pids.map((p, i) => ((cpu(p) - before[i]!) / r.requests) * 1e6);
      const perSys = v.pids.map((p, i) => ((sys(p) - sysBefore[i]!) / r.requests) * 1e6);
      await pool.close();
      const k = `${v.tag}${clients}`;
      const s = (sums[k] ??= { rps: [], cpu: [], p99: [] });
      s.rps.push(r.rps);
      s.cpu.push((per[0]! + per[1]!) / 2);
      s.p99.push(r.p99);
      process.stdout.write(
        `${v.tag} ${fmt(r)}  CPU/req provider ${per[0]!.toFixed(0)} µs consumer ${per[1]!.toFixed(0)} µs (system ${perSys[0]!.toFixed(0)}/${perSys[1]!.toFixed(0)})\n`,
      );
    }
  }
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
for (const c of [8, 32]) {
  const a = sums[`A${c}`]!;
  const b = sums[`B${c}`]!;
  process.stdout.write(
    `${c} clients median: A ${med(a.rps).toFixed(0)} req/s ${med(a.cpu).toFixed(0)} µs p99 ${med(a.p99).toFixed(1)} | B ${med(b.rps).toFixed(0)} req/s ${med(b.cpu).toFixed(0)} µs p99 ${med(b.p99).toFixed(1)}  → B/A rps ${(med(b.rps) / med(a.rps)).toFixed(2)}, cpu ${(med(b.cpu) / med(a.cpu)).toFixed(2)}\n`,
  );
}
for (const p of children) p.kill('SIGTERM');
await new Promise((r) => setTimeout(r, 500));
await app.server.close();
await target.drop();
process.exit(0);
