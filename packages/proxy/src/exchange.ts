import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import type { Backend, InvocationRequest } from '@shortline/core';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { clientPolicyOf } from './data-server.js';
import { REFUSALS, writeRefusal, type RefusalReason } from './http-errors.js';
import type { Lifecycle, ObservedExchange } from './lifecycle.js';
import type { HintName, HintOutcome, ProxyMetrics } from './metrics/proxy-metrics.js';
import type { FunctionRuntime, ProxySettings } from './proxy-settings.js';
import type { QueueDriver } from './queue-driver.js';
import { clientResponseHeaders, serverTiming } from './response-headers.js';
import { upstreamRequestHeaders, type HeaderEdits } from './upstream-request-headers.js';
import type { Upstream } from './upstream.js';

/**
 * received → queued → connecting (handed to undici) → sent (on a connection) → responding (head
 * written to the client) → done. A connection refused while `connecting` goes back to `queued`.
 */
export type ExchangePhase = 'received' | 'queued' | 'connecting' | 'sent' | 'responding' | 'done';

/** What every exchange shares: one object per proxy, so an exchange costs one pointer to reach it. */
export interface ExchangeContext {
  readonly clock: () => number;
  readonly driver: QueueDriver;
  readonly metrics: ProxyMetrics;
  readonly logger: Logger;
  readonly settings: ProxySettings;
  readonly lifecycle: Lifecycle;
  /** The exchange is over: its answer is complete or its client gone. Called exactly once. */
  finished(exchange: Exchange): void;
}

/** Passed to undici's abort when the proxy gives up on a call itself. */
export class UpstreamCallStopped extends Error {
  readonly code = 'SHORTLINE_UPSTREAM_CALL_STOPPED';
  constructor(readonly reason: RefusalReason | 'client-closed') {
    super(`upstream call stopped: ${reason}`);
    this.name = 'UpstreamCallStopped';
  }
}

/** Failures that mean no byte reached the backend: the request may go to another one. */
const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
]);

