import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import {
  FrameReader,
  LINK_PROTOCOL,
  LinkProtocolError,
  encodeRequest,
  encodeResponse,
  type Frame,
  type LinkRequest,
  type LinkResponse,
} from './link-frames.js';
import { LinkClient, LinkUnsupported } from './link-client.js';
import { serveLink } from './link-server.js';
import { certificatePin, createCaCertificate, generateTlsKey, issueGatewayCertificate } from '../protocol/pki.js';
import { ProviderGateways, pinOfPeer } from './consumer.js';
import type { ConfigView } from './config-holder.js';
import type { GatewayContext } from './context.js';

const request = (target: string, body = Buffer.alloc(0)): LinkRequest => ({
  method: 'GET',
  target,
  headers: { 'x-road-id': target, accept: 'application/json' },
  body,
});

describe('link frames', () => {
  it('come out whole and in order however the bytes are cut', () => {
    const frames = [
      encodeRequest(1, request('/a')),
      encodeResponse(7, { status: 201, headers: { 'set-cookie': ['a', 'b'] }, body: Buffer.from('héllo') }),
      encodeRequest(0xffff_fffe, request('/c', Buffer.alloc(70_000, 1))),
    ];
    const all = Buffer.concat(frames);
    for (const cut of [1, 3, 13, 100, 4096, all.length]) {
      const got: Frame[] = [];
      const reader = new FrameReader(1 << 20, (f) => got.push(f));
      for (let i = 0; i < all.length; i += cut) reader.push(all.subarray(i, i + cut));
      expect(got.map((f) => f.stream)).toEqual([1, 7, 0xffff_fffe]);
      const [a, b, c] = got as [Extract<Frame, { kind: 1 }>, Extract<Frame, { kind: 2 }>, Extract<Frame, { kind: 1 }>];
      expect(a.request).toMatchObject({ method: 'GET', target: '/a', headers: { 'x-road-id': '/a' } });
      expect(b.response.status).toBe(201);
      expect(b.response.headers['set-cookie']).toEqual(['a', 'b']);
      expect(b.response.body.toString()).toBe('héllo');
      expect(c.request.body.length).toBe(70_000);
    }
  });

  it('refuse what is too large or malformed, so the connection is closed rather than misread', () => {
    const reader = (max = 1 << 20) => new FrameReader(max, () => undefined);
    expect(() => reader(1000).push(encodeRequest(1, request('/x', Buffer.alloc(2000))))).toThrow(LinkProtocolError);
    const bad = (head: string, kind = 1) => {
      const f = Buffer.alloc(13 + Buffer.byteLength(head));
      f.writeUInt32BE(9 + Buffer.byteLength(head), 0);
      f.writeUInt32BE(1, 4);
      f[8] = kind;
      f.writeUInt32BE(Buffer.byteLength(head), 9);
      f.write(head, 13);
      return f;
    };
    for (const head of [
      'not json',
      '[]',
      '{"m":"GET","t":"/x"}',
      '{"m":"get","t":"/x","h":{}}',
      '{"m":"GET","t":"x","h":{}}',
      '{"m":"GET","t":"/x","h":{"A":"b"}}',
      '{"m":"GET","t":"/x","h":{"a":1}}',
    ]) {
      expect(() => reader().push(bad(head)), head).toThrow(LinkProtocolError);
    }
    expect(() => reader().push(bad('{"s":99,"h":{}}', 2))).toThrow(LinkProtocolError);
    expect(() => reader().push(bad('{"s":200,"h":{}}', 9))).toThrow(LinkProtocolError);
  });
});

