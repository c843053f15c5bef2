// npm run bench -- access-records: what storing subject access records costs the registry's PostgreSQL, per record,
// through the registry's own report path (keyed hash, context, one INSERT … unnest per group), against PostgreSQL's
// own COPY of the same rows into a table of the same shape and indexes, and against the row layout before migration
// 0019 (every row carrying its client, service, purpose and legal basis as text), all in one run.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { migrate } from '../src/platform/migrate.js';
import { MIGRATIONS } from '../src/migrations/index.js';
import { seedMasterData } from '../src/masterdata/seed.js';
import { RegistryService, subjectHash } from '../src/exchange/registry/registry.service.js';
import { groupAccessRecords } from '../src/exchange/protocol/access-records.js';
import type { GatewayRow } from '../src/exchange/registry/registry.rows.js';
import { PG_ADMIN, openTarget } from './targets.js';

const PREFILL = Number(process.env.NDP_BENCH_PREFILL ?? 200_000);
const RECORDS = Number(process.env.NDP_BENCH_RECORDS ?? 100_000);
const PER_REPORT = 1000; // a second's records at 1,000 exchanges/s

const target = await openTarget('postgres', 'access_records');
const db = target.database.db as Kysely<any>;
await migrate(db, MIGRATIONS);
await seedMasterData(db);
const agency = (await sql<{ id: string }>`select id from agencies where code = '000.00.00.G01'`.execute(db)).rows[0]!
  .id;
const registry = new RegistryService(db, {
  instance: 'VN',
  baseUrl: 'http://ndp.bench',
  validityHours: 72,
  resolveAgency: async () => agency,
});
const gateway = { id: randomUUID(), agency_id: agency } as GatewayRow;
await sql`insert into exchange_gateways (id, agency_id, address, signing_key, tls_public_key, certificate) values (${gateway.id}, ${agency}, 'https://10.0.0.5:8443', 'k', 'p', 'c')`.execute(
  db,
);

let index = 0;
const purposes = ['verify-residence', 'verify-residence', 'verify-residence', 'social-insurance', null];
const report = (n: number) =>
  Array.from({ length: n }, () => {
    const i = index++;
    const purpose = purposes[i % purposes.length]!;
    return {
      subject: `VN${String(1_000_000_000 + ((i * 7919) % 98_000_000_000)).padStart(12, '0')}`,
      at: new Date(Date.UTC(2026, 10, 25, 8) + i).toISOString(),
      id: randomUUID(),
      index: i,
      client: 'VN/GOV/000.00.00.H01/DVC',
      service: 'VN/GOV/000.00.00.G01/CSDLQGDC/citizens',
      purpose,
      legalBasis: purpose ? 'Luật Cư trú 2020' : null,
      status: i % 50 ? 200 : 404,
    };
  });
const progress = (label: string, done: number, total: number) =>
  process.stderr.write(`\r… ${label}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} records`);
const wal = async () => (await sql<{ l: string }>`select pg_current_wal_lsn()::text as l`.execute(db)).rows[0]!.l;
const walBytes = async (from: string) =>
  Number(
    (await sql<{ d: string }>`select pg_wal_lsn_diff(pg_current_wal_lsn(), ${from}::pg_lsn)::text as d`.execute(db))
      .rows[0]!.d,
  );

for (let done = 0; done < PREFILL; done += PER_REPORT) {
  await registry.report(gateway, { accessRecordGroups: groupAccessRecords(report(PER_REPORT)) });
  if (done % 20_000 === 0) progress('filling the table first', done, PREFILL);
}
await sql`checkpoint`.execute(db);

// the registry's path: a report a second, each group hashed, its context found, and inserted in one statement
const reports = Array.from({ length: RECORDS / PER_REPORT }, () => report(PER_REPORT));
let walFrom = await wal();
let t0 = performance.now();
for (let r = 0; r < reports.length; r++) {
  await registry.report(gateway, { accessRecordGroups: groupAccessRecords(reports[r]!) });
  if (r % 10 === 0) progress('through the registry', r * PER_REPORT, RECORDS);
}
const ours = { us: ((performance.now() - t0) * 1000) / RECORDS, wal: (await walBytes(walFrom)) / RECORDS };
process.stderr.write('\n');

// the reference: the same rows as the table holds them, COPY'd by PostgreSQL into a copy of the table (its indexes too)
await sql`create table bench_copy (like exchange_access_records including all)`.execute(db);
await sql`checkpoint`.execute(db);
await sql`insert into bench_copy select * from exchange_access_records where log_index < ${PREFILL}`.execute(db);
await sql`checkpoint`.execute(db);
const url = new URL(PG_ADMIN);
url.pathname = '/ndp_bench_access_records';
const raw = new pg.Client({ connectionString: url.toString() });
await raw.connect();
const rows: string[] = [];
await new Promise<void>((resolve, reject) => {
  const out = raw.query(copyTo(`copy (select * from exchange_access_records where log_index >= ${PREFILL}) to stdout`));
  out.on('data', (d: Buffer) => rows.push(d.toString()));
  out.on('end', () => resolve());
  out.on('error', reject);
});
walFrom = await wal();
t0 = performance.now();
await new Promise<void>((resolve, reject) => {
  const into = raw.query(copyFrom('copy bench_copy from stdin'));
  into.on('finish', () => resolve());
  into.on('error', reject);
  for (const chunk of rows) into.write(chunk);
  into.end();
});
const copy = { us: ((performance.now() - t0) * 1000) / RECORDS, wal: (await walBytes(walFrom)) / RECORDS };

