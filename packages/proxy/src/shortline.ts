import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Http2Server } from 'node:http2';
import type { Duplex } from 'node:stream';
import type { CapacitySetting, LoadBalancing, Priority, SchedulerSnapshot } from '@shortline/core';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { debugFunction, type DebugFunction } from './admin/debug-function.js';
import { createLiveQueue, type LiveQueue } from './admin/live-queue.js';
import { createAdminServer } from './admin-server.js';
import { createClassifier, type Classifier } from './classify/index.js';
import type { ShortlineConfig } from './config/index.js';
import { ConfigurationApplier } from './configuration-applier.js';
import { applyConnections, createDataServer, LiveClientPolicy } from './data-server.js';
import type { BackendSpec } from './dispatch/backend-registry.js';
import { DispatchLoop, type BackendView, type SchedulerView } from './dispatch/dispatch-loop.js';
import { policySpec } from './dispatch/scheduler-config.js';
import { createDrainer, type Drainer } from './drain/drainer.js';
import { HttpClientResponse } from './exchange/client-response.js';
import { Exchange, type ExchangeContext } from './exchange/exchange.js';
import { FunctionTable } from './exchange/function-table.js';
import type { ProxySettings } from './exchange/proxy-settings.js';
import { UpgradeResponse } from './exchange/upgrade-response.js';
import { createHttp2DataServer, type Http2DataServer } from './http2-data-server.js';
import { Lifecycle, type ExchangeObserver } from './lifecycle.js';
import { closeServer, listenOn } from './listen.js';
import { createLogger } from './logger.js';
import { ProxyMetrics } from './metrics/proxy-metrics.js';
import { registerSchedulerGauges } from './metrics/scheduler-gauges.js';
import { OpenExchanges } from './open-exchanges.js';
import { RefusalLog } from './refusal-log.js';
import { createAdmission } from './request-path/admission.js';
import type { Layer, RequestHandler } from './request-path/handler.js';
import { buildRequestPath } from './request-path/request-path.js';
import { UpgradeRelay } from './request-path/upgrade-relay.js';
import { REAL_TIMERS, type Timers } from './timers/timers.js';

export interface ShortlineOptions {
  readonly config: ShortlineConfig;
  /** Default: pino JSON on stdout at `logging.level`. */
  readonly logger?: Logger;
  /** Default: a new registry (with process metrics). */
  readonly registry?: Registry;
  /** Replaces the config rules (gateway mode resolves revisions itself); then reloads keep it. */
  readonly classifier?: Classifier;
  /** Extra request-path layers, outermost first, run before classification and the queue. */
  readonly layers?: readonly Layer[];
  /** Headers set on every upstream request, e.g. `{ 'k-proxy-request': 'activator' }`. */
  readonly upstreamHeaders?: Readonly<Record<string, string>>;
  /** The monotonic clock and the timers every waiting part of the proxy uses. Default: the process's. */
  readonly timers?: Timers;
  /** X-Forwarded-For/-Proto and Forwarded for the backend. Default true. */
  readonly forwardedHeaders?: boolean;
  /** Process metrics (CPU, memory, event loop) in the registry. Default: unless `metrics.process` is `off`. */
  readonly processMetrics?: boolean;
  /** How long a backend that refused a connection stays out of rotation. Default 1000 ms. */
  readonly ejectionMs?: number;
  /** A further condition for `/readyz`, e.g. "discovery has listed the cluster once". */
  readonly ready?: () => boolean;
}

/** A function that discovery found at run time (a Knative revision) rather than the configuration. */
export interface DiscoveredFunction {
  readonly name: string;
  /** Must exist (`upsertPool`) before the function is added. */
  readonly pool: string;
  /** Whole request, queue wait included; 0 = none. */
  readonly timeoutMs: number;
  /** Prediction until observed; default `predictor.priorMs`. */
  readonly expectedDurationMs?: number;
  /** Waiting requests of this function at most; 0 (default) = only the global limit. */
  readonly maxQueued?: number;
  /** Longest wait in the queue before a 503; 0 (default) = until the timeout. */
  readonly maxQueueWaitMs?: number;
  /** Its tier, as `functions[].priority`; default normal. */
  readonly priority?: Priority;
  /** Its latency objective, as `functions[].deadlineMs`; 0 (default) = none. */
  readonly deadlineMs?: number;
}