describe('a link between two gateways over mutual TLS', () => {
  let ca = '';
  const server = { key: '', cert: '' };
  const client = { key: '', cert: '' };
  let stranger = { key: '', cert: '' };
  beforeAll(async () => {
    const caKey = await generateTlsKey();
    ca = await createCaCertificate(caKey.keyPem, 'test CA', 1);
    for (const side of [server, client]) {
      const k = await generateTlsKey();
      side.key = k.keyPem;
      side.cert = await issueGatewayCertificate({
        caKeyPem: caKey.keyPem,
        caCertPem: ca,
        gatewayId: 'g',
        host: '127.0.0.1',
        publicKeyPem: k.publicPem,
        days: 1,
      });
    }
    const k = await generateTlsKey();
    stranger = {
      key: k.keyPem,
      cert: await issueGatewayCertificate({
        caKeyPem: caKey.keyPem,
        caCertPem: ca,
        gatewayId: 's',
        host: '127.0.0.1',
        publicKeyPem: k.publicPem,
        days: 1,
      }),
    };
  });

  const servers: tls.Server[] = [];
  const links: LinkClient[] = [];
  afterAll(() => {
    for (const l of links) l.close();
    for (const s of servers) s.close();
  });

  async function listen(
    handle: (r: LinkRequest, socket: tls.TLSSocket) => Promise<LinkResponse>,
    o: { protocols?: string[]; identity?: { key: string; cert: string }; maxInFlight?: number } = {},
  ) {
    const id = o.identity ?? server;
    const s = tls.createServer({
      key: id.key,
      cert: id.cert,
      ca,
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: o.protocols ?? [LINK_PROTOCOL, 'http/1.1'],
    });
    const sockets: tls.TLSSocket[] = [];
    const plain = http.createServer((_req, res) => res.end('https only'));
    s.on('secureConnection', (socket: tls.TLSSocket) => {
      sockets.push(socket);
      if (socket.alpnProtocol === LINK_PROTOCOL)
        serveLink(socket, handle, { maxFrame: 1 << 22, maxInFlight: o.maxInFlight ?? 64, idleMs: 10_000 });
      else plain.emit('connection', socket);
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    servers.push(s);
    return { port: (s.address() as AddressInfo).port, sockets };
  }
  const pinned = () => certificatePin(server.cert);
  function connect(port: number, o: { timeoutMs?: number; pin?: string; reuseIdleMs?: number } = {}) {
    const pin = o.pin ?? pinned();
    const link = new LinkClient({
      host: '127.0.0.1',
      port,
      timeoutMs: o.timeoutMs ?? 5000,
      maxFrame: 1 << 22,
      reuseIdleMs: o.reuseIdleMs,
      tls: {
        ca,
        cert: client.cert,
        key: client.key,
        checkServerIdentity: (_h, cert) => (pinOfPeer(cert.raw) === pin ? undefined : new Error('not the pinned key')),
      },
    });
    links.push(link);
    return link;
  }

  it('carries many exchanges at once on one connection, each answer to its own request whatever order they finish in', async () => {
    const { port, sockets } = await listen(async (r) => {
      await new Promise((res) => setTimeout(res, (Number(r.target.slice(1)) * 37) % 20)); // finish out of order
      return { status: 200, headers: { 'x-echo': r.target }, body: Buffer.concat([Buffer.from(r.target), r.body]) };
    });
    const link = connect(port);
    const big = Buffer.alloc(1_500_000, 7);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => link.request(request(`/${i}`, i === 5 ? big : Buffer.alloc(0)))),
    );
    answers.forEach((a, i) => {
      expect(a.headers['x-echo']).toBe(`/${i}`);
      expect(a.body.subarray(0, String(i).length + 1).toString()).toBe(`/${i}`);
    });
    expect(answers[5]!.body.length).toBe(2 + big.length);
    expect(sockets.length).toBe(1);
    expect(link.inFlight).toBe(0);
  });

  it('keeps going when a connection has more in flight than the provider reads at once', async () => {
    const { port } = await listen(
      async (r) => {
        await new Promise((res) => setTimeout(res, 5));
        return { status: 200, headers: {}, body: Buffer.from(r.target) };
      },
      { maxInFlight: 4 },
    );
    const link = connect(port);
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => link.request(request(`/${i}`))));
    expect(answers.map((a) => a.body.toString())).toEqual(Array.from({ length: 100 }, (_, i) => `/${i}`));
  });

  it('fails what is in flight when the connection drops, and reconnects for the next request', async () => {
    let calls = 0;
    const { port, sockets } = await listen(async (r, socket) => {
      if (++calls === 1) {
        socket.destroy();
        return new Promise<LinkResponse>(() => undefined);
      }
      return { status: 200, headers: {}, body: Buffer.from(r.target) };
    });
    const link = connect(port);
    await expect(link.request(request('/first'))).rejects.toThrow(/closed/);
    expect((await link.request(request('/second'))).body.toString()).toBe('/second');
    expect(sockets.length).toBe(2);
  });

  it('replaces a connection that has been quiet too long rather than race the provider closing it', async () => {
    const { port, sockets } = await listen(async (r) => ({ status: 200, headers: {}, body: Buffer.from(r.target) }));
    const link = connect(port, { reuseIdleMs: 200 });
    expect((await link.request(request('/a'))).body.toString()).toBe('/a');
    expect((await link.request(request('/b'))).body.toString()).toBe('/b');
    expect(sockets.length).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect((await link.request(request('/c'))).body.toString()).toBe('/c');
    expect(sockets.length).toBe(2);
    for (let i = 0; i < 50 && !(sockets[0]!.destroyed || sockets[0]!.readableEnded); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(sockets[0]!.destroyed || sockets[0]!.readableEnded).toBe(true); // the old one was closed, not left open
  });

  it('gives up on a request the provider does not answer in time', async () => {
    const { port } = await listen(() => new Promise<LinkResponse>(() => undefined));
    const link = connect(port, { timeoutMs: 300 });
    await expect(link.request(request('/slow'))).rejects.toThrow(/did not answer within 300 ms/);
    expect(link.inFlight).toBe(0);
  });

  it('refuses a provider whose key is not the pinned one, and says when a peer speaks HTTPS only', async () => {
    const other = await listen(async () => ({ status: 200, headers: {}, body: Buffer.alloc(0) }), {
      identity: stranger,
    });
    await expect(connect(other.port).request(request('/x'))).rejects.toThrow(/not the pinned key/);
    const httpsOnly = await listen(async () => ({ status: 200, headers: {}, body: Buffer.alloc(0) }), {
      protocols: ['http/1.1'],
    });
    await expect(connect(httpsOnly.port).request(request('/x'))).rejects.toBeInstanceOf(LinkUnsupported);
  });

  it('is what a consumer gateway uses, falling back to HTTPS for a peer without it', async () => {
    const linked = await listen(async (r) => ({ status: 200, headers: { via: 'link' }, body: Buffer.from(r.target) }));
    const httpsOnly = await listen(async () => ({ status: 500, headers: {}, body: Buffer.alloc(0) }), {
      protocols: ['http/1.1'],
    });
    const view = {
      c: { version: 1, ca },
      self: { certificate: client.cert },
      gateways: new Map([
        ['L', { address: `https://127.0.0.1:${linked.port}`, tlsPin: certificatePin(server.cert) }],
        ['H', { address: `https://127.0.0.1:${httpsOnly.port}`, tlsPin: certificatePin(server.cert) }],
      ]),
    } as unknown as ConfigView;
    const gateways = new ProviderGateways({
      tlsKeyPem: client.key,
      serviceTimeoutMs: 5000,
      maxBodyBytes: 1 << 20,
    } as GatewayContext);
    try {
      const a = await gateways.send(view, 'L', request('/over-the-link'));
      expect([a.status, a.headers.via, a.body.toString()]).toEqual([200, 'link', '/over-the-link']);
      const b = await gateways.send(view, 'H', request('/over-https'));
      expect([b.status, b.body.toString()]).toEqual([200, 'https only']);
    } finally {
      gateways.close();
    }
  });
});
