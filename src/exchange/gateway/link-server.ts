import type { TLSSocket } from 'node:tls';
import {
  FrameReader,
  REQUEST,
  LinkProtocolError,
  encodeResponse,
  type LinkRequest,
  type LinkResponse,
} from './link-frames.js';

export interface LinkServerOptions {
  maxFrame: number;
  /** exchanges one connection may have in flight; past it the connection is not read until some finish */
  maxInFlight: number;
  idleMs: number;
  onError?: (err: Error) => void;
}

/**
 * The provider gateway's end of a link: each request frame is handed to `handle` as it arrives and
 * its response written under the same stream number when ready, in whatever order they finish.
 * Responses ready in the same turn of the event loop leave in one write.
 */
export function serveLink(
  socket: TLSSocket,
  handle: (r: LinkRequest, socket: TLSSocket) => Promise<LinkResponse>,
  o: LinkServerOptions,
): void {
  let inFlight = 0;
  let corked = false;
  let paused = false;
  socket.setNoDelay(true);
  socket.setTimeout(o.idleMs, () => {
    if (inFlight === 0) socket.destroy();
  });
  const send = (stream: number, r: LinkResponse) => {
    if (socket.destroyed) return;
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(() => {
        corked = false;
        socket.uncork();
      });
    }
    socket.write(encodeResponse(stream, r));
  };
  const reader = new FrameReader(o.maxFrame, (f) => {
    if (f.kind !== REQUEST) throw new LinkProtocolError('a response sent to the provider’s end');
    inFlight++;
    if (inFlight >= o.maxInFlight && !paused) {
      paused = true;
      socket.pause();
    }
    handle(f.request, socket)
      .then(
        (r) => send(f.stream, r),
        (err: Error) => {
          o.onError?.(err);
          send(f.stream, {
            status: 500,
            headers: { 'content-type': 'text/plain; charset=utf-8' },
            body: Buffer.from('the gateway failed'),
          });
        },
      )
      .finally(() => {
        inFlight--;
        if (paused && inFlight < o.maxInFlight / 2) {
          paused = false;
          socket.resume();
        }
      });
  });
  socket.on('data', (chunk: Buffer) => {
    try {
      reader.push(chunk);
    } catch (err) {
      o.onError?.(err as Error);
      socket.destroy();
    }
  });
  socket.on('error', () => undefined);
}