/** Backends of the pools: each owns a connection pool. Waiting requests start on a new one at once. */
export interface BackendControl {
  add(pool: string, spec: BackendSpec): void;
  /** A number (0 = unlimited), or `{ auto: true }` to learn it from how the backend answers. */
  setCapacity(id: string, capacity: CapacitySetting): void;
  /** No new requests go to it; what it runs may finish. */
  drain(id: string): void;
  /** Forgets it; its connections close once the requests it runs have finished. */
  remove(id: string): Promise<void>;
  ids(pool?: string): string[];
  list(): BackendView[];
}

export interface ListeningPorts {
  readonly port: number;
  readonly adminPort: number;
}

/** What `/debug/queue` shows. */
export interface DebugSnapshot extends SchedulerSnapshot {
  readonly functions: readonly DebugFunction[];
  readonly draining: boolean;
  readonly openRequests: number;
  readonly upgrades: number;
  readonly backendDetails: readonly BackendView[];
}

/**
 * The scheduling proxy. Seams for what plugs in later (Knative discovery, probes, autoscaler stats):
 * `upsertPool`/`upsertFunction` and `backends` for the topology, `layers` and `upstreamHeaders` in the
 * options, `observe` for request lifecycles, `server` and `http2Server` to feed sockets.
 */
export interface Shortline {
  /** The scheduler, to read (counts, snapshots); everything that changes it goes through the proxy. */
  readonly scheduler: SchedulerView<Exchange>;
  readonly backends: BackendControl;
  /** The data-plane listener (node:http); `server.emit('connection', socket)` feeds it a socket. */
  readonly server: Server;
  /**
   * The data plane over cleartext HTTP/2 (h2c with prior knowledge), never listening itself: feed it
   * sockets. Its requests are classified, queued and counted like any other, and go upstream over h2c.
   */
  readonly http2Server: Http2Server;
  readonly adminServer: Server;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly timers: Timers;
  /** The configuration in force. */
  readonly config: ShortlineConfig;
  readonly draining: boolean;
  /** Binds both listeners (port 0 picks a free port) and reports the ports. */
  listen(): Promise<ListeningPorts>;
  /**
   * Binds only the admin listener and returns its port: the caller owns the data listener and feeds
   * `server` (and `http2Server`) its sockets. Drain and close then leave that listener to the caller.
   */
  listenAdmin(): Promise<number>;
  /**
   * Reload: policy, limits, predictor, timeouts, functions, pools, backends. Queued requests stay
   * queued. Functions and pools added at run time are not the configuration's: a reload keeps them,
   * and a configuration that defines a function of the same name is refused.
   */
  applyConfig(config: ShortlineConfig): void;
  /** A configuration that could not be loaded: logged and counted; the one in force stays. */
  reportInvalidConfig(error: Error): void;
  /** Adds a pool at run time, or changes its load balancing; give it backends through `backends`. */
  upsertPool(name: string, loadBalancing: LoadBalancing): void;
  /** Removes a run-time pool and its backends (their connections close once their requests end). */
  removePool(name: string): void;
  /** Adds or changes a run-time function; throws FunctionNameTakenError if the configuration has one so named. */
  upsertFunction(fn: DiscoveredFunction): void;
  /** Removes a run-time function: its waiting requests get 503, its running ones finish; its metrics go. */
  removeFunction(name: string): void;
  /** Subscribes to request lifecycles; returns the unsubscribe function. */
  observe(observer: ExchangeObserver): () => void;
  /** Runs a request through the request path (what `server` does for each request). */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Runs an upgrade through the request path up to classification, then relays it (what `server` does on 'upgrade'). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  debugSnapshot(): DebugSnapshot;
  /** Resolves once no request received is still open (at once if none is). */
  settled(): Promise<void>;
  /**
   * Readiness turns 503; requests keep being accepted until `drain.quietPeriodMs` passes without one;
   * once every accepted request is answered the listeners close. Bound it with `drain.timeoutMs`.
   */
  drain(): Promise<void>;
  /** Stops now: requests still open get 503 (or their connection cut), every socket closes. */
  close(): Promise<void>;
}

