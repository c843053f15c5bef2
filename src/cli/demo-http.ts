import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a demo register's handler answers: a status and a JSON body. */
export interface JsonAnswer {
  status: number;
  body: unknown;
}

export interface DemoService {
  url: string;
  close(): Promise<void>;
}

/**
 * A demo register's HTTP service on loopback: every answer JSON. `onRequest` sees each request's headers, as a real
 * service would keep its own record of who asked (the X-Road headers its gateway adds).
 */
export async function serveJson(
  port: number,
  handle: (method: string, url: string) => JsonAnswer,
  onRequest?: (headers: http.IncomingHttpHeaders) => void,
): Promise<DemoService> {
  const server = http.createServer((req, res) => {
    onRequest?.(req.headers);
    const { status, body } = handle(req.method ?? 'GET', req.url ?? '/');
    const b = JSON.stringify(body);
    res
      .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(b) })
      .end(b);
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** An OpenAPI GET operation on a path whose `{id}` is the person's id number (`x-ndp-person`: the provider's gateway lets only a call naming them read it). */
export const personOperation = (operationId: string, description: string) => ({
  get: {
    operationId,
    parameters: [
      {
        name: 'id',
        in: 'path',
        required: true,
        'x-ndp-person': true,
        schema: { type: 'string', pattern: '^[0-9]{12}$' },
      },
    ],
    responses: { 200: { description }, 404: { description: 'no such person' } },
  },
});