function errorCode(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Does a body follow the head? HTTP/2 says so by not ending the stream with the headers, whatever its headers say. */
function hasBody(req: IncomingMessage): boolean {
  if (req.httpVersionMajor === 2) return (req as unknown as Http2ServerRequest).stream.endAfterHeaders !== true;
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

/**
 * One request, from arrival to its answer: the invocation the scheduler queues (InvocationRequest),
 * the handler undici streams the backend's response into, and the single owner of the client's
 * response, so that every request is answered exactly once. One object per request, nothing else
 * allocated on the happy path beyond the header lists and undici's own request.
 *
 * It implements undici's callback handler (onConnect/onHeaders/onData/onComplete/onError): undici
 * calls those directly, where a handler in its newer controller style would be wrapped per request.
 */
export class Exchange implements InvocationRequest, ObservedExchange, Dispatcher.DispatchHandler {
  readonly id: number;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly arrivedAtMs: number;
  requestId = '';
  functionName = '';
  classKey: string | undefined = undefined;
  deadlineMs: number | undefined = undefined;
  /** A trusted caller's estimate of its duration (a scheduling hint); replaces the prediction. */
  expectedDurationMs: number | undefined = undefined;
  /** A trusted caller's estimate of the rest of its workflow after this call (a scheduling hint). */
  remainingWorkflowMs: number | undefined = undefined;
  /** A structured CloudEvent read to classify it: sent upstream instead of the (consumed) stream. */
  bufferedBody: Buffer | undefined = undefined;
  phase: ExchangePhase = 'received';
  /** Observers were told it arrived, so they will be told it finished. */
  observed = false;
  readonly #context: ExchangeContext;
  #fn: FunctionRuntime | undefined = undefined;
  #edits: HeaderEdits | undefined = undefined;
  #upstreamHeaders: string[] | undefined = undefined;
  #backend: Backend<Upstream> | undefined = undefined;
  #attempts = 0;
  #startedAtMs = 0;
  #queueMs = 0;
  #status = 0;
  #abortCall: ((error?: Error) => void) | undefined = undefined;
  #stopped: RefusalReason | 'client-closed' | undefined = undefined;
  #resume: (() => void) | undefined = undefined;
  #drainHooked = false;
  #deadlineTimer: NodeJS.Timeout | undefined = undefined;
  #bodyTimer: NodeJS.Timeout | undefined = undefined;
  /** How far the body had come when last checked (bodyProgress). */
  #bodyBytesSeen = 0;
  /** HTTP/2 only: body bytes counted since the watch began counting (see bodyProgress). */
  #h2BodyBytes = -1;
  #clientGone = false;
  /** Taken into a queue: from now on it counts until it finishes, exactly once. */
  #accepted = false;
  /** Its response waited behind another on the connection when it arrived. */
  #detached = false;
  #closed = false;

  constructor(id: number, req: IncomingMessage, res: ServerResponse, context: ExchangeContext, now: number) {
    this.id = id;
    this.req = req;
    this.res = res;
    this.arrivedAtMs = now;
    this.#context = context;
    res.on('close', this.#onClose);
    // A pipelined request's response waits its turn detached, and Node never closes it if the
    // connection dies first: the connection's own close ends it then.
    if (res.socket === null) {
      this.#detached = true;
      req.socket.once('close', this.#onClose);
    }
  }

  /** Sets (replaces) a header on the upstream request. `name` must be lower-case. */
  setUpstreamHeader(name: string, value: string): void {
    (this.#edits ??= []).push(name, value);
  }

  /** Keeps a client header from reaching the backend. `name` must be lower-case. */
  removeUpstreamHeader(name: string): void {
    (this.#edits ??= []).push(name, undefined);
  }

  /** Tells the observers it arrived; from now on they will hear of it again. */
  markArrived(lifecycle: Lifecycle): void {
    this.observed = true;
    lifecycle.arrived(this);
  }

  /** It belongs to this function; observers that were told it arrived hear which. */
  classifiedAs(functionName: string): void {
    this.functionName = functionName;
    if (this.observed) this.#context.lifecycle.classified(this);
  }

  /** Classified to a configured function: its timeout becomes the deadline, queue wait included. */
  assign(fn: FunctionRuntime): void {
    this.#fn = fn;
    this.deadlineMs = fn.timeoutMs > 0 ? this.arrivedAtMs + fn.timeoutMs : undefined;
  }

  get function(): FunctionRuntime | undefined {
    return this.#fn;
  }

  /** Counts a scheduling hint header it carried and what became of it. */
  countHint(hint: HintName, outcome: HintOutcome): void {
    this.#context.metrics.hint(hint, outcome);
  }

  /** The scheduler accepted it for the first time: counted as accepted, and later as finished. */
  admitted(): void {
    this.#accepted = true;
    this.#fn?.metrics.accepted.inc();
    this.queued();
  }

  /** In the queue (again, after a backend refused the connection); its body stays unread until it starts. */
  queued(): void {
    this.phase = 'queued';
  }

  /**
   * Its body is being read now (to classify it, or by the call to the backend): the client must keep
   * sending it. Checked every `connections.bodyIdleTimeoutMs`; a client that sent nothing for that
   * long, while nothing it sent waits unread, gets 408. A queued request is not watched.
   */
  watchBody(): void {
    const idleMs = clientPolicyOf(this.req).bodyIdleTimeoutMs;
    if (idleMs === 0 || this.req.complete || this.#bodyTimer !== undefined) return;
    this.#bodyBytesSeen = this.#bodyProgress();
    this.#bodyTimer = setTimeout(Exchange.#checkBody, idleMs, this);
  }

  /**
   * A count that grows while the body arrives; NaN when it cannot be told yet (then the check passes).
   * HTTP/1.1: the connection's bytes read. HTTP/2: the connection carries every stream, so the
   * stream's own chunks are counted, from the first check that finds the body flowing to its reader
   * (a 'data' listener added earlier would start the flow itself, before the reader is attached).
   */
  #bodyProgress(): number {
    const req = this.req;
    if (req.httpVersionMajor === 1) return req.socket.bytesRead;
    if (this.#h2BodyBytes < 0 && req.readableFlowing === true) {
      this.#h2BodyBytes = 0;
      req.on('data', (chunk: Buffer) => {
        this.#h2BodyBytes += chunk.length;
      });
      return NaN;
    }
    return this.#h2BodyBytes < 0 ? NaN : this.#h2BodyBytes;
  }

  /** The scheduler gave it a slot on `backend`: send it. */
  start(backend: Backend<Upstream>, now: number): void {
    const context = this.#context;
    this.phase = 'connecting';
    this.#backend = backend;
    this.#startedAtMs = now;
    this.#abortCall = undefined;
    if (this.#attempts++ === 0) {
      this.#queueMs = now - this.arrivedAtMs;
      this.#fn?.metrics.queueWait.observe(this.#queueMs / 1000);
      // Whole milliseconds: Node keeps one timer list per duration, so requests of a function share one.
      if (this.deadlineMs !== undefined) this.#deadlineTimer = setTimeout(this.#onDeadline, Math.max(0, Math.ceil(this.deadlineMs - now)));
    }
    if (this.observed) context.lifecycle.started(this);
    const upstream = backend.target as Upstream;
    const settings = context.settings;
    this.#upstreamHeaders ??= upstreamRequestHeaders(this.req.rawHeaders, this.#edits, settings.upstreamHeaders);
    const streamed = this.bufferedBody === undefined && hasBody(this.req);
    if (streamed) this.watchBody();
    upstream.pool.dispatch(
      {
        path: upstream.pathFor(this.req.url ?? '/'),
        method: this.req.method ?? 'GET',
        headers: this.#upstreamHeaders,
        body: streamed ? this.req : (this.bufferedBody ?? null),
        headersTimeout: settings.responseStartMs,
        bodyTimeout: settings.idleMs,
      },
      this,
    );
  }

  /**
   * Answers the request with the proxy's own response for `reason` — or, if the backend's response
   * head was already sent, cuts the connection so the client cannot mistake a short body for a whole
   * one. Logs one line. Ends the exchange; a second call does nothing. Does not free a slot.
   */
  refuse(reason: RefusalReason, error?: Error): void {
    if (this.phase === 'done') return;
    this.phase = 'done';
    this.#clearTimers();
    const context = this.#context;
    const refusal = REFUSALS[reason];
    const now = context.clock();
    context.metrics.refused(this.functionName, reason, refusal.status);
    if (this.#accepted) this.#fn?.metrics.finished(this.res.headersSent ? 'cut' : 'refused');
    const level = refusal.status === 500 ? 'error' : refusal.status === 502 || refusal.status === 504 ? 'warn' : 'info';
    context.logger[level](
      { requestId: this.requestId, function: this.functionName, reason, status: refusal.status, err: error },
      'request refused',
    );
    if (this.#clientGone) return;
    const res = this.res;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const queueMs = this.#attempts === 0 ? now - this.arrivedAtMs : this.#queueMs;
    const upstreamMs = this.#attempts === 0 ? 0 : now - this.#startedAtMs;
    writeRefusal(res, reason, {
      requestId: this.requestId,
      functionName: this.functionName,
      serverTiming: serverTiming(queueMs, upstreamMs),
      retryAfterSeconds: context.settings.retryAfterSeconds,
    });
  }

  /** Gives up on a request whatever it is doing (forced shutdown): frees its slot and refuses it. */
  abandon(reason: RefusalReason, error?: Error): void {
    switch (this.phase) {
      case 'queued':
        this.#context.driver.cancel(this);
        break;
      case 'connecting':
      case 'sent':
      case 'responding':
        this.#stopAndRefuse(reason, error);
        return;
      default:
        break;
    }
    this.refuse(reason, error);
  }

  // ---- undici's handler -------------------------------------------------------------------------

  onConnect(abort: (error?: Error) => void): void {
    if (this.#stopped !== undefined) {
      abort(new UpstreamCallStopped(this.#stopped));
      return;
    }
    this.#abortCall = abort;
    this.phase = 'sent';
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean {
    if (statusCode < 200) return true;
    this.phase = 'responding';
    this.#resume = resume;
    this.#status = statusCode;
    const timing = serverTiming(this.#queueMs, this.#context.clock() - this.#startedAtMs);
    const headers = clientResponseHeaders(rawHeaders, timing, this.requestId);
    if (statusText === '') this.res.writeHead(statusCode, headers);
    else this.res.writeHead(statusCode, statusText, headers);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.res.write(chunk)) return true;
    if (!this.#drainHooked) {
      this.#drainHooked = true;
      // Made only for a client slower than its backend.
      this.res.on('drain', () => this.#resume?.());
    }
    return false;
  }

  onComplete(): void {
    if (this.phase !== 'responding') return;
    const context = this.#context;
    const observedMs = context.clock() - this.#startedAtMs;
    this.phase = 'done';
    this.#clearTimers();
    this.res.end();
    const metrics = this.#fn?.metrics;
    metrics?.serviceTime.observe(observedMs / 1000);
    metrics?.responded(this.#status);
    metrics?.finished('answered');
    // A server error's duration says little about the work; only answers teach the predictor.
    context.driver.release(this, this.#status < 500 ? observedMs : undefined);
  }

  onError(error: Error): void {
    if (this.#stopped !== undefined) return;
    const phase = this.phase;
    const driver = this.#context.driver;
    this.#abortCall = undefined;
    const code = errorCode(error);
    if (phase === 'connecting' && code !== undefined && CONNECT_FAILURES.has(code)) {
      this.#context.logger.debug({ requestId: this.requestId, backend: this.#backend?.id, err: error }, 'backend unreachable');
      if (driver.retryElsewhere(this, this.#backend as Backend<Upstream>)) return;
      this.refuse('upstream-unreachable', error);
      return;
    }
    driver.release(this, undefined);
    if (phase === 'responding') this.refuse(code === 'UND_ERR_BODY_TIMEOUT' ? 'idle-timeout' : 'upstream-error', error);
    else this.refuse(code === 'UND_ERR_HEADERS_TIMEOUT' ? 'response-start-timeout' : 'upstream-error', error);
  }

  // ---- internals --------------------------------------------------------------------------------

  #stopCall(reason: RefusalReason | 'client-closed'): void {
    this.#stopped = reason;
    const abort = this.#abortCall;
    this.#abortCall = undefined;
    // Not yet on a connection: onConnect aborts it before a byte is written.
    abort?.(new UpstreamCallStopped(reason));
  }

  /**
   * Gives up on a call in flight: frees its slot, answers the client, then stops the call. The answer
   * goes first: stopping a call that is still sending the request body destroys that stream, and with
   * it the client's connection.
   */
  #stopAndRefuse(reason: RefusalReason, error?: Error): void {
    this.#stopped = reason;
    const abort = this.#abortCall;
    this.#abortCall = undefined;
    this.#context.driver.release(this, undefined);
    this.refuse(reason, error);
    abort?.(new UpstreamCallStopped(reason));
  }

  #clearTimers(): void {
    if (this.#deadlineTimer !== undefined) {
      clearTimeout(this.#deadlineTimer);
      this.#deadlineTimer = undefined;
    }
    if (this.#bodyTimer !== undefined) {
      clearTimeout(this.#bodyTimer);
      this.#bodyTimer = undefined;
    }
  }

  /** Static, with the exchange as the timer's argument: only requests with a body pay for the check. */
  static #checkBody(exchange: Exchange): void {
    const req = exchange.req;
    if (req.complete || exchange.phase === 'done' || exchange.phase === 'queued') {
      exchange.#bodyTimer = undefined;
      return;
    }
    const progress = exchange.#bodyProgress();
    // Bytes arrived, or some wait unread because the reader (the backend) is slower: not the client's fault.
    if (progress !== exchange.#bodyBytesSeen || req.readableLength > 0) {
      exchange.#bodyBytesSeen = progress;
      exchange.#bodyTimer?.refresh();
      return;
    }
    exchange.#bodyTimer = undefined;
    exchange.abandon('request-body-timeout');
  }

  readonly #onDeadline = (): void => {
    this.#deadlineTimer = undefined;
    if (this.phase === 'connecting' || this.phase === 'sent' || this.phase === 'responding') this.#stopAndRefuse('request-timeout');
  };

  readonly #onClose = (): void => {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#detached) this.req.socket.off('close', this.#onClose);
    if (!this.res.writableFinished) this.#onClientGone();
    this.#context.finished(this);
  };

  #onClientGone(): void {
    this.#clientGone = true;
    const context = this.#context;
    switch (this.phase) {
      case 'received':
        break;
      case 'queued':
        context.driver.cancel(this);
        context.metrics.disconnected(this.functionName, 'queued');
        break;
      case 'connecting':
      case 'sent':
      case 'responding':
        this.#stopCall('client-closed');
        context.driver.release(this, undefined);
        context.metrics.disconnected(this.functionName, 'in-flight');
        break;
      case 'done':
        return;
    }
    if (this.#accepted) this.#fn?.metrics.finished('disconnected');
    this.phase = 'done';
    this.#clearTimers();
  }
}
