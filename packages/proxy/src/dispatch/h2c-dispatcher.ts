import type { IncomingMessage } from 'node:http';
import http2 from 'node:http2';
import type { Readable } from 'node:stream';
import { errors, type Dispatcher } from 'undici';

const {
  HTTP2_HEADER_AUTHORITY,
  HTTP2_HEADER_METHOD,
  HTTP2_HEADER_PATH,
  HTTP2_HEADER_SCHEME,
  HTTP2_HEADER_STATUS,
  NGHTTP2_CANCEL,
  NGHTTP2_FLAG_END_STREAM,
} = http2.constants;

/** The call as the dispatcher sees it: undici's handler, plus the client's request. */
export interface H2cCall extends Dispatcher.DispatchHandler {
  readonly req: IncomingMessage;
}

/** A call whose client spoke HTTP/2 goes upstream over h2c, as Knative's queue-proxy forwards it. */
export function isHttp2Call(handler: Dispatcher.DispatchHandler): handler is H2cCall {
  return (handler as Partial<H2cCall>).req?.httpVersionMajor === 2;
}

/** The upstream stream ended without a complete response. */
export class H2cStreamClosedError extends Error {
  readonly code = 'SHORTLINE_H2C_STREAM_CLOSED';
  constructor(readonly rstCode: number | undefined) {
    super(`the backend's HTTP/2 stream closed before the response ended (RST code ${String(rstCode)})`);
    this.name = 'H2cStreamClosedError';
  }
}

/** gRPC's status goes in trailers; a trailers-only response carries it in its one HEADERS frame. */
const GRPC_STATUS_HEADERS = new Set(['grpc-status', 'grpc-message', 'grpc-status-details-bin']);

function usable(session: http2.ClientHttp2Session | undefined): session is http2.ClientHttp2Session {
  return session !== undefined && !session.closed && !session.destroyed;
}

/** undici's flat header list as an HTTP/2 header block: lower-case names, `host` as `:authority`. */
function requestHeaders(options: Dispatcher.DispatchOptions, call: H2cCall, authority: string): http2.OutgoingHttpHeaders {
  const headers: http2.OutgoingHttpHeaders = Object.create(null) as http2.OutgoingHttpHeaders;
  const flat = options.headers as readonly string[];
  let host = authority;
  for (let i = 0; i < flat.length; i += 2) {
    const name = (flat[i] as string).toLowerCase();
    const value = flat[i + 1] as string;
    if (name === 'host') host = value;
    else if (name.charCodeAt(0) === 58 /* ':' */) continue;
    else {
      const prior = headers[name];
      headers[name] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [String(prior), value];
    }
  }
  // `te` is hop-by-hop, except that HTTP/2 allows `te: trailers`, which gRPC servers may require.
  if (call.req.headers.te?.includes('trailers') === true) headers['te'] = 'trailers';
  headers[HTTP2_HEADER_METHOD] = options.method;
  headers[HTTP2_HEADER_PATH] = options.path;
  headers[HTTP2_HEADER_SCHEME] = 'http';
  headers[HTTP2_HEADER_AUTHORITY] = host;
  return headers;
}

/**
 * Sends calls over cleartext HTTP/2 with prior knowledge (h2c) to one origin, on one shared session
 * (opened on first use, again after it closes or receives GOAWAY), speaking to the call through
 * undici's handler callbacks so that the Exchange queues, times out, retries and answers it exactly
 * as it does an HTTP/1.1 call (the proxy's own timers bound it, as they bound undici's calls). The
 * request body (`body`: the client request when it has one) is streamed; the response is streamed
 * back, and its trailers (gRPC's status) are handed to `onComplete`.
 */
export class H2cDispatcher {
  readonly #origin: string;
  readonly #authority: string;
  #session: http2.ClientHttp2Session | undefined = undefined;
  #connecting: Promise<http2.ClientHttp2Session> | undefined = undefined;
  #closed = false;

  constructor(origin: string) {
    this.#origin = origin;
    this.#authority = new URL(origin).host;
  }