// before migration 0019: the same records in the layout they had, by the statement the registry used then
await sql`create table bench_before (subject_hash text not null, at timestamptz not null, message_id text not null, log_index bigint not null, client text not null, service text not null, purpose text, legal_basis text, status integer not null, gateway_id uuid not null references exchange_gateways(id), primary key (gateway_id, log_index, message_id))`.execute(
  db,
);
await sql`create index on bench_before(subject_hash, at desc)`.execute(db);
await sql`insert into bench_before select encode(r.subject, 'base64'), r.at, r.message_id, r.log_index, c.client, c.service, c.purpose, c.legal_basis, r.status, r.gateway_id from exchange_access_records r join exchange_access_contexts c on c.id = r.context_id where r.log_index < ${PREFILL}`.execute(
  db,
);
await sql`checkpoint`.execute(db);
const key = Buffer.alloc(32, 1);
walFrom = await wal();
t0 = performance.now();
for (const rep of reports) {
  for (const g of groupAccessRecords(rep)) {
    await sql`insert into bench_before (subject_hash, at, message_id, log_index, client, service, purpose, legal_basis, status, gateway_id)
      select t.s, t.a, t.m, t.i, ${g.client}, ${g.service}, ${g.purpose}, ${g.legalBasis}, ${g.status}::int, ${gateway.id}::uuid
      from unnest(${g.subjects.map((s) => subjectHash(key, s).slice(0, 43))}::text[], ${g.at}::timestamptz[], ${g.ids}::text[], ${g.indexes}::bigint[]) as t(s, a, m, i)
      on conflict (gateway_id, log_index, message_id) do nothing`.execute(db);
  }
}
const before = { us: ((performance.now() - t0) * 1000) / RECORDS, wal: (await walBytes(walFrom)) / RECORDS };
// the 0019 layout by its statement alone, as the line above: what the layout costs without the report around it
await sql`create table bench_after (like exchange_access_records including all)`.execute(db);
await sql`insert into bench_after select * from exchange_access_records where log_index < ${PREFILL}`.execute(db);
await sql`checkpoint`.execute(db);
const contexts = new Map<string, number>();
walFrom = await wal();
t0 = performance.now();
for (const rep of reports) {
  for (const g of groupAccessRecords(rep)) {
    const k = `${g.client} ${g.service} ${g.purpose} ${g.legalBasis}`;
    const context =
      contexts.get(k) ??
      (
        await sql<{
          id: number;
        }>`select id from exchange_access_contexts where client = ${g.client} and service = ${g.service} and purpose is not distinct from ${g.purpose} and legal_basis is not distinct from ${g.legalBasis}`.execute(
          db,
        )
      ).rows[0]!.id;
    contexts.set(k, context);
    await sql`insert into bench_after (gateway_id, log_index, message_id, subject, at, context_id, status)
      select ${gateway.id}::uuid, t.i, t.m, decode(t.s, 'hex'), t.a, ${context}::int, ${g.status}::smallint
      from unnest(${g.subjects.map((s) => subjectHash(key, s))}::text[], ${g.at}::timestamptz[], ${g.ids}::text[], ${g.indexes}::bigint[]) as t(s, a, m, i)
      on conflict (gateway_id, log_index, message_id) do nothing`.execute(db);
  }
}
const after = { us: ((performance.now() - t0) * 1000) / RECORDS, wal: (await walBytes(walFrom)) / RECORDS };
const size = async (t: string) =>
  Number((await sql<{ b: string }>`select pg_total_relation_size(${t}::regclass)::text as b`.execute(db)).rows[0]!.b) /
  (PREFILL + RECORDS);

process.stdout.write(
  `\naccess records: ${RECORDS.toLocaleString('en')} in reports of ${PER_REPORT.toLocaleString('en')}, into a table of ${PREFILL.toLocaleString('en')}, PostgreSQL, same run\n`,
);
process.stdout.write(
  `  through the registry (0019 layout)  ${ours.us.toFixed(1).padStart(6)} µs a record  ${ours.wal.toFixed(0).padStart(5)} B of WAL a record  ${(await size('exchange_access_records')).toFixed(0)} B on disk a record\n`,
);
process.stdout.write(
  `  PostgreSQL COPY, same table shape   ${copy.us.toFixed(1).padStart(6)} µs a record  ${copy.wal.toFixed(0).padStart(5)} B of WAL a record  (reference)\n`,
);
process.stdout.write(
  `  the layout before 0019, SQL alone   ${before.us.toFixed(1).padStart(6)} µs a record  ${before.wal.toFixed(0).padStart(5)} B of WAL a record  ${(await size('bench_before')).toFixed(0)} B on disk a record\n`,
);
process.stdout.write(
  `  the 0019 layout, SQL alone           ${after.us.toFixed(1).padStart(6)} µs a record  ${after.wal.toFixed(0).padStart(5)} B of WAL a record\n`,
);
process.stdout.write(
  `  the registry takes ${(ours.us / copy.us).toFixed(2)}× COPY's time; SQL alone, the layout before takes ${(before.us / after.us).toFixed(2)}× this one's time and ${(before.wal / after.wal).toFixed(2)}× its WAL\n`,
);
await raw.end();
await target.drop();
process.exit(0);
