// The reference hop: a bare reverse proxy (keep-alive, no TLS, no signing, no grants, no log), as lean as Node allows
// while doing what any reverse proxy does: the request's and the response's end-to-end headers are passed on
// (RFC 9110 §7.6.1), the hop-by-hop ones are not — as the gateways pass theirs.
import http from 'node:http';
import { Pool } from 'undici';

const [port, target, strip] = process.argv.slice(2);
const pool = new Pool(target!, { connections: 64, pipelining: 1, keepAliveTimeout: 30_000 });
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);
const endToEnd = (headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> => {
  const out: Record<string, string | string[]> = {};
  for (const n in headers) {
    const v = headers[n];
    if (v !== undefined && !HOP_BY_HOP.has(n)) out[n] = v;
  }
  return out;
};
const server = http.createServer(async (req, res) => {
  try {
    const path = strip ? (req.url ?? '/').replace(new RegExp(`^${strip}`), '') : (req.url ?? '/');
    const r = await pool.request({ method: req.method as 'GET', path, headers: endToEnd(req.headers) });
    const body = Buffer.from(await r.body.arrayBuffer());
    const headers: Record<string, string | string[] | number> = endToEnd(
      r.headers as Record<string, string | string[]>,
    );
    headers['content-length'] = body.length;
    res.writeHead(r.statusCode, headers).end(body);
  } catch (err) {
    res.writeHead(502).end(String(err));
  }
});
server.keepAliveTimeout = 65_000;
server.listen(Number(port), '127.0.0.1', () =>
  process.stdout.write(`${JSON.stringify({ ready: true, port: (server.address() as { port: number }).port })}\n`),
);
