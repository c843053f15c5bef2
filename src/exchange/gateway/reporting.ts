import type { GatewayContext } from './context.js';
import type { GatewayOptions } from './gateway.js';
import { groupAccessRecords } from '../protocol/access-records.js';
import { validUserId } from '../protocol/identifiers.js';
import { signRegistryCall } from '../protocol/signing.js';

type RegistryCalls = Pick<GatewayOptions, 'anchor' | 'gatewayId'>;

/** A gateway's reports to the registry: its checkpoint and figures every 10 s, the subject access records every second. */
const RECORDS_PER_CALL = 2000;
/** Sends the checkpoint, the figures and the first access records waiting. */
export async function report(ctx: GatewayContext, o: RegistryCalls): Promise<void> {
  await post(ctx, o, {
    checkpoint: ctx.log.latestCheckpoint(),
    metrics: {
      services: ctx.metrics.summary(),
      quotas: quotaUse(ctx),
      log: ctx.log.status(),
      configuration: ctx.holder.status(),
      accessRecordsWaiting: ctx.accessRecords.length,
      accessRecordsSpooledBytes: ctx.accessRecords.spooledBytes,
      accessRecordsDropped: ctx.accessRecords.dropped,
      proofWindowsWaiting: ctx.accessRecords.windows.length,
      proofWindowsRefused: ctx.accessRecords.windows.refused,
      proofWindowsDropped: ctx.accessRecords.windows.dropped,
      consents: ctx.consents.status(),
    },
  });
}

/**
 * Sends the access records waiting: one call, and more only while full batches wait (a backlog after an outage) —
 * the few that arrive during a call wait for the next second rather than make a call of their own.
 */
export async function shipAccessRecords(ctx: GatewayContext, o: RegistryCalls, all = false): Promise<void> {
  let calls = 0;
  let sent = 0;
  if (ctx.accessRecords.length || ctx.accessRecords.spooledBytes)
    do sent = await post(ctx, o, {});
    while (
      ++calls < 50 &&
      sent > 0 &&
      (ctx.accessRecords.length >= (all ? 1 : RECORDS_PER_CALL) || ctx.accessRecords.spooledBytes > 0)
    );
  // then the proof windows of the entries the log has written (a few calls at most: a backlog goes over seconds)
  for (let n = 0; n < (all ? 50 : 5) && (await shipProofWindows(ctx, o)) > 0; n++);
}

/** Whether anything waits for the registry: access records, or their proof windows. */
export const waitingForRegistry = (ctx: GatewayContext): boolean =>
  ctx.accessRecords.length > 0 || ctx.accessRecords.spooledBytes > 0 || ctx.accessRecords.windows.length > 0;

/**
 * Sends the registry the proof windows of the first entries waiting (`proof-windows.ts`), in a signed call of its
 * own: a window the registry refuses (it found it wrong) is counted and let go without holding back the records.
 * Returns how many entries' windows went.
 */
export async function shipProofWindows(ctx: GatewayContext, o: RegistryCalls): Promise<number> {
  const queue = ctx.accessRecords.windows;
  if (!queue.length) return 0;
  let built: Awaited<ReturnType<typeof queue.build>>;
  try {
    built = await queue.build(ctx.log);
  } catch (err) {
    queue.retry();
    throw err;
  }
  if (!built.count) return 0;
  const body = Buffer.from(JSON.stringify({ windows: built.windows }));
  const res = await signedPost(ctx, o, '/api/v1/exchange/proof-windows', body).catch((err: Error) => {
    queue.retry();
    throw err;
  });
  if (res.ok) {
    queue.done(built.count);
    return built.count;
  }
  const why = `the registry answered ${res.status}: ${(await res.text()).slice(0, 300)}`;
  if (res.status === 400 || res.status === 413) {
    queue.refused += built.windows.length;
    queue.done(built.count);
    throw new Error(`${why} — ${built.windows.length} proof windows refused by the registry and not sent again`);
  }
  queue.retry();
  throw new Error(why);
}

function signedPost(
  ctx: GatewayContext,
  o: RegistryCalls,
  pathname: string,
  body: Buffer<ArrayBuffer>,
): Promise<Response> {
  const timestamp = new Date().toISOString();
  return fetch(new URL(pathname, o.anchor.registryUrl), {
    method: 'POST',
    body,
    signal: AbortSignal.timeout(10_000),
    headers: {
      'content-type': 'application/json',
      'x-ndp-gateway': o.gatewayId,
      'x-ndp-timestamp': timestamp,
      'x-ndp-signature': signRegistryCall('POST', pathname, timestamp, body, ctx.signing),
    },
  });
}

/** One report to the registry, with the first access records waiting; returns how many records it carried. */
async function post(
  ctx: GatewayContext,
  o: RegistryCalls,
  content: { checkpoint?: string; metrics?: unknown },
): Promise<number> {
  await ctx.accessRecords.refill(RECORDS_PER_CALL);
  // a record the registry cannot take would have its whole report refused: such a record (none is made from a request
  // the gateways accepted, but one may wait in a spool from before) is counted and let go here
  const taken = ctx.accessRecords.take(RECORDS_PER_CALL);
  const records = taken.filter((r) => {
    if (validUserId(r.subject) && r.id.length <= 200 && Number.isInteger(r.index)) return true;
    ctx.accessRecords.rejected++;
    return false;
  });
  const body = Buffer.from(JSON.stringify({ ...content, accessRecordGroups: groupAccessRecords(records) }));
  let refused = false;
  try {
    const res = await signedPost(ctx, o, '/api/v1/exchange/reports', body);
    if (!res.ok) {
      const why = `the registry answered ${res.status}: ${(await res.text()).slice(0, 300)}`;
      // a report the registry finds malformed would be refused again and again, holding back every record after it:
      // its records are counted and let go (each exchange is still in the evidence log), the next report goes on
      if ((res.status === 400 || res.status === 413) && records.length) {
        ctx.accessRecords.rejected += records.length;
        refused = true;
        throw new Error(`${why} — ${records.length} access records refused by the registry and not sent again`);
      }
      throw new Error(why);
    }
  } catch (err) {
    // the invalid ones were let go above: only the rest come back
    if (!refused) ctx.accessRecords.giveBack(records);
    ctx.accessRecords.done(taken);
    throw err;
  }
  ctx.accessRecords.done(taken);
  return records.length;
}

/** Today's use of each daily quota this gateway enforces. */
export function quotaUse(ctx: GatewayContext): { grant: string; quota: number; used: number }[] {
  const view = ctx.holder.current();
  return (view?.c.grants ?? [])
    .filter((g) => g.dailyQuota !== null && g.service.memberCode === view!.self.memberCode)
    .map((g) => ({ grant: g.id, quota: g.dailyQuota!, used: ctx.limits.used(g.id) }));
}

/** A signed GET to the registry (the path with its query is what is signed), its JSON answer. */
export async function registryGet<T>(ctx: GatewayContext, o: RegistryCalls, pathname: string): Promise<T> {
  const timestamp = new Date().toISOString();
  const res = await fetch(new URL(pathname, o.anchor.registryUrl), {
    signal: AbortSignal.timeout(5_000),
    headers: {
      'x-ndp-gateway': o.gatewayId,
      'x-ndp-timestamp': timestamp,
      'x-ndp-signature': signRegistryCall('GET', pathname, timestamp, Buffer.alloc(0), ctx.signing),
    },
  });
  if (!res.ok) throw new Error(`the registry answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return (await res.json()) as T;
}