  dispatch(options: Dispatcher.DispatchOptions, call: H2cCall): boolean {
    const session = this.#session;
    if (this.#closed) {
      call.onError?.(new errors.ClientClosedError());
    } else if (usable(session)) {
      this.#forward(session, options, call);
    } else {
      this.#connect().then(
        (connected) => this.#forward(connected, options, call),
        (error: Error) => call.onError?.(error),
      );
    }
    return true;
  }

  /** Lets the streams under way finish, then closes the session. */
  close(): Promise<void> {
    this.#closed = true;
    const session = this.#session;
    this.#session = undefined;
    if (!usable(session)) return Promise.resolve();
    return new Promise((resolve) => {
      session.once('close', resolve);
      session.close();
    });
  }

  destroy(): Promise<void> {
    this.#closed = true;
    const session = this.#session;
    this.#session = undefined;
    if (session !== undefined && !session.destroyed) session.destroy();
    return Promise.resolve();
  }

  #connect(): Promise<http2.ClientHttp2Session> {
    this.#connecting ??= new Promise((resolve, reject) => {
      const session = http2.connect(this.#origin);
      const onConnectError = (error: Error): void => {
        this.#connecting = undefined;
        session.destroy();
        reject(error);
      };
      session.once('error', onConnectError);
      session.once('connect', () => {
        session.off('error', onConnectError);
        if (this.#closed) {
          session.close();
          reject(new errors.ClientClosedError());
          return;
        }
        // Failures reach the streams under way; the session itself is only forgotten.
        session.on('error', () => session.destroy());
        const forget = (): void => {
          if (this.#session === session) this.#session = undefined;
        };
        session.once('goaway', forget);
        session.once('close', forget);
        session.unref();
        this.#session = session;
        this.#connecting = undefined;
        resolve(session);
      });
    });
    return this.#connecting;
  }

  #forward(session: http2.ClientHttp2Session, options: Dispatcher.DispatchOptions, call: H2cCall): void {
    let stream: http2.ClientHttp2Stream | undefined;
    let over = false;
    let trailers: http2.IncomingHttpHeaders | undefined;

    const settle = (): void => {
      over = true;
      if (stream !== undefined) call.req.unpipe(stream);
    };
    const fail = (error: Error): void => {
      if (over) return;
      settle();
      if (stream !== undefined && !stream.closed) stream.close(NGHTTP2_CANCEL);
      call.onError?.(error);
    };
    const complete = (): void => {
      if (over) return;
      settle();
      const raw: string[] = [];
      if (trailers !== undefined) {
        for (const [name, value] of Object.entries(trailers)) if (value !== undefined) raw.push(name, String(value));
      }
      call.onComplete?.(raw.length > 0 ? raw : null);
    };

    call.onConnect?.((reason?: Error) => fail(reason ?? new errors.RequestAbortedError()));
    if (over) return;
    try {
      stream = session.request(requestHeaders(options, call, this.#authority));
    } catch (error) {
      fail(error as Error);
      return;
    }
    const opened = stream;

    opened.on('response', (headers, flags) => {
      if (over) return;
      const endsHere = (flags & NGHTTP2_FLAG_END_STREAM) !== 0;
      const raw: Buffer[] = [];
      for (const [name, value] of Object.entries(headers)) {
        if (name.charCodeAt(0) === 58 /* ':' */ || value === undefined) continue;
        if (endsHere && GRPC_STATUS_HEADERS.has(name)) {
          // Trailers-only: sent on as headers and trailers, which gRPC clients read the same way.
          (trailers ??= {})[name] = value;
          continue;
        }
        for (const one of Array.isArray(value) ? value : [value]) raw.push(Buffer.from(name, 'latin1'), Buffer.from(String(one), 'latin1'));
      }
      call.onHeaders?.(Number(headers[HTTP2_HEADER_STATUS]), raw, () => opened.resume(), '');
      if (endsHere) complete();
    });
    opened.on('data', (chunk: Buffer) => {
      if (over) return;
      if (call.onData?.(chunk) === false) opened.pause();
    });
    opened.on('trailers', (received) => {
      trailers = { ...trailers, ...received };
    });
    opened.on('end', complete);
    opened.on('error', fail);
    opened.on('close', () => fail(new H2cStreamClosedError(opened.rstCode)));

    const body = options.body;
    if (typeof body === 'string' || body instanceof Uint8Array) opened.end(body);
    else if (body !== null && body !== undefined && typeof (body as Readable).pipe === 'function') (body as Readable).pipe(opened);
    else opened.end();
  }
}