export function createShortline(options: ShortlineOptions): Shortline {
  return new ShortlineProxy(options);
}

function flatHeaders(headers: Readonly<Record<string, string>> | undefined): string[] {
  const flat: string[] = [];
  for (const [name, value] of Object.entries(headers ?? {})) flat.push(name.toLowerCase(), value);
  return flat;
}

function errorOf(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** The wiring: every part is built here and does its own work; see the package README for the path. */
class ShortlineProxy implements Shortline {
  readonly scheduler: SchedulerView<Exchange>;
  readonly backends: BackendControl;
  readonly server: Server;
  readonly adminServer: Server;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly timers: Timers;
  #config: ShortlineConfig;
  readonly #options: ShortlineOptions;
  readonly #loop: DispatchLoop<Exchange>;
  readonly #metrics: ProxyMetrics;
  readonly #settings: ProxySettings;
  readonly #lifecycle = new Lifecycle();
  readonly #context: ExchangeContext;
  readonly #upgrades: UpgradeRelay;
  readonly #open = new OpenExchanges();
  readonly #functions = new FunctionTable();
  readonly #applier: ConfigurationApplier;
  readonly #refusals: RefusalLog;
  /** Request-by-request detail for the admin port's `/queue` page; it observes only while the page is open. */
  readonly #liveQueue: LiveQueue;
  /** Made on first use: a proxy that is never fed an HTTP/2 connection never loads node:http2. */
  #http2: Http2DataServer | undefined = undefined;
  /** `trust` and `connections.bodyIdleTimeoutMs`, as requests read them; replaced on reload. */
  readonly #clientPolicy: LiveClientPolicy;
  /** Made when the drain starts, with the quiet period in force then. */
  #drainer: Drainer | undefined = undefined;
  /** `listenAdmin`: the data listener is the caller's. */
  #dataListenerOwnedByCaller = false;
  #classifier: Classifier;
  #handler: RequestHandler;
  #upgradeHandler: RequestHandler;
  #sequence = 0;
  #draining = false;
  #drained: Promise<void> | undefined = undefined;
  #closed = false;

  constructor(options: ShortlineOptions) {
    const config = options.config;
    this.#options = options;
    this.#config = config;
    this.timers = options.timers ?? REAL_TIMERS;
    this.logger = options.logger ?? createLogger(config.logging.level);
    this.registry = options.registry ?? new Registry();
    if (options.processMetrics ?? config.metrics.process !== 'off') collectDefaultMetrics({ register: this.registry });
    this.#loop = new DispatchLoop<Exchange>({
      timers: this.timers,
      logger: this.logger,
      policy: policySpec(config.scheduler),
      predictor: config.predictor,
      limits: { maxQueued: config.scheduler.maxQueued, maxInFlight: config.scheduler.maxInFlight },
      ...(options.ejectionMs === undefined ? {} : { ejectionMs: options.ejectionMs }),
    });
    this.scheduler = this.#loop.scheduler;
    this.backends = this.#backendControl();
    this.#metrics = new ProxyMetrics(this.registry);
    this.#settings = {
      retryAfterSeconds: config.limits.retryAfterSeconds,
      responseStartMs: config.timeouts.responseStartMs,
      idleMs: config.timeouts.idleMs,
      upstreamHeaders: flatHeaders(options.upstreamHeaders),
    };
    registerSchedulerGauges({
      registry: this.registry,
      snapshot: () => this.#loop.snapshot(),
      upgrades: () => this.#upgrades.active,
      draining: () => this.#draining,
    });
    this.#refusals = new RefusalLog(this.logger, this.timers);
    this.#context = {
      timers: this.timers,
      loop: this.#loop,
      metrics: this.#metrics,
      logger: this.logger,
      refusals: this.#refusals,
      settings: this.#settings,
      lifecycle: this.#lifecycle,
      finished: (exchange) => {
        this.#open.delete(exchange);
        if (exchange.observed) this.#lifecycle.finished(exchange);
      },
    };
    this.#applier = new ConfigurationApplier({ loop: this.#loop, functions: this.#functions, metrics: this.#metrics, settings: this.#settings, logger: this.logger });
    this.#upgrades = new UpgradeRelay({
      upstreamFor: (name) => {
        const pool = this.#functions.get(name)?.pool;
        return pool === undefined ? undefined : this.#loop.leastBusy(pool);
      },
      retryAfterSeconds: () => this.#settings.retryAfterSeconds,
      logger: this.logger,
    });
    this.#applier.apply(config);
    this.#classifier = this.#classifierFor(config);
    this.#handler = this.#buildHandler(false);
    this.#upgradeHandler = this.#buildHandler(true);
    this.#clientPolicy = new LiveClientPolicy(config);
    this.server = createDataServer(
      config,
      this.#clientPolicy,
      (req, res) => this.handle(req, res),
      (reason) => this.#metrics.connectionRefused(reason),
    );
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.handleUpgrade(req, socket, head));
    const ready = options.ready ?? (() => true);
    this.#liveQueue = createLiveQueue({ observe: (observer) => this.observe(observer), predict: (name) => this.#loop.predict(name), timers: this.timers });
    this.adminServer = createAdminServer({
      registry: this.registry,
      ready: () => (this.server.listening || this.#dataListenerOwnedByCaller) && !this.#draining && ready(),
      debug: () => this.debugSnapshot(),
      liveQueue: () => this.#liveQueue.snapshot(),
    });
  }

  get config(): ShortlineConfig {
    return this.#config;
  }

  get http2Server(): Http2Server {
    this.#http2 ??= createHttp2DataServer((req, res) => this.handle(req, res), this.#clientPolicy);
    return this.#http2.server;
  }

  get draining(): boolean {
    return this.#draining;
  }

  async listen(): Promise<ListeningPorts> {
    const port = await listenOn(this.server, this.#config.listen);
    const adminPort = await listenOn(this.adminServer, this.#config.admin);
    return { port, adminPort };
  }

  async listenAdmin(): Promise<number> {
    this.#dataListenerOwnedByCaller = true;
    return listenOn(this.adminServer, this.#config.admin);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const exchange = new Exchange(++this.#sequence, req, new HttpClientResponse(res), this.#context, this.timers.now());
    this.#open.add(exchange);
    if (this.#drainer !== undefined) {
      this.#drainer.requestArrived();
      exchange.response.closeAfterAnswer();
    }
    this.#run(this.#handler, exchange);
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const exchange = new Exchange(++this.#sequence, req, new UpgradeResponse(socket, head), this.#context, this.timers.now());
    this.#run(this.#upgradeHandler, exchange);
  }

  applyConfig(config: ShortlineConfig): void {
    try {
      this.#applier.apply(config);
    } catch (error) {
      this.reportInvalidConfig(errorOf(error));
      return;
    }
    this.#config = config;
    this.#classifier = this.#classifierFor(config);
    this.#rebuildHandlers();
    this.#clientPolicy.apply(config);
    applyConnections(this.server, config);
    this.#metrics.configReloaded('ok');
    this.logger.info({ functions: config.functions.length, pools: config.pools.length, policy: config.scheduler.policy }, 'configuration applied');
  }

  reportInvalidConfig(error: Error): void {
    this.#metrics.configReloaded('invalid');
    this.logger.error({ err: error }, 'configuration refused; the previous one stays in force');
  }

  upsertPool(name: string, loadBalancing: LoadBalancing): void {
    this.#loop.upsertPool(name, loadBalancing);
  }

  removePool(name: string): void {
    void this.#loop.removePool(name).catch((error: unknown) => {
      this.logger.error({ err: error, pool: name }, 'closing a removed pool failed');
    });
  }

  upsertFunction(fn: DiscoveredFunction): void {
    this.#functions.checkRuntime(fn.name);
    this.#loop.upsertFunction({
      name: fn.name,
      pool: fn.pool,
      expectedDurationMs: fn.expectedDurationMs,
      maxQueued: fn.maxQueued ?? 0,
      maxQueueWaitMs: fn.maxQueueWaitMs ?? 0,
      priority: fn.priority,
      deadlineMs: fn.deadlineMs,
    });
    this.#functions.upsertRuntime({ name: fn.name, pool: fn.pool, timeoutMs: fn.timeoutMs, metrics: this.#metrics.forFunction(fn.name) });
  }

  removeFunction(name: string): void {
    if (!this.#functions.removeRuntime(name)) return;
    this.#loop.removeFunction(name);
    this.#metrics.removeFunction(name);
  }

  observe(observer: ExchangeObserver): () => void {
    this.#lifecycle.observers.push(observer);
    this.#rebuildHandlers();
    return () => {
      const index = this.#lifecycle.observers.indexOf(observer);
      if (index === -1) return;
      this.#lifecycle.observers.splice(index, 1);
      this.#rebuildHandlers();
    };
  }

  debugSnapshot(): DebugSnapshot {
    const snapshot = this.#loop.snapshot();
    return {
      ...snapshot,
      functions: snapshot.functions.map(debugFunction),
      draining: this.#draining,
      openRequests: this.#open.size,
      upgrades: this.#upgrades.active,
      backendDetails: this.#loop.backendViews(),
    };
  }

  settled(): Promise<void> {
    return this.#open.whenEmpty();
  }

  drain(): Promise<void> {
    this.#drained ??= this.#drain();
    return this.#drained;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#draining = true;
    this.#drainer?.reset();
    this.#open.abandonAll('shutting-down');
    this.#stopLoops();
    this.server.closeAllConnections();
    this.#http2?.destroySessions();
    this.adminServer.closeAllConnections();
    await Promise.all([closeServer(this.server), closeServer(this.adminServer), this.#loop.destroyConnections()]);
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    this.logger.info({ open: this.#open.size, waiting: this.scheduler.waiting, inFlight: this.scheduler.inFlight }, 'draining');
    const drainer = createDrainer({ quietPeriodMs: this.#config.drain.quietPeriodMs, timers: this.timers });
    this.#drainer = drainer;
    await drainer.drain();
    await this.#open.whenEmpty();
    if (this.#closed) return;
    this.#closed = true;
    this.#stopLoops();
    // A fed server does not listen, so close() would not close its idle keep-alive connections.
    if (this.#dataListenerOwnedByCaller) this.server.closeIdleConnections();
    await Promise.all([closeServer(this.server), this.#http2?.closeSessions()]);
    await Promise.all([closeServer(this.adminServer), this.#loop.destroyConnections()]);
    this.logger.info('drained');
  }

  #stopLoops(): void {
    this.#liveQueue.stop();
    this.#loop.close();
    this.#upgrades.close();
    this.#refusals.close();
  }

  /** A layer that throws is a bug: the request still gets its one answer. */
  #run(handler: RequestHandler, exchange: Exchange): void {
    try {
      handler(exchange);
    } catch (error) {
      exchange.abandon('internal-error', errorOf(error));
    }
  }

  #classifierFor(config: ShortlineConfig): Classifier {
    return (
      this.#options.classifier ??
      createClassifier(config.functions, config.defaultFunction, { maxCloudEventBytes: config.limits.maxCloudEventBytes })
    );
  }

  #rebuildHandlers(): void {
    this.#handler = this.#buildHandler(false);
    this.#upgradeHandler = this.#buildHandler(true);
  }

  #buildHandler(upgrade: boolean): RequestHandler {
    return buildRequestPath({
      innermost: upgrade ? this.#upgrades.relay : createAdmission({ functions: () => this.#functions.all, loop: this.#loop }),
      classifier: this.#classifier,
      layers: this.#options.layers ?? [],
      lifecycle: this.#lifecycle,
      forwardedHeaders: this.#options.forwardedHeaders ?? true,
      upgrade,
      features: { automatic: this.#config.predictor.requestFeatures, extra: this.#config.predictor.features },
    });
  }

  #backendControl(): BackendControl {
    const loop = this.#loop;
    return {
      add: (pool, spec) => loop.addBackend(pool, spec),
      setCapacity: (id, capacity) => loop.setBackendCapacity(id, capacity),
      drain: (id) => loop.drainBackend(id),
      remove: (id) => loop.removeBackend(id),
      ids: (pool) => loop.backendIds(pool),
      list: () => loop.backendViews(),
    };
  }
}
