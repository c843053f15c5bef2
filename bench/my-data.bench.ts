// npm run bench -- my-data [--records N] [--clients 8] [--seconds 20]: a person's own page of "my data" — 50 of their
// access records WITH each record's inclusion proof — among N (10 million) records on PostgreSQL, 8 clients at once,
// through the registry's façade (recordsOfSubject, then recordProofs), beside the bare SQL lookup of the same page in
// the same run. The records come from four provider gateways whose every log entry named a person; each gateway's
// log is covered by proof windows of 16 entries (as gateways send them under load), so the table of windows is as large as the
// records make it. The person's windows are real (a Merkle tree over synthetic leaf hashes, checkpoints signed by the
// gateway's key): every proof a page returns is checked once before timing.
import { createHash, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { migrate } from '../src/platform/migrate.js';
import { MIGRATIONS } from '../src/migrations/index.js';
import { seedMasterData } from '../src/masterdata/seed.js';
import { RegistryService } from '../src/exchange/registry/registry.service.js';
import { signCheckpoint } from '../src/exchange/protocol/checkpoint.js';
import { CompactRange } from '../src/exchange/protocol/merkle.js';
import { rawEd25519 } from '../src/exchange/protocol/pki.js';
import { verifyRecordProof } from '../src/exchange/protocol/record-proof.js';
import { WINDOW_LEAVES } from '../src/exchange/gateway/proof-windows.js';
import { openTarget } from './targets.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const RECORDS = arg('--records', Number(process.env.NDP_BENCH_RECORDS ?? 10_000_000));
const CLIENTS = arg('--clients', 8);
const SECONDS = arg('--seconds', 20);
const GATEWAYS = 4;
const READS = 300; // the person's reads, spread over the five years the records span
const PAGE = 50;
const INSTANCE = 'VN';

const say = (s: string) => process.stderr.write(`${s}\n`);
const target = await openTarget('postgres', 'my_data');
const db = target.database.db as Kysely<any>;
await migrate(db, MIGRATIONS);
await seedMasterData(db);
const agency = (await sql<{ id: string }>`select id from agencies where code = '000.00.00.G01'`.execute(db)).rows[0]!
  .id;
const registry = new RegistryService(db, {
  instance: INSTANCE,
  baseUrl: 'http://ndp.bench',
  validityHours: 72,
  resolveAgency: async () => agency,
});

// four provider gateways, each with its signing key (which signs its log's checkpoints)
const gateways: { id: string; key: KeyObject }[] = [];
// one active gateway an agency: four agencies provide
const providers = (await sql<{ id: string }>`select id from agencies order by code limit ${GATEWAYS}`.execute(db)).rows;
for (let g = 0; g < GATEWAYS; g++) {
  const key = generateKeyPairSync('ed25519').privateKey;
  const id = (await sql<{ id: string }>`select gen_random_uuid()::text as id`.execute(db)).rows[0]!.id;
  await sql`insert into exchange_gateways (id, agency_id, address, signing_key, tls_public_key, certificate)
    values (${id}::uuid, ${providers[g]!.id}, ${`https://10.0.0.${g + 5}:8443`}, ${rawEd25519(key).toString('base64')}, 'p', 'c')`.execute(
    db,
  );
  gateways.push({ id, key });
}
const contexts: number[] = [];
for (const purpose of ['verify-residence', 'social-insurance', 'tax', 'health-insurance', null]) {
  await sql`insert into exchange_access_contexts (client, service, purpose, legal_basis) values ('VN/GOV/000.00.00.H01/DVC', 'VN/GOV/000.00.00.G01/CSDLQGDC/citizens', ${purpose}, 'Luật Cư trú 2020')`.execute(
    db,
  );
  contexts.push(
    (await sql<{ id: number }>`select max(id) as id from exchange_access_contexts`.execute(db)).rows[0]!.id,
  );
}

