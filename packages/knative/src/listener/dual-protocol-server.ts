import type http from 'node:http';
import type http2 from 'node:http2';
import net from 'node:net';

/** What an HTTP/2 client with prior knowledge sends first (RFC 9113 §3.4). */
export const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export interface DualProtocolServerOptions {
  /** Gets every connection that does not open with the HTTP/2 preface. */
  readonly http1: http.Server;
  /** Gets connections that open with it (cleartext h2c, as Knative's serving ports accept); asked for on the first one. */
  readonly http2: () => http2.Http2Server;
  /** A connection that has not shown which protocol it speaks after this long is closed. Default 10 s. */
  readonly sniffTimeoutMs?: number;
}

/**
 * One port for HTTP/1.1 and prior-knowledge h2c: reads the first bytes of each connection, puts
 * them back, and hands the socket to the server that speaks its protocol. Neither server listens
 * itself; close them after closing this one.
 */
export function createDualProtocolServer(options: DualProtocolServerOptions): net.Server {
  const sniffTimeoutMs = options.sniffTimeoutMs ?? 10_000;
  return net.createServer((socket) => {
    let peeked: Buffer = Buffer.alloc(0);
    const handOff = (server: http.Server | http2.Http2Server): void => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(peeked);
      server.emit('connection', socket);
      // node:http reads through the stream, which the sniffing left paused; http2 takes the handle itself.
      if (server === options.http1) socket.resume();
    };
    const onError = (): void => {
      socket.destroy();
    };
    const onData = (chunk: Buffer): void => {
      peeked = peeked.length === 0 ? chunk : Buffer.concat([peeked, chunk]);
      const compared = Math.min(peeked.length, H2_PREFACE.length);
      if (!peeked.subarray(0, compared).equals(H2_PREFACE.subarray(0, compared))) handOff(options.http1);
      else if (peeked.length >= H2_PREFACE.length) handOff(options.http2());
    };
    socket.on('data', onData);
    socket.on('error', onError);
    socket.setTimeout(sniffTimeoutMs, onError);
  });
}
