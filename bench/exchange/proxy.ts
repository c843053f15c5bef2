// The reference hop: a bare reverse proxy (keep-alive, no TLS, no signing, no grants, no log), as lean as Node allows.
import http from 'node:http';
import { Pool } from 'undici';

const [port, target, strip] = process.argv.slice(2);
const pool = new Pool(target!, { connections: 64, pipelining: 1, keepAliveTimeout: 30_000 });
const server = http.createServer(async (req, res) => {
  try {
    const path = strip ? (req.url ?? '/').replace(new RegExp(`^${strip}`), '') : req.url ?? '/';
    const r = await pool.request({ method: req.method as 'GET', path, headers: { accept: req.headers.accept ?? 'application/json' } });
    const body = Buffer.from(await r.body.arrayBuffer());
    res.writeHead(r.statusCode, { 'content-type': String(r.headers['content-type'] ?? 'application/json'), 'content-length': body.length }).end(body);
  } catch (err) {
    res.writeHead(502).end(String(err));
  }
});
server.keepAliveTimeout = 65_000;
server.listen(Number(port), '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ ready: true, port: (server.address() as { port: number }).port })}\n`));
