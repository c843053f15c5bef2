import tls, { type ConnectionOptions, type TLSSocket } from 'node:tls';
import {
  FrameReader,
  LINK_PROTOCOL,
  LinkProtocolError,
  RESPONSE,
  encodeRequest,
  type LinkRequest,
  type LinkResponse,
} from './link-frames.js';

interface Pending {
  resolve: (r: LinkResponse) => void;
  reject: (e: Error) => void;
  deadline: number;
}

/** The peer answered the TLS handshake without the link protocol: it speaks HTTPS only. */
export class LinkUnsupported extends Error {}

/**
 * The consumer gateway's end of a link to one provider gateway: one mutual-TLS connection carrying
 * every exchange in flight, each under its own stream number. Requests made in the same turn of the
 * event loop leave in one write. A request fails (and may be retried by the caller's rules, never
 * here) when the connection drops or the provider takes longer than `timeoutMs`.
 */
export class LinkClient {
  private socket: TLSSocket | undefined;
  private connecting: Promise<TLSSocket> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextStream = 1;
  private corked = false;
  private readonly sweep: NodeJS.Timeout;
  private closed = false;
  private lastActivity = 0;

  /**
   * `reuseIdleMs`: a connection quiet for longer is not used again but replaced, so that a request never races the
   * provider's own idle close (65 s) and fails for it.
   */
  constructor(
    private readonly o: {
      host: string;
      port: number;
      tls: ConnectionOptions;
      timeoutMs: number;
      maxFrame: number;
      reuseIdleMs?: number;
      onConnect?: () => void;
    },
  ) {
    // one timer for all deadlines: a timer per request would cost more than the check
    this.sweep = setInterval(() => this.expire(Date.now()), Math.min(1000, o.timeoutMs));
    this.sweep.unref();
  }

  get inFlight(): number {
    return this.pending.size;
  }

  async request(r: LinkRequest): Promise<LinkResponse> {
    const now = Date.now();
    if (this.socket && this.pending.size === 0 && now - this.lastActivity > (this.o.reuseIdleMs ?? 50_000)) {
      this.socket.destroy();
      this.socket = undefined;
    }
    this.lastActivity = now;
    const socket =
      this.socket ??
      (await (this.connecting ??= this.connect().finally(() => {
        this.connecting = undefined;
      })));
    const stream = this.nextStream;
    this.nextStream = this.nextStream >= 0xffff_fffe ? 1 : this.nextStream + 1;
    const frame = encodeRequest(stream, r);
    return new Promise<LinkResponse>((resolve, reject) => {
      this.pending.set(stream, { resolve, reject, deadline: Date.now() + this.o.timeoutMs });
      if (!this.corked) {
        this.corked = true;
        socket.cork();
        process.nextTick(() => {
          this.corked = false;
          socket.uncork();
        });
      }
      socket.write(frame);
    });
  }

  close(): void {
    this.closed = true;
    clearInterval(this.sweep);
    this.socket?.destroy();
    this.fail(new Error('the link was closed'));
  }

  private connect(): Promise<TLSSocket> {
    if (this.closed) return Promise.reject(new Error('the link was closed'));
    return new Promise((resolve, reject) => {
      const socket = tls.connect({
        ...this.o.tls,
        host: this.o.host,
        port: this.o.port,
        ALPNProtocols: [LINK_PROTOCOL, 'http/1.1'],
      }); // http/1.1 too: a peer without the link then says so instead of failing the handshake
      socket.setNoDelay(true);
      const early = (err: Error) => reject(err);
      socket.once('error', early);
      socket.once('secureConnect', () => {
        socket.off('error', early);
        if (socket.alpnProtocol !== LINK_PROTOCOL) {
          socket.destroy();
          reject(new LinkUnsupported(`the peer does not speak ${LINK_PROTOCOL}`));
          return;
        }
        const reader = new FrameReader(this.o.maxFrame, (f) => {
          if (f.kind !== RESPONSE) throw new LinkProtocolError('a request sent to the consumer’s end');
          const p = this.pending.get(f.stream);
          if (!p) return; // answered after its deadline: the caller has its error already
          this.pending.delete(f.stream);
          p.resolve(f.response);
        });
        socket.on('data', (chunk: Buffer) => {
          this.lastActivity = Date.now();
          try {
            reader.push(chunk);
          } catch (err) {
            socket.destroy(err as Error);
          }
        });
        socket.on('error', () => undefined); // 'close' follows and fails what is pending
        socket.on('close', () => {
          if (this.socket === socket) this.socket = undefined;
          this.fail(new Error('the connection to the provider’s gateway closed'));
        });
        this.socket = socket;
        this.o.onConnect?.();
        resolve(socket);
      });
    });
  }

  private fail(err: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(err);
  }

  private expire(now: number): void {
    for (const [stream, p] of this.pending) {
      if (p.deadline <= now) {
        this.pending.delete(stream);
        p.reject(new Error(`the provider’s gateway did not answer within ${this.o.timeoutMs} ms`));
      }
    }
  }
}
