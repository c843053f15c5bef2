import type http from 'node:http';
import type { GatewayContext } from './context.js';
import { listClients } from './metaservices.js';
import { quotaUse } from './reporting.js';
import { sendXRoadError, XRoadError } from '../protocol/xroad-errors.js';

/** The gateway's own pages on its internal side. */
export function admin(ctx: GatewayContext, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  // every exchange passes here first: its path is told apart without parsing a URL
  if (req.method !== 'GET' || req.url?.startsWith('/r1/')) return false;
  const url = new URL(req.url ?? '/', 'http://gateway');
  const json = (status: number, body: unknown) => {
    const b = JSON.stringify(body);
    res
      .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(b) })
      .end(b);
  };
  if (req.method !== 'GET') return false;
  switch (url.pathname) {
    case '/health': {
      const config = ctx.holder.status();
      const log = ctx.log.status();
      json(config.valid && !log.failing ? 200 : 503, {
        status: config.valid && !log.failing ? 'ok' : 'degraded',
        configuration: config,
        log,
        accessRecords: {
          waiting: ctx.accessRecords.length,
          spooledBytes: ctx.accessRecords.spooledBytes,
          dropped: ctx.accessRecords.dropped,
          rejected: ctx.accessRecords.rejected,
        },
      });
      return true;
    }
    case '/metrics': {
      const body = ctx.metrics.prometheus({
        signing: {
          signatures: ctx.signer.signatures,
          signed: ctx.signer.messages,
          checks: ctx.verifier.checks,
          verified: ctx.verifier.messages,
        },
        log: ctx.log.status(),
        config: ctx.holder.status(),
        quotas: quotaUse(ctx),
        accessRecords: {
          waiting: ctx.accessRecords.length,
          spooledBytes: ctx.accessRecords.spooledBytes,
          dropped: ctx.accessRecords.dropped,
          rejected: ctx.accessRecords.rejected,
        },
      });
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(body);
      return true;
    }
    case '/listClients': {
      const view = ctx.holder.current();
      if (!view) {
        sendXRoadError(res, new XRoadError('Server.ClientProxy.OutdatedGlobalConf'));
        return true;
      }
      json(200, listClients(view));
      return true;
    }
    case '/log/checkpoint': {
      const note = ctx.log.latestCheckpoint();
      if (!note) {
        json(404, { error: 'no checkpoint yet' });
        return true;
      }
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(note);
      return true;
    }
    case '/log/proof/inclusion':
    case '/log/proof/consistency': {
      const a = Number(url.searchParams.get(url.pathname.endsWith('inclusion') ? 'index' : 'from'));
      const b = Number(url.searchParams.get(url.pathname.endsWith('inclusion') ? 'size' : 'to'));
      if (
        !Number.isInteger(a) ||
        !Number.isInteger(b) ||
        a < 0 ||
        b > ctx.log.size ||
        (url.pathname.endsWith('inclusion') ? a >= b : a > b)
      ) {
        json(400, { error: 'index/size or from/to out of range', size: ctx.log.size });
        return true;
      }
      // read from the log's files: answered when ready, a failure said as one
      const inclusion = url.pathname.endsWith('inclusion');
      void Promise.all([
        inclusion ? ctx.log.inclusion(a, b) : ctx.log.consistency(a, b),
        inclusion ? ctx.log.leafAt(a) : undefined,
      ]).then(
        ([proof, leaf]) =>
          json(200, {
            proof: proof.map((p) => p.toString('base64')),
            ...(leaf ? { leaf: leaf.toString('base64') } : {}),
          }),
        (err: Error) => json(500, { error: `the proof could not be read from the log: ${err.message}` }),
      );
      return true;
    }
    default:
      return false;
  }
}
