import type { IncomingMessage } from 'node:http';
import type { Dispatcher } from 'undici';
import type { RefusalReason } from '../http-errors.js';
import type { TimerHandle, Timers } from '../timers/timers.js';
import { classifyCallFailure, type CallFailure } from './call-failure.js';
import type { HttpClientResponse } from './client-response.js';
import { takeGrpcStatus } from './grpc-status.js';

/** Passed to undici's abort when the proxy gives up on a call itself. */
export class UpstreamCallStopped extends Error {
  readonly code = 'SHORTLINE_UPSTREAM_CALL_STOPPED';
  constructor(readonly reason: RefusalReason | 'client-closed') {
    super(`upstream call stopped: ${reason}`);
    this.name = 'UpstreamCallStopped';
  }
}

/** What a call tells the exchange it belongs to. */
export interface CallListener {
  /** On a connection: bytes may reach the backend from now on. */
  callConnected(): void;
  /** The backend's response head (a final status), to be passed on. */
  callResponded(status: number, statusText: string, rawHeaders: Buffer[]): void;
  /** The backend's response is complete (its body already passed on). */
  callCompleted(status: number, trailers: Readonly<Record<string, string>> | undefined): void;
  callFailed(failure: CallFailure, error: Error): void;
  /** `timeouts.responseStartMs` or `timeouts.idleMs` passed. */
  callTimedOut(reason: 'response-start-timeout' | 'idle-timeout'): void;
}

export interface CallTimeouts {
  /** From dispatch until the response head; 0 = none. */
  readonly responseStartMs: number;
  /** Longest silence in the response body; 0 = none. */
  readonly idleMs: number;
}

/** undici's flat trailer list (strings or Buffers) as an object; undefined when there are none. */
function trailerObject(trailers: readonly (string | Buffer)[] | Record<string, string> | null | undefined): Record<string, string> | undefined {
  if (trailers === null || trailers === undefined) return undefined;
  if (!Array.isArray(trailers)) return Object.keys(trailers).length === 0 ? undefined : (trailers as Record<string, string>);
  if (trailers.length === 0) return undefined;
  const result: Record<string, string> = {};
  for (let i = 0; i < trailers.length; i += 2) result[String(trailers[i]).toLowerCase()] = String(trailers[i + 1]);
  return result;
}

/**
 * One attempt to send a request to a backend: undici's callback handler, turning its callbacks into
 * facts for the exchange (and the response body straight into the client's response, with
 * backpressure). The response-start and idle timeouts are its own, on the proxy's timers.
 *
 * It implements undici's callback handler (onConnect/onHeaders/onData/onComplete/onError): undici
 * calls those directly, where a handler in its newer controller style would be wrapped per request.
 */
export class UpstreamCall implements Dispatcher.DispatchHandler {
  /** The client's request: an HTTP/2 one goes upstream over h2c (Upstream reads it). */
  readonly req: IncomingMessage;
  readonly #listener: CallListener;
  readonly #response: HttpClientResponse;
  readonly #timers: Timers;
  readonly #timeouts: CallTimeouts;
  #abort: ((error?: Error) => void) | undefined = undefined;
  #resume: () => void = noResume;
  #connected = false;
  #stopped = false;
  #status = 0;
  #timer: TimerHandle | undefined = undefined;
  /** A trailers-only gRPC response's status, sent on as trailers. */
  #statusTrailers: Record<string, string> | undefined = undefined;

  constructor(req: IncomingMessage, response: HttpClientResponse, timers: Timers, timeouts: CallTimeouts, listener: CallListener) {
    this.req = req;
    this.#response = response;
    this.#timers = timers;
    this.#timeouts = timeouts;
    this.#listener = listener;
    if (timeouts.responseStartMs > 0) this.#timer = timers.setTimeout(UpstreamCall.#timedOut, timeouts.responseStartMs, this);
  }

  /** Stops the call: its connection is aborted (before a byte is written, if it is not on one yet). */
  stop(reason: RefusalReason | 'client-closed'): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#clearTimer();
    const abort = this.#abort;
    this.#abort = undefined;
    abort?.(new UpstreamCallStopped(reason));
  }

  onConnect(abort: (error?: Error) => void): void {
    if (this.#stopped) {
      abort(new UpstreamCallStopped('client-closed'));
      return;
    }
    this.#abort = abort;
    this.#connected = true;
    this.#listener.callConnected();
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean {
    if (statusCode < 200 || this.#stopped) return true;
    this.#status = statusCode;
    this.#resume = resume;
    this.#clearTimer();
    if (this.#timeouts.idleMs > 0) this.#timer = this.#timers.setTimeout(UpstreamCall.#timedOut, this.#timeouts.idleMs, this);
    if (this.req.httpVersionMajor === 2) this.#statusTrailers = takeGrpcStatus(rawHeaders);
    this.#listener.callResponded(statusCode, statusText, rawHeaders);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.#stopped) return true;
    this.#timer?.refresh();
    return this.#response.write(chunk, this.#resume);
  }

  /** undici's HTTP/1.1 client passes a flat list; its HTTP/2 client, Node's trailer object. */
  onComplete(trailers: string[] | Record<string, string> | null): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#clearTimer();
    this.#abort = undefined;
    const received = trailerObject(trailers);
    const status = this.#statusTrailers;
    this.#listener.callCompleted(this.#status, status === undefined ? received : { ...received, ...status });
  }

  onError(error: Error): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#clearTimer();
    this.#abort = undefined;
    this.#listener.callFailed(classifyCallFailure(error, this.#connected, this.#status !== 0), error);
  }

  #clearTimer(): void {
    if (this.#timer === undefined) return;
    this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** The response-start timer before the head, the idle timer after it. */
  static #timedOut(call: UpstreamCall): void {
    call.#timer = undefined;
    if (call.#stopped) return;
    call.#listener.callTimedOut(call.#status === 0 ? 'response-start-timeout' : 'idle-timeout');
  }
}

function noResume(): void {}
