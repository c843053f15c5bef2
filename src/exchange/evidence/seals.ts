import type { KeyObject } from 'node:crypto';
import { BatchVerifier } from '../protocol/batch-signing.js';
import { parseSeal, verifyRequest, verifyResponse } from '../protocol/signing.js';

/**
 * What an evidence log entry can prove later: that the consumer's gateway signed the request and the
 * provider's gateway signed the response, as X-Road's message log does. The entry keeps both seals and
 * what they were made over, except the person's id (only its keyed hash is kept): whoever checks a
 * request that named a person gives that id, as the person or their data protection officer can.
 */
export interface LoggedExchange {
  id: string;
  method: string | null;
  target?: string | null;
  client: string | null;
  service: string;
  user: string | null;
  purpose: string | null;
  issue: string | null;
  represented?: string;
  status: number;
  requestBody: string | null;
  requestHash: string | null;
  responseBody: string | null;
  seals?: { request: string | null; response: string | null };
}
export interface SealCheck {
  request: boolean | null;
  response: boolean | null;
}

/** Each seal: true (it verifies with its gateway's key), false (it does not), null (none kept, or the gateway is unknown). */
export function checkSeals(
  e: LoggedExchange,
  o: { keyOf: (gatewayId: string) => KeyObject | undefined; userId?: string },
): SealCheck {
  const verifier = new BatchVerifier();
  const check = (
    text: string | null | undefined,
    verify: (seal: { gateway: string; timestamp: string; signature: string }, key: KeyObject) => boolean,
  ): boolean | null => {
    const seal = text ? parseSeal(text) : undefined;
    if (!seal) return null;
    const key = o.keyOf(seal.gateway);
    return key ? verify(seal, key) : null;
  };
  return {
    request:
      e.target && e.method && e.client
        ? check(e.seals?.request, (s, key) =>
            verifyRequest(
              {
                method: e.method!,
                target: e.target!,
                client: e.client!,
                service: e.service,
                id: e.id,
                userId: e.user ? (o.userId ?? '') : '',
                issue: e.issue ?? '',
                purpose: e.purpose ?? '',
                timestamp: s.timestamp,
                bodyHash: e.requestBody ?? '',
                gateway: s.gateway,
                representedParty: e.represented,
              },
              s.signature,
              verifier,
              key,
              s.gateway,
            ),
          )
        : null,
    // a provider's gateway that refused a request before reading it signs its answer with no request hash
    response: check(e.seals?.response, (s, key) =>
      [e.requestHash ?? '', ''].some((requestHash) =>
        verifyResponse(
          {
            id: e.id,
            status: e.status,
            requestHash,
            bodyHash: e.responseBody ?? '',
            timestamp: s.timestamp,
            gateway: s.gateway,
          },
          s.signature,
          verifier,
          key,
          s.gateway,
        ),
      ),
    ),
  };
}
