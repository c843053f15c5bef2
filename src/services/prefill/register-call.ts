import { Agent, request } from 'undici';
import type { DeskCredentials } from '../procedures/procedure.js';

/** A register's answer is one person's record: anything larger is not one, and is not read to the end. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/** Refusals of the right to read (X-Road's and ndp's provider faults): the field is `refused`, not `unavailable`. */
const ACCESS_FAULTS = new Set(['Server.ServerProxy.AccessDenied', 'Server.ServerProxy.PersonMismatch']);
const CONSENT_FAULTS = new Set([
  'Server.ServerProxy.ConsentRequired',
  'Server.ServerProxy.ConsentRefused',
  'Server.ServerProxy.ConsentWithdrawn',
]);

/** What one call through the desk's gateway came to. */
export type CallOutcome =
  | { kind: 'ok'; body: unknown }
  | { kind: 'not_found' }
  | { kind: 'refused'; consent: boolean; fault: string }
  | { kind: 'timeout' }
  | { kind: 'unavailable'; why: string };

export interface CallHeaders {
  /** the procedure's code: the grant's purpose */
  purpose: string;
  /** `VN` and the person's id number */
  userId: string;
  /** `<procedure code> <prefill id>`: both evidence logs tie the fetch to this prefill */
  issue: string;
  /** the person's consent artefact, for a grant whose basis is consent */
  consent?: string;
}

// keep-alive connections to the desks' gateways, shared by every prefill (the fetches of one overlap)
const dispatcher = new Agent({ connections: 64, keepAliveTimeout: 30_000, pipelining: 1 });

/**
 * GET `{gateway}/r1/{service}{path}` as the deciding agency's system: its client and API key, the procedure as purpose,
 * the person as X-Road-UserId. `signal` is the desk's deadline for the whole prefill.
 */
export async function callRegister(
  desk: DeskCredentials,
  service: string,
  path: string,
  h: CallHeaders,
  signal: AbortSignal,
): Promise<CallOutcome> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'x-road-client': desk.client,
    'x-ndp-api-key': desk.apiKey,
    'x-ndp-purpose': h.purpose,
    'x-road-userid': h.userId,
    'x-road-issue': h.issue,
  };
  if (h.consent) headers['x-ndp-consent'] = h.consent;
  try {
    const res = await request(`${desk.gatewayUrl}/r1/${service}${path}`, {
      method: 'GET',
      headers,
      signal,
      dispatcher,
    });
    const fault = String(res.headers['x-road-error'] ?? '');
    if (res.statusCode >= 200 && res.statusCode < 300 && !fault) {
      const text = await readBounded(res.body);
      if (text === undefined) return { kind: 'unavailable', why: 'answer too large' };
      try {
        return { kind: 'ok', body: JSON.parse(text) };
      } catch {
        return { kind: 'unavailable', why: 'answer not JSON' };
      }
    }
    await res.body.dump();
    if (ACCESS_FAULTS.has(fault)) return { kind: 'refused', consent: false, fault };
    if (CONSENT_FAULTS.has(fault)) return { kind: 'refused', consent: true, fault };
    // a 404 of the register itself (no X-Road fault): it holds no one by that id
    if (res.statusCode === 404 && !fault) return { kind: 'not_found' };
    return { kind: 'unavailable', why: fault || `HTTP ${res.statusCode}` };
  } catch (err) {
    if (signal.aborted) return { kind: 'timeout' };
    return { kind: 'unavailable', why: (err as Error).message };
  }
}

async function readBounded(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_ANSWER_BYTES) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
