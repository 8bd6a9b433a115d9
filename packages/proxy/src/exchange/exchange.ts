import type { IncomingMessage } from 'node:http';
import type { RequestFeatures } from '@shortline/core';
import type { Logger } from 'pino';
import { clientPolicyOf } from '../data-server.js';
import type { Dispatchable, DispatchEvents } from '../dispatch/dispatchable.js';
import type { Upstream } from '../dispatch/upstream.js';
import { REFUSALS, type RefusalReason } from '../http-errors.js';
import { hasBody } from '../request-body.js';
import type { Lifecycle, ObservedExchange } from '../lifecycle.js';
import type { HintName, HintOutcome, ProxyMetrics } from '../metrics/proxy-metrics.js';
import type { RefusalLog } from '../refusal-log.js';
import type { TimerHandle, Timers } from '../timers/timers.js';
import { BodyIdleWatch, type BodyIdleListener } from './body-idle-watch.js';
import type { CallFailure } from './call-failure.js';
import { HttpClientResponse, type ClientResponse, type ResponseCloseListener } from './client-response.js';
import { nextPhase, type ExchangeEvent, type ExchangePhase } from './exchange-phase.js';
import type { FunctionEntry, ProxySettings } from './proxy-settings.js';
import { clientResponseHeaders, serverTiming } from './response-headers.js';
import { UpstreamCall, type CallListener } from './upstream-call.js';
import { upstreamRequestHeaders, type HeaderEdits } from './upstream-request-headers.js';

/** RFC 9110 §9.2.2: methods whose repetition has the effect of one request. */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/** What every exchange shares: one object per proxy, so an exchange costs one pointer to reach it. */
export interface ExchangeContext {
  readonly timers: Timers;
  /** Where the exchange reports what happens to it; the dispatch loop. */
  readonly loop: DispatchEvents<Exchange>;
  readonly metrics: ProxyMetrics;
  readonly logger: Logger;
  readonly refusals: RefusalLog;
  readonly settings: ProxySettings;
  readonly lifecycle: Lifecycle;
  /** The exchange is over: its answer is complete or its client gone. Called exactly once. */
  finished(exchange: Exchange): void;
}

/**
 * One request, from arrival to its answer: what the layers read and annotate, the invocation the
 * dispatch loop queues and starts, and the phase it is in (exchange-phase.ts). It is passive: it
 * reports facts to the loop (arrived, completed, left, unreachable) and carries out the loop's
 * commands (queued, start, refuse); the client's response has one owner (`response`), and each call to
 * a backend is an UpstreamCall. One object per request, plus its response owner and its call.
 */
export class Exchange implements Dispatchable, ObservedExchange, ResponseCloseListener, CallListener, BodyIdleListener {
  readonly id: number;
  readonly req: IncomingMessage;
  /** The single owner of what the client is sent: layers answer through it. */
  readonly response: ClientResponse;
  readonly arrivedAtMs: number;
  requestId = '';
  functionName = '';
  deadlineMs: number | undefined = undefined;
  /** A trusted caller's estimate of its duration (a scheduling hint); replaces the prediction. */
  expectedDurationMs: number | undefined = undefined;
  /** A trusted caller's estimate of the rest of its workflow after this call (a scheduling hint). */
  remainingWorkflowMs: number | undefined = undefined;
  /** A structured CloudEvent read to classify it: sent upstream instead of the (consumed) stream. */
  bufferedBody: Buffer | undefined = undefined;
  /** That structured CloudEvent's type, as the classifier read it. */
  cloudEventType: string | undefined = undefined;
  /** What it shows before it runs (route, size, CloudEvent type): the scheduler predicts it from these. */
  features: RequestFeatures | undefined = undefined;
  /** What the scheduler predicted it takes, once it started; undefined before. */
  predictedMs: number | undefined = undefined;
  /** Observers were told it arrived, so they will be told it finished. */
  observed = false;
  readonly #context: ExchangeContext;
  /** The response when it is an HTTP one a backend's answer can pass through (not an upgrade's socket). */
  readonly #passThrough: HttpClientResponse | undefined;
  #phase: ExchangePhase = 'received';
  #fn: FunctionEntry | undefined = undefined;
  #edits: HeaderEdits | undefined = undefined;
  #upstreamHeaders: string[] | undefined = undefined;
  #call: UpstreamCall | undefined = undefined;
  /** Where its slot is: a resend goes to the same backend. */
  #upstream: Upstream | undefined = undefined;
  #attempts = 0;
  #resent = false;
  #startedAtMs = 0;
  #queueMs = 0;
  #deadlineTimer: TimerHandle | undefined = undefined;
  #bodyWatch: BodyIdleWatch | undefined = undefined;
  /** Taken into a queue: from now on it counts until it finishes, exactly once. */
  #accepted = false;
  #clientGone = false;
  /** Why the last call found its backend unreachable: logged with the 502 if no other backend takes it. */
  #unreachableError: Error | undefined = undefined;