// record i: gateway i mod 4, entry i div 4 of its log; the person's every `stride`-th; times over five years
const person = randomBytes(32);
const stride = Math.floor(RECORDS / READS);
const PERSON_AT = 7;
const perGateway = Math.ceil(RECORDS / GATEWAYS);
const t0 = performance.now();
await sql`set maintenance_work_mem = '1GB'`.execute(db);
// built after the load, as a restore would: the same indexes, sorted instead of grown a row at a time
await sql`alter table exchange_access_records drop constraint exchange_access_records_pkey`.execute(db);
await sql`drop index exchange_access_records_subject`.execute(db);
const CHUNK = 1_000_000;
for (let lo = 0; lo < RECORDS; lo += CHUNK) {
  const hi = Math.min(RECORDS, lo + CHUNK) - 1;
  await sql`insert into exchange_access_records (gateway_id, log_index, message_id, subject, at, context_id, status)
    select (${gateways.map((g) => g.id)}::uuid[])[1 + i % ${GATEWAYS}], i / ${GATEWAYS}, md5(i::text),
      case when i % ${stride} = ${PERSON_AT} then ${person}::bytea else sha256(int8send((i * 7919) % 3000017)) end,
      timestamptz '2021-12-01' + (i * (interval '5 years' / ${RECORDS})), (${contexts}::int[])[1 + i % 5], 200
    from generate_series(${lo}::bigint, ${hi}::bigint) i`.execute(db);
  say(`… ${(hi + 1).toLocaleString('en')} / ${RECORDS.toLocaleString('en')} access records`);
}
await sql`alter table exchange_access_records add primary key (gateway_id, log_index, message_id)`.execute(db);
await sql`create index exchange_access_records_subject on exchange_access_records(subject, at desc)`.execute(db);
say(`… records and their indexes in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

// every gateway's log covered by windows of 16 entries, as large as real ones (incompressible leaves, a frontier as
// long as the start's one bits, a checkpoint note of the usual length); the person's are made real below
const t1 = performance.now();
for (const [g, gw] of gateways.entries()) {
  const windows = Math.ceil(perGateway / WINDOW_LEAVES);
  for (let lo = 0; lo < windows; lo += 50_000) {
    const hi = Math.min(windows, lo + 50_000) - 1;
    await sql`insert into exchange_proof_windows (gateway_id, from_index, tree_size, frontier, leaves, checkpoint)
      select ${gw.id}::uuid, w * ${WINDOW_LEAVES}, least((w + 1) * ${WINDOW_LEAVES}, ${perGateway}::bigint),
        coalesce((select string_agg(sha256(int8send(-w * 100 - k)), ''::bytea) from generate_series(1, length(replace((w * ${WINDOW_LEAVES})::bit(48)::text, '0', ''))) k), ''::bytea),
        (select string_agg(sha256(int8send(${g} * 1000000000000 + w * 100 + k)), ''::bytea) from generate_series(0, ${WINDOW_LEAVES - 1}) k),
        ${`${INSTANCE}/exchange/gateway/${gw.id}`} || E'\n' || ((w + 1) * ${WINDOW_LEAVES}) || E'\n' || encode(sha256(int8send(w)), 'base64') || E'\n\n— '
          || ${`${INSTANCE}/exchange/gateway/${gw.id}`} || ' ' || encode(substr(sha256(int8send(w)) || sha256(int8send(-w)) || sha256(int8send(w + 1)), 1, 68), 'base64') || E'\n'
      from generate_series(${lo}::bigint, ${hi}::bigint) w`.execute(db);
  }
  say(`… proof windows of gateway ${g + 1} of ${GATEWAYS}`);
}

// the person's windows, real: each gateway's tree over synthetic leaf hashes, its right edge at each window's start
const leafOf = (g: number, k: number) => {
  const b = Buffer.alloc(9);
  b.writeUInt8(g, 0);
  b.writeBigUInt64BE(BigInt(k), 1);
  return createHash('sha256').update(b).digest();
};
const needed = new Map<number, Set<number>>();
for (let i = PERSON_AT; i < RECORDS; i += stride) {
  const g = i % GATEWAYS;
  const set = needed.get(g) ?? new Set<number>();
  set.add(Math.floor(Math.floor(i / GATEWAYS) / WINDOW_LEAVES));
  needed.set(g, set);
}
for (const [g, set] of needed) {
  const gw = gateways[g]!;
  const origin = `${INSTANCE}/exchange/gateway/${gw.id}`;
  const range = new CompactRange();
  for (const w of [...set].sort((a, b) => a - b)) {
    const from = w * WINDOW_LEAVES;
    const to = Math.min(from + WINDOW_LEAVES, perGateway);
    while (range.size < from) range.append(leafOf(g, range.size));
    const frontier = Buffer.concat(range.hashes());
    const leaves: Buffer[] = [];
    const end = new CompactRange();
    end.restore(from, range.hashes());
    for (let k = from; k < to; k++) {
      leaves.push(leafOf(g, k));
      end.append(leaves[leaves.length - 1]!);
    }
    const checkpoint = signCheckpoint({ origin, size: to, root: end.root() }, origin, gw.key);
    await sql`update exchange_proof_windows set frontier = ${frontier}, leaves = ${Buffer.concat(leaves)}, checkpoint = ${checkpoint}, tree_size = ${to}
      where gateway_id = ${gw.id}::uuid and from_index = ${from}`.execute(db);
  }
}
await sql`vacuum analyze exchange_access_records`.execute(db);
await sql`vacuum analyze exchange_proof_windows`.execute(db);
const size = async (t: string) =>
  Number((await sql<{ b: string }>`select pg_total_relation_size(${t}::regclass)::text as b`.execute(db)).rows[0]!.b);
const windowBytes = await size('exchange_proof_windows');
say(`… proof windows in ${((performance.now() - t1) / 1000).toFixed(0)} s`);

const subjects = [person.toString('hex')];
type Before = { at: Date; gatewayId: string; logIndex: number } | null;
/** One page as "my data" shows it: the records, then their proofs. */
const pageWithProofs = async (before: Before) => {
  const rows = await registry.recordsOfSubject(subjects, PAGE, before ?? undefined);
  const proofs = await registry.recordProofs(
    rows.map((r) => ({ gatewayId: r.gateway_id, logIndex: Number(r.log_index) })),
  );
  return { rows, proofs };
};
/** The reference: the same page by the bare SQL lookup (the statement `subjectRecords` runs), no proofs. */
const barePage = async (before: Before) => {
  const at = before?.at ?? null;
  const r = await sql<{
    at: Date;
    gateway_id: string;
    log_index: string;
  }>`select r.at, r.message_id, c.client, c.service, c.purpose, c.legal_basis, c.represented_party, r.status, r.gateway_id, r.log_index, r.consent_id
      from exchange_access_records r join exchange_access_contexts c on c.id = r.context_id
      where r.subject in (select decode(s, 'hex') from unnest(${subjects}::text[]) as s)
        and (${at}::timestamptz is null or (r.at, r.gateway_id, r.log_index) < (${at}::timestamptz, ${before?.gatewayId ?? null}::uuid, ${before?.logIndex ?? null}::bigint))
      order by r.at desc, r.gateway_id desc, r.log_index desc limit ${PAGE}`.execute(db);
  return { rows: r.rows };
};
const next = (rows: { at: Date; gateway_id: string; log_index: string | number }[]): Before => {
  const last = rows[rows.length - 1];
  return rows.length < PAGE || !last
    ? null
    : { at: new Date(last.at), gatewayId: last.gateway_id, logIndex: Number(last.log_index) };
};

// every page once, every proof checked: what is timed is right
let checked = 0;
for (let before: Before = null, first = true; first || before; first = false) {
  const { rows, proofs } = await pageWithProofs(before);
  for (const p of proofs) {
    if (!p) throw new Error('a record of the person has no proof');
    const r = verifyRecordProof(p);
    if (!r.ok) throw new Error(`a proof does not verify: ${r.reason.en}`);
    checked++;
  }
  before = next(rows);
}
say(`… ${checked} records of the person, every proof verifies`);

/** `CLIENTS` clients paging through the person's records for `SECONDS`, each page timed. */
async function load(
  page: (before: Before) => Promise<{ rows: { at: Date; gateway_id: string; log_index: string | number }[] }>,
) {
  const times: number[] = [];
  const until = performance.now() + SECONDS * 1000;
  const warm = performance.now() + 2000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      let before: Before = null;
      while (performance.now() < until) {
        const t = performance.now();
        const { rows } = await page(before);
        if (t >= warm) times.push(performance.now() - t);
        before = next(rows);
      }
    }),
  );
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
  return {
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
    perSecond: times.length / ((until - Math.max(warm, started)) / 1000),
  };
}
const ours = await load(pageWithProofs);
const bare = await load(barePage);
const line = (label: string, r: Awaited<ReturnType<typeof load>>) =>
  `  ${label.padEnd(40)} p50 ${r.p50.toFixed(1).padStart(6)} ms  p95 ${r.p95.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  ${r.perSecond.toFixed(0).padStart(6)} pages/s\n`;
process.stdout.write(
  `\nmy data: a page of ${PAGE} of one person's ${checked} reads among ${RECORDS.toLocaleString('en')} access records (${GATEWAYS} gateways), PostgreSQL, ${CLIENTS} clients, ${SECONDS} s each, same run\n`,
);
process.stdout.write(line('records with their proofs (the façade)', ours));
process.stdout.write(line('bare SQL lookup of the page (reference)', bare));
process.stdout.write(
  `  proof windows: ${(windowBytes / 1024 ** 2).toFixed(0)} MiB on disk, ${(windowBytes / RECORDS).toFixed(1)} B a log entry; access records ${((await size('exchange_access_records')) / RECORDS).toFixed(1)} B a record\n`,
);
process.stdout.write(`  target: p95 under 50 ms — ${ours.p95 < 50 ? 'met' : 'NOT MET'}\n`);
await target.drop();
process.exit(0);
