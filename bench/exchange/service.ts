// The benchmark's provider service: GET /citizens/{id} answered by one indexed PostgreSQL read.
import http from 'node:http';
import pg from 'pg';

const [port, url] = process.argv.slice(2);
// a service keeps its connections (pg's default closes them after 10 s idle, and reopening several at once stalls it)
const pool = new pg.Pool({ connectionString: url, max: 16, idleTimeoutMillis: 0 });
const server = http.createServer(async (req, res) => {
  const m = /^\/citizens\/([0-9]{12})$/.exec(req.url ?? '');
  if (!m) {
    res.writeHead(404).end();
    return;
  }
  try {
    const r = await pool.query({ name: 'person', text: 'select doc from bench_people where id = $1', values: [m[1]] });
    const body = r.rows.length ? JSON.stringify(r.rows[0].doc) : '{"error":"not_found"}';
    res
      .writeHead(r.rows.length ? 200 : 404, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
      })
      .end(body);
  } catch (err) {
    res.writeHead(500).end(String(err));
  }
});
server.keepAliveTimeout = 65_000;
server.listen(Number(port), '127.0.0.1', () =>
  process.stdout.write(`${JSON.stringify({ ready: true, port: (server.address() as { port: number }).port })}\n`),
);