  constructor(id: number, req: IncomingMessage, response: ClientResponse, context: ExchangeContext, now: number) {
    this.id = id;
    this.req = req;
    this.arrivedAtMs = now;
    this.#context = context;
    this.response = response;
    this.#passThrough = response instanceof HttpClientResponse ? response : undefined;
    response.attach(this);
  }

  get phase(): ExchangePhase {
    return this.#phase;
  }

  get function(): FunctionEntry | undefined {
    return this.#fn;
  }

  // ---- what layers do ---------------------------------------------------------------------------

  /** Sets (replaces) a header on the upstream request. `name` must be lower-case. */
  setUpstreamHeader(name: string, value: string): void {
    (this.#edits ??= []).push(name, value);
  }

  /** Keeps a client header from reaching the backend. `name` must be lower-case. */
  removeUpstreamHeader(name: string): void {
    (this.#edits ??= []).push(name, undefined);
  }

  /** The header edits the layers asked for, in order (an upgrade's relay applies them itself). */
  get upstreamHeaderEdits(): readonly (string | undefined)[] {
    return this.#edits ?? [];
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

  /** Classified to a known function: its timeout becomes the deadline, queue wait included. */
  assign(fn: FunctionEntry): void {
    this.#fn = fn;
    this.deadlineMs = fn.timeoutMs > 0 ? this.arrivedAtMs + fn.timeoutMs : undefined;
  }

  /** Counts a scheduling hint header it carried and what became of it. */
  countHint(hint: HintName, outcome: HintOutcome): void {
    this.#context.metrics.hint(hint, outcome);
  }

  /**
   * Its body is being read now (to classify it, or by the call to the backend): the client must keep
   * sending it (`connections.bodyIdleTimeoutMs`, else 408). A queued request is not watched.
   */
  watchBody(): void {
    const idleMs = clientPolicyOf(this.req).bodyIdleTimeoutMs;
    if (idleMs === 0 || this.req.complete || this.#bodyWatch !== undefined) return;
    this.#bodyWatch = new BodyIdleWatch(this.req, idleMs, this.#context.timers, this);
  }

  /** A layer's own answer (a Knative probe's); it may come after the client left, and then goes nowhere. */
  reply(status: number, body: string, headers?: Readonly<Record<string, string>>): void {
    if (this.#phase === 'done') return;
    this.#to('reply');
    this.response.reply(status, body, headers);
  }

  /** Handed to the upgrade relay, which owns the connection from now on. */
  relayed(): void {
    this.#to('relay');
  }

  /**
   * Answers the request with the proxy's own response for `reason` — or, if the backend's response
   * head was already sent, cuts the connection so the client cannot mistake a short body for a whole
   * one. Ends the exchange. Frees no slot: the dispatch loop's, or `abandon`'s, business.
   */
  refuse(reason: RefusalReason, error?: Error): void {
    this.#to('refuse');
    this.#stopWatching();
    const context = this.#context;
    const refusal = REFUSALS[reason];
    const cut = this.response.headersSent;
    context.metrics.refused(this.functionName, reason, refusal.status);
    if (this.#accepted) this.#fn?.metrics.finished(cut ? 'cut' : 'refused');
    context.refusals.record(reason, refusal.status, this.requestId, this.functionName, error ?? this.#unreachableError);
    if (this.#clientGone) return;
    const now = context.timers.now();
    const queueMs = this.#attempts === 0 ? now - this.arrivedAtMs : this.#queueMs;
    const upstreamMs = this.#attempts === 0 ? 0 : now - this.#startedAtMs;
    this.response.refuse(reason, {
      requestId: this.requestId,
      functionName: this.functionName,
      serverTiming: serverTiming(queueMs, upstreamMs),
      retryAfterSeconds: context.settings.retryAfterSeconds,
    });
  }

  /** Gives up on the request whatever it is doing (shutdown, a stalled body): frees its slot and refuses it. */
  abandon(reason: RefusalReason, error?: Error): void {
    switch (this.#phase) {
      case 'done':
        return;
      case 'queued':
        this.#context.loop.left(this);
        this.refuse(reason, error);
        return;
      case 'sending':
      case 'sent':
      case 'responding':
        this.#giveUp(reason, error);
        return;
      case 'received':
        this.refuse(reason, error);
        return;
    }
  }

  // ---- the dispatch loop's commands ---------------------------------------------------------------

  /** In its function's queue; its body stays unread until it starts (TCP backpressure on the client). */
  queued(retried: boolean): void {
    this.#to('queue');
    this.#call = undefined;
    if (retried) return;
    this.#accepted = true;
    this.#fn?.metrics.accepted.inc();
    if (this.observed) this.#context.lifecycle.queued(this);
  }

  /** The scheduler gave it a slot on `upstream`, predicting it takes `predictedMs`: send it. */
  start(upstream: Upstream, now: number, predictedMs: number): void {
    this.#to('start');
    const context = this.#context;
    this.#startedAtMs = now;
    this.predictedMs = predictedMs;
    if (this.#attempts++ === 0) {
      this.#queueMs = now - this.arrivedAtMs;
      this.#fn?.metrics.queueWait.observe(this.#queueMs / 1000);
      // Whole milliseconds: Node keeps one timer list per duration, so requests of a function share one.
      if (this.deadlineMs !== undefined) {
        this.#deadlineTimer = context.timers.setTimeout(Exchange.#deadlinePassed, Math.max(0, Math.ceil(this.deadlineMs - now)), this);
      }
    }
    if (this.observed) context.lifecycle.started(this);
    this.#upstream = upstream;
    this.#send(upstream);
  }

  // ---- its call's facts ---------------------------------------------------------------------------

  callConnected(): void {
    this.#to('connect');
  }

  callResponded(status: number, statusText: string, rawHeaders: Buffer[]): void {
    this.#to('respond');
    const timing = serverTiming(this.#queueMs, this.#context.timers.now() - this.#startedAtMs);
    (this.#passThrough as HttpClientResponse).head(status, statusText, clientResponseHeaders(rawHeaders, timing, this.requestId));
  }

  callCompleted(status: number, trailers: Readonly<Record<string, string>> | undefined): void {
    const context = this.#context;
    const observedMs = context.timers.now() - this.#startedAtMs;
    this.#to('finish');
    this.#stopWatching();
    (this.#passThrough as HttpClientResponse).end(trailers);
    const metrics = this.#fn?.metrics;
    metrics?.serviceTime.observe(observedMs / 1000);
    metrics?.responded(status);
    metrics?.finished('answered');
    // A server error's duration says little about the work; only answers teach the predictor.
    context.loop.completed(this, status < 500 ? observedMs : undefined);
  }

  callFailed(failure: CallFailure, error: Error): void {
    const context = this.#context;
    if (failure === 'unreachable') {
      this.#unreachableError = error;
      context.logger.debug({ requestId: this.requestId, err: error }, 'backend unreachable');
      context.loop.unreachable(this);
      return;
    }
    if (failure === 'closed-on-reuse' && this.#mayResend()) {
      this.#resent = true;
      this.#to('resend');
      context.metrics.resent(this.functionName);
      context.logger.debug({ requestId: this.requestId, err: error }, 'kept-alive connection closed under the request: sent again');
      this.#send(this.#upstream as Upstream);
      return;
    }
    context.loop.completed(this, undefined);
    this.refuse('upstream-error', error);
  }

  callTimedOut(reason: 'response-start-timeout' | 'idle-timeout'): void {
    this.#giveUp(reason);
  }

  bodyIdle(): void {
    this.#bodyWatch = undefined;
    this.abandon('request-body-timeout');
  }

  // ---- its client -----------------------------------------------------------------------------------

  responseClosed(complete: boolean): void {
    if (!complete && this.#phase !== 'done') this.#clientLeft();
    this.#context.finished(this);
  }

  // ---- internals ------------------------------------------------------------------------------------

  /** HTTP/2 allows one `te`, `te: trailers`, which gRPC servers may require; every other hop-by-hop header goes. */
  #headersForUpstream(extra: readonly string[]): string[] {
    const headers = upstreamRequestHeaders(this.req.rawHeaders, this.#edits, extra);
    if (this.req.httpVersionMajor === 2 && this.req.headers.te?.includes('trailers') === true) headers.push('te', 'trailers');
    return headers;
  }

  /** Sends the request on `upstream`, its body streamed from the client (or the structured CloudEvent read to classify it). */
  #send(upstream: Upstream): void {
    const context = this.#context;
    const settings = context.settings;
    this.#upstreamHeaders ??= this.#headersForUpstream(settings.upstreamHeaders);
    const streamed = this.bufferedBody === undefined && hasBody(this.req);
    if (streamed) this.watchBody();
    const passThrough = this.#passThrough;
    if (passThrough === undefined) throw new TypeError(`exchange ${this.id} has no response a backend's answer can pass through`);
    const call = new UpstreamCall(this.req, passThrough, context.timers, settings, this);
    this.#call = call;
    upstream.pool.dispatch(
      {
        path: upstream.pathFor(this.req.url ?? '/'),
        method: this.req.method ?? 'GET',
        headers: this.#upstreamHeaders,
        body: streamed ? this.req : (this.bufferedBody ?? null),
        // The proxy's own timers bound the call (UpstreamCall); undici's would default to 300 s.
        headersTimeout: 0,
        bodyTimeout: 0,
      },
      call,
    );
  }

  /**
   * Whether a call lost to the keep-alive race may go again (RFC 9112 §9.3.1): once, and only a
   * request with an idempotent method and no body, so that the backend seeing it twice changes
   * nothing and nothing of it is gone from the client's stream.
   */
  #mayResend(): boolean {
    return !this.#resent && this.bufferedBody === undefined && IDEMPOTENT_METHODS.has(this.req.method ?? '') && !hasBody(this.req);
  }

  #to(event: ExchangeEvent): void {
    this.#phase = nextPhase(this.#phase, event);
  }

  /**
   * Gives up on a call in flight: frees its slot, answers the client, then stops the call. The answer
   * goes first: stopping a call that is still sending the request body destroys that stream, and with
   * it the client's connection.
   */
  #giveUp(reason: RefusalReason, error?: Error): void {
    const call = this.#call;
    this.#context.loop.left(this);
    this.refuse(reason, error);
    call?.stop(reason);
  }

  #clientLeft(): void {
    this.#clientGone = true;
    const context = this.#context;
    const phase = this.#phase;
    this.#to('leave');
    this.#stopWatching();
    if (phase === 'queued' || phase === 'sending' || phase === 'sent' || phase === 'responding') {
      this.#call?.stop('client-closed');
      context.loop.left(this);
      context.metrics.disconnected(this.functionName, phase === 'queued' ? 'queued' : 'in-flight');
    }
    if (this.#accepted) this.#fn?.metrics.finished('disconnected');
  }

  #stopWatching(): void {
    const timers = this.#context.timers;
    if (this.#deadlineTimer !== undefined) {
      timers.clearTimeout(this.#deadlineTimer);
      this.#deadlineTimer = undefined;
    }
    if (this.#bodyWatch !== undefined) {
      this.#bodyWatch.stop();
      this.#bodyWatch = undefined;
    }
  }

  static #deadlinePassed(exchange: Exchange): void {
    exchange.#deadlineTimer = undefined;
    const phase = exchange.#phase;
    if (phase === 'sending' || phase === 'sent' || phase === 'responding') exchange.#giveUp('request-timeout');
  }
}
