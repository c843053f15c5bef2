import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Gateway } from '../exchange/gateway/gateway.js';
import { gatewayKeys } from '../exchange/protocol/pki.js';
import { verifyLog } from '../exchange/evidence/log-verify.js';
import { checkSeals, type LoggedExchange } from '../exchange/evidence/seals.js';
import { LOG_START, closedSegments, currentStart, forEachLogLine } from '../exchange/evidence/segments.js';
import { LOG_FILES } from '../exchange/evidence/evidence-log.js';
import { X509Certificate, type KeyObject } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { Anchor } from '../exchange/protocol/configuration.js';

const hostPort = (v: string, what: string): { host: string; port: number } => {
  const m = /^(?:\[?([^\]]*)\]?:)?(\d{1,5})$/.exec(v);
  if (!m || Number(m[2]) > 65535) throw new Error(`${what} must be host:port or port, not “${v}”`);
  return { host: m[1] || '127.0.0.1', port: Number(m[2]) };
};

/** `ndp gateway init`: makes the gateway's keys and prints what its agency's administrator registers. */
export async function gatewayInitCommand(o: { dir: string; address: string; agency: string }): Promise<void> {
  const keys = await gatewayKeys(path.join(path.resolve(o.dir), 'keys'));
  process.stdout.write(
    `${JSON.stringify({ agency: o.agency, address: o.address, signingKey: keys.signingPublic, tlsPublicKey: keys.tlsPublicPem }, null, 2)}\n`,
  );
  process.stderr.write(
    'Register it: POST /api/v1/exchange/gateways with this body (an agency administrator’s token), then start the gateway with the id it returns.\n',
  );
}

/** `ndp gateway run`: runs until stopped. */
export async function gatewayRunCommand(o: {
  dir: string;
  anchor: string;
  id: string;
  listen: string;
  listenTls?: string;
  peerListen: string;
  configInterval: string;
  reportInterval: string;
  grace?: string;
}): Promise<void> {
  const anchor = JSON.parse(await readFile(o.anchor, 'utf8')) as Anchor;
  if (!anchor.instance || !anchor.registryUrl || !anchor.signingKey)
    throw new Error('the anchor file needs instance, registryUrl and signingKey (GET /api/v1/exchange/anchor)');
  const log = (e: { level: string; msg: string }) =>
    process.stderr.write(`${new Date().toISOString()} ${e.level} ${e.msg}\n`);
  const gateway = await Gateway.start({
    dir: path.resolve(o.dir),
    anchor,
    gatewayId: o.id,
    consumer: hostPort(o.listen, '--listen'),
    provider: hostPort(o.peerListen, '--peer-listen'),
    ...(o.listenTls ? { consumerTls: hostPort(o.listenTls, '--listen-tls') } : {}),
    configIntervalMs: Number(o.configInterval) * 1000,
    reportIntervalMs: Number(o.reportInterval) * 1000,
    graceMs: o.grace ? Number(o.grace) * 1000 : undefined,
    onEvent: log,
    // NDP_GATEWAY_LINK=off: HTTPS per exchange to other gateways, as an X-Road-style peer would (for comparing, or a middlebox that needs HTTP)
    link: process.env.NDP_GATEWAY_LINK !== 'off',
  });
  // a line the parent process (tests, the demo) waits for
  process.stdout.write(
    `${JSON.stringify({ ready: true, consumerPort: gateway.consumerPort, consumerTlsPort: gateway.consumerTlsPort, providerPort: gateway.providerPort, pid: process.pid })}\n`,
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await gateway.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  // started by bin/ndp.js with its heap settings: when that process goes, even killed outright, so does the gateway
  if (process.channel) {
    process.once('disconnect', () => void stop());
    process.channel.unref();
  }
}

/** `ndp log verify`: exits 1 when any check fails. */
export async function logVerifyCommand(
  dir: string,
  o: { key?: string; checkpoint?: string; archive?: string[] },
): Promise<void> {
  const trusted = o.checkpoint ? await readFile(o.checkpoint, 'utf8') : undefined;
  const report = await verifyLog(path.resolve(dir), {
    vkey: o.key,
    trusted,
    archives: (o.archive ?? []).map((a) => path.resolve(a)),
    progress: (line) => process.stderr.write(`… ${line}\n`),
  });
  for (const n of report.notes) process.stderr.write(`note: ${n}\n`);
  if (report.ok) {
    process.stdout.write(
      `OK: ${report.entries} entries, ${report.checkpoints} signed checkpoints; latest: size ${report.latest?.size ?? 0}, root ${report.latest?.root.toString('base64') ?? '-'}\n`,
    );
    return;
  }
  process.stdout.write(
    `FAILED: ${report.problems.length} problem(s)\n${report.problems.map((p) => `  - ${p}\n`).join('')}`,
  );
  process.exitCode = 1;
}

/** `ndp log seals`: each entry of one exchange, and whether the seals it keeps verify. Exits 1 if one does not. */
export async function logSealsCommand(
  dir: string,
  id: string,
  o: { cert: string[]; user?: string; archive?: string[] },
): Promise<void> {
  const keys = new Map<string, KeyObject>();
  for (const file of o.cert) {
    const cert = new X509Certificate(await readFile(file));
    // gateway certificates name the gateway's id as their subject's common name
    const cn = /CN=([0-9a-f-]{36})/.exec(cert.subject)?.[1];
    if (cn) keys.set(cn, cert.publicKey);
  }
  const entries: LoggedExchange[] = [];
  const logDir = path.resolve(dir);
  const file = await open(path.join(logDir, LOG_FILES.entries), 'r');
  const needle = Buffer.from(JSON.stringify(id));
  let archived = 0;
  try {
    // every segment here, compressed or not; those moved to an archive are named
    const archives = (o.archive ?? []).map((a) => path.resolve(a));
    await forEachLogLine(
      logDir,
      { file, start: await currentStart(logDir, await closedSegments(logDir, archives)) },
      LOG_START,
      (line) => {
        if (line.includes(needle)) {
          const e = JSON.parse(line.toString('utf8')) as LoggedExchange;
          if (e.id === id) entries.push(e);
        }
      },
      {
        archives,
        onMissing: async (from, to) => {
          archived += to - from;
        },
      },
    );
  } finally {
    await file.close();
  }
  if (archived)
    process.stdout.write(
      `${archived.toLocaleString('en')} entries are in segments not in ${path.join(logDir, 'segments')} (archived?): not searched; give the folder they are kept in with --archive\n`,
    );
  if (!entries.length) {
    process.stdout.write(`no entry for ${id}\n`);
    process.exitCode = 1;
    return;
  }
  const word = (v: boolean | null) => (v === null ? 'not kept or gateway unknown' : v ? 'verifies' : 'DOES NOT VERIFY');
  for (const e of entries) {
    const r = checkSeals(e, { keyOf: (g) => keys.get(g), userId: o.user });
    process.stdout.write(
      `${(e as { side?: string }).side ?? '?'} entry, status ${e.status}: request seal ${word(r.request)}, response seal ${word(r.response)}${e.user && !o.user ? ' (the request named a person: give --user to check its seal)' : ''}\n`,
    );
    if (r.request === false || r.response === false) process.exitCode = 1;
  }
}
